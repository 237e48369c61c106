import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The layers of README "Layout", lowest first: a folder may import from its own layer and the
 * ones below. Entry points (dev, scripts, bench) sit on top.
 */
const LAYERS: string[][] = [
  ['domain'],
  ['config', 'observability'],
  ['db', 'outbound', 'workflows', 'console'],
  ['temporal'],
  ['app'],
  ['activities', 'composition'],
  ['api', 'worker'],
  ['dev', 'bench', 'scripts'],
];
const layerOf = (file: string) => LAYERS.findIndex((folders) => folders.includes(file.split('/')[0]!));

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const relative = path.join(dir, name);
    if (statSync(path.join(ROOT, relative)).isDirectory()) return sourceFiles(relative);
    return name.endsWith('.ts') ? [relative] : [];
  });
}

/** Relative imports (type-only ones included: they tie modules together just the same). */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)].map((m) => m[1]!);
  return specifiers.flatMap((spec) => {
    const base = path.normalize(path.join(path.dirname(file), spec));
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => existsSync(path.join(ROOT, candidate)));
    return target ? [target] : [];
  });
}

const files = LAYERS.flat().flatMap((dir) => (existsSync(path.join(ROOT, dir)) ? sourceFiles(dir) : []));
const graph = new Map(files.map((file) => [file, importsOf(file)]));

/** Strongly connected components with more than one module (Tarjan): the import circles. */
function circles(): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const lowlinks = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    lowlinks.set(v, index++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        lowlinks.set(v, Math.min(lowlinks.get(v)!, lowlinks.get(w)!));
      } else if (stack.includes(w)) {
        lowlinks.set(v, Math.min(lowlinks.get(v)!, indices.get(w)!));
      }
    }
    if (lowlinks.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!indices.has(file)) visit(file);
  return found;
}

describe('the module structure', () => {
  it('has no import circle', () => {
    assert.deepEqual(circles(), []);
  });

  it('imports downwards only, but for the workflow code learning the activity types', () => {
    const upward = [...graph].flatMap(([file, targets]) => targets.filter((t) => layerOf(t) > layerOf(file)).map((t) => `${file} -> ${t}`));
    assert.deepEqual(upward, ['workflows/activity-types.ts -> activities/index.ts']);
  });
});
