import { parseArgs } from 'node:util';
import type { VisibilityIndexes } from '../dev/dev-server-visibility-indexes';

export interface BenchOptions {
  /** Events published in the full-load phase; each fans out to every endpoint. */
  events: number;
  endpoints: number;
  /** Deliveries left waiting on retry timers in the backlog scenario (0 skips it). */
  backlog: number;
  out: string;
  /** Requests in flight while publishing at full load (and starting baseline workflows). */
  concurrency: number;
  /** Seconds of paced publishing at half of the measured peak. */
  halfSeconds: number;
  /** The whole run ends by this many seconds, whatever phase it is in. */
  deadlineSeconds: number;
  /** Write V8 CPU profiles of the API and worker child processes into this folder. */
  profileDir: string | undefined;
  /** Run only these phases (comma list of herald, half, baseline, backlog). */
  phases: Set<Phase>;
  /** Diagnostic: `memory` runs the dev server without its SQLite file (not what `npm start` does). */
  temporalDb: 'file' | 'memory';
  /** Comparison: `all` keeps every visibility index in the dev server's new SQLite file (dev/dev-server-visibility-indexes.ts). */
  devVisibilityIndexes: VisibilityIndexes;
  /**
   * Diagnostic: flags added to the dev server's command line, e.g. `--sqlite-pragma=journal_mode=WAL`
   * or `--dynamic-config-value=system.enableActivityEagerExecution=true`.
   */
  devServerArgs: string[];
  /**
   * `separate`: the API and the worker as two processes; `single`: one process, the API with its
   * own worker (`npm start`, or HERALD_API_WITH_WORKER in production), where deliveries start
   * eagerly on the worker beside the API.
   */
  topology: 'separate' | 'single';
  /** `dev`: the dev server on a SQLite file, as `npm start`; `cluster`: Temporal's own server on PostgreSQL, as `npm run cluster`. */
  temporal: 'dev' | 'cluster';
  /** Worker processes under the separate topology. */
  workers: number;
  /**
   * `prebuilt` (default): workers load a workflow bundle the bench builds first, as the Docker image
   * does (HERALD_WORKFLOW_BUNDLE); `at-start`: each worker bundles the workflow sources as it starts.
   */
  workflowBundle: 'prebuilt' | 'at-start';
}

export const PHASES = ['herald', 'half', 'baseline', 'floor', 'backlog'] as const;
export type Phase = (typeof PHASES)[number];

const USAGE = `npm run bench -- [--events N] [--endpoints M] [--backlog K] [--out FILE]
  [--concurrency C] [--half-seconds S] [--deadline S] [--profile DIR] [--phases herald,half,baseline,floor,backlog]
  [--topology separate|single] [--temporal dev|cluster] [--workers N] [--workflow-bundle prebuilt|at-start] [--temporal-db file|memory] [--dev-visibility-indexes trimmed|all] [--sqlite-pragma NAME=VALUE]... [--dev-server-arg=--FLAG=VALUE]...`;

function positiveInt(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}\n${USAGE}`);
  return n;
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string' },
      endpoints: { type: 'string' },
      backlog: { type: 'string' },
      out: { type: 'string' },
      concurrency: { type: 'string' },
      'half-seconds': { type: 'string' },
      deadline: { type: 'string' },
      profile: { type: 'string' },
      phases: { type: 'string' },
      'temporal-db': { type: 'string' },
      'dev-visibility-indexes': { type: 'string' },
      'sqlite-pragma': { type: 'string', multiple: true },
      'dev-server-arg': { type: 'string', multiple: true },
      topology: { type: 'string' },
      temporal: { type: 'string' },
      workers: { type: 'string' },
      'workflow-bundle': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const phases = new Set((values.phases ?? PHASES.join(',')).split(',').map((p) => p.trim()) as Phase[]);
  for (const p of phases) if (!PHASES.includes(p)) throw new Error(`unknown phase ${p}\n${USAGE}`);
  // Half load paces at half of the full-load peak, so it needs that phase.
  if (phases.has('half')) phases.add('herald');
  const topology = values.topology ?? 'separate';
  if (topology !== 'separate' && topology !== 'single') throw new Error(`--topology must be separate or single\n${USAGE}`);
  const temporal = values.temporal ?? 'dev';
  if (temporal !== 'dev' && temporal !== 'cluster') throw new Error(`--temporal must be dev or cluster\n${USAGE}`);
  const temporalDb = values['temporal-db'] ?? 'file';
  if (temporalDb !== 'file' && temporalDb !== 'memory') throw new Error(`--temporal-db must be file or memory\n${USAGE}`);
  const devVisibilityIndexes = values['dev-visibility-indexes'] ?? 'trimmed';
  if (devVisibilityIndexes !== 'trimmed' && devVisibilityIndexes !== 'all') throw new Error(`--dev-visibility-indexes must be trimmed or all\n${USAGE}`);
  const workflowBundle = values['workflow-bundle'] ?? 'prebuilt';
  if (workflowBundle !== 'prebuilt' && workflowBundle !== 'at-start') throw new Error(`--workflow-bundle must be prebuilt or at-start\n${USAGE}`);
  return {
    events: positiveInt('events', values.events, 2000),
    endpoints: positiveInt('endpoints', values.endpoints, 4),
    backlog: positiveInt('backlog', values.backlog, 2000, 0),
    out: values.out ?? 'bench-results.json',
    concurrency: positiveInt('concurrency', values.concurrency, 32),
    halfSeconds: positiveInt('half-seconds', values['half-seconds'], 20),
    deadlineSeconds: positiveInt('deadline', values.deadline, 3600),
    profileDir: values.profile,
    phases,
    temporalDb,
    devVisibilityIndexes,
    devServerArgs: [...(values['sqlite-pragma'] ?? []).map((p) => `--sqlite-pragma=${p}`), ...(values['dev-server-arg'] ?? [])],
    topology,
    temporal,
    workers: positiveInt('workers', values.workers, 1),
    workflowBundle,
  };
}
