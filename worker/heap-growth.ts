import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets a heap grow past what survived its last full collection before it collects
 * again: 100 % (a factor of 2). V8 picks up to 4 by itself when memory looks plentiful, and a
 * worker's two heaps (its main thread and the workflow thread) then swelled from about 100 MB
 * live each to 374 and 465 MB before a collection while a backlog drained (README "Performance").
 */
export const HEAP_GROWING_PERCENT = 100;

/**
 * Sets V8's heap growing factor for every heap of this process, the workflow threads the worker
 * starts after this included (V8 flags are process-wide). A `--heap-growing-percent` on Node's
 * command line wins (NODE_OPTIONS may not carry it); 0 there restores V8's own choice.
 */
export function limitHeapGrowth(): void {
  if (process.execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
