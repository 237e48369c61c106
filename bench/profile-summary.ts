// Summarises V8 CPU profiles (from `npm run bench -- --profile DIR`): where the self time goes, by
// package or project file and by function. Usage: tsx bench/profile-summary.ts FILE_OR_DIR... [--top N]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const ROOT = path.resolve(__dirname, '..');

/** node_modules/<pkg>, node:<module>, a project file, or V8's own buckets such as (garbage collector). */
function bucketOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const file = url.replace(/^file:\/\//, '');
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (nm) return nm[1]!;
  if (file.startsWith('node:')) return file.split('/')[0]!;
  return path.relative(ROOT, file) || file;
}

function summarise(file: string, top: number): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  // Sample i took timeDeltas[i+1] microseconds (the delta is to the next sample).
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  const buckets = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    busy += us;
    const bucket = bucketOf(url, functionName);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${bucket}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const wall = (profile.endTime - profile.startTime) / 1e6;
  console.log(`\n${file}\n  ${wall.toFixed(1)} s profiled, ${(busy / 1e6).toFixed(1)} s on CPU (${((busy / 1e6 / wall) * 100).toFixed(0)}% of one core)`);
  const print = (title: string, entries: Map<string, number>) => {
    console.log(`  ${title}`);
    for (const [name, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`    ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${(us / 1e6).toFixed(2).padStart(7)} s  ${name}`);
    }
  };
  print('self time by package / file', buckets);
  print('self time by function', functions);
}

function profilesIn(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target).flatMap((entry) => profilesIn(path.join(target, entry))).filter((f) => f.endsWith('.cpuprofile'));
}

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 20;
if (args.length === 0) {
  console.error('usage: tsx bench/profile-summary.ts FILE_OR_DIR... [--top N]');
  process.exit(1);
}
for (const file of args.flatMap(profilesIn)) summarise(file, top);
