import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { Problem } from '../../api/problems';
import { parseInput } from '../../api/validate';
import { compileFilter, filterSchema, validateFilter, type FilterableEvent } from '../../domain/filters';
import seeds from '../fixtures/seed-events.json';

const task = seeds.creative_force_task_completed.event as FilterableEvent;
const build = seeds.chromatic_build_status_changed.event as FilterableEvent;
const content = seeds.flowcms_content_published.event as FilterableEvent;
const passedBuild: FilterableEvent = { ...build, data: { build: { ...build.data as object, status: 'PASSED' } } };

const matches = (filter: Record<string, unknown>, event: FilterableEvent) => compileFilter(filter)(event);
const faults = (filter: unknown) => {
  const result = validateFilter(filter);
  return result.ok ? [] : result.errors;
};

describe('endpoint filters: the README examples', () => {
  it('passes only events of chosen workspaces', () => {
    const filter = { 'metadata.workspace_id': { $in: ['ws_1', 'ws_aB3dE5fG'] } };
    assert.equal(matches(filter, content), true);
    assert.equal(matches(filter, { ...content, metadata: { workspace_id: 'ws_other' } }), false);
    assert.equal(matches(filter, { ...content, metadata: null }), false);
  });

  it('passes task events of chosen production steps', () => {
    const filter = { 'data.StepName': { $in: ['Capture', 'Photo Review'] } };
    assert.equal(matches(filter, task), false);
    assert.equal(matches(filter, { ...task, data: { ...(task.data as object), StepName: 'Photo Review' } }), true);
  });

  it('drops passed builds', () => {
    const filter = { 'data.build.status': { $ne: 'PASSED' } };
    assert.equal(matches(filter, build), true);
    assert.equal(matches(filter, passedBuild), false);
  });
});

describe('endpoint filter operators', () => {
  const cases: [string, Record<string, unknown>, FilterableEvent, boolean][] = [
    ['$eq on the type', { type: { $eq: 'build-status-changed' } }, build, true],
    ['a bare value as $eq', { 'data.build.branch': 'main' }, build, true],
    ['$ne', { 'data.build.branch': { $ne: 'main' } }, build, false],
    ['$in', { type: { $in: ['task.completed', 'task.started'] } }, task, true],
    ['$nin', { type: { $nin: ['task.completed'] } }, task, false],
    ['$gt', { 'data.build.changeCount': { $gt: 11 } }, build, true],
    ['$gte', { 'data.build.changeCount': { $gte: 12 } }, build, true],
    ['$lt', { 'data.build.changeCount': { $lt: 12 } }, build, false],
    ['$lte on strings', { 'data.build.branch': { $lte: 'main' } }, build, true],
    ['$exists true', { 'metadata.project': { $exists: true } }, build, true],
    ['$exists false on null metadata', { 'metadata.workspace_id': { $exists: false } }, { ...build, metadata: null }, true],
    ['$regex', { 'data.build.webUrl': { $regex: '^https://www\\.chromatic\\.com/' } }, build, true],
    ['$regex with $options i', { 'data.build.result': { $regex: '^success$', $options: 'i' } }, build, true],
    ['$regex on a non-string', { 'data.build.number': { $regex: '123' } }, build, false],
    ['$and', { $and: [{ type: 'build-status-changed' }, { 'data.build.number': 123 }] }, build, true],
    ['$or', { $or: [{ type: 'nope' }, { 'data.build.number': 123 }] }, build, true],
    ['$not at the top', { $not: { type: 'build-status-changed' } }, build, false],
    ['$not on a field', { 'data.build.status': { $not: { $in: ['PASSED', 'ACCEPTED'] } } }, build, true],
    ['an array element', { 'data.stops.hex': '#845EC2' }, seeds.chromaflow_gradient_saved.event as FilterableEvent, true],
    ['an empty filter', {}, build, true],
  ];
  for (const [name, filter, event, expected] of cases) {
    it(`matches with ${name}`, () => {
      assert.deepEqual(faults(filter), []);
      assert.equal(matches(filter, event), expected);
    });
  }
});

describe('filter validation', () => {
  it('names an unknown operator with its path inside the filter', () => {
    assert.deepEqual(faults({ 'data.build.status': { $nee: 'PASSED' } }).map((e) => e.path), ['data.build.status.$nee']);
    assert.deepEqual(faults({ $or: [{ type: 'a' }, { type: { $where: 'true' } }] }).map((e) => e.path), ['$or.1.type.$where']);
  });

  it('refuses a filter that is not an object', () => {
    for (const bad of [null, [], 'type = a', 3]) assert.deepEqual(faults(bad).map((e) => e.path), ['']);
  });

  it('refuses wrong operand types', () => {
    const errors = faults({ type: { $in: 'a' }, 'data.n': { $gt: true }, 'data.x': { $exists: 'yes' }, $and: [], $not: 'x' });
    assert.deepEqual(errors.map((e) => e.path).sort(), ['$and', '$not', 'data.n.$gt', 'data.x.$exists', 'type.$in']);
  });

  it('refuses paths outside {type, data, metadata} and prototype keys', () => {
    assert.deepEqual(faults({ workspace_id: 'ws_1', 'data..x': 1, 'data.__proto__.x': 1 }).map((e) => e.path), ['workspace_id', 'data..x', 'data.__proto__.x']);
  });

  it('refuses field operators at the top and operators hidden in a literal', () => {
    assert.deepEqual(faults({ $eq: 1 }).map((e) => e.path), ['$eq']);
    assert.deepEqual(faults({ data: { build: { status: { $ne: 'PASSED' } } } }).map((e) => e.path), ['data.build.status.$ne']);
    assert.deepEqual(faults({ 'data.x': { $eq: 1, y: 2 } }).map((e) => e.path), ['data.x.y']);
  });

  it('refuses bad, long and backtracking-only regexes, and $options without $regex', () => {
    assert.deepEqual(faults({ type: { $regex: '(' } }).map((e) => e.path), ['type.$regex']);
    assert.match(faults({ type: { $regex: 'a'.repeat(257) } })[0]!.message, /at most 256/);
    assert.deepEqual(faults({ type: { $regex: '(a)\\1' } }).map((e) => e.path), ['type.$regex']);
    assert.deepEqual(faults({ type: { $regex: 'a', $options: 'g' } }).map((e) => e.path), ['type.$options']);
    assert.deepEqual(faults({ type: { $options: 'i' } }).map((e) => e.path), ['type.$options']);
  });

  it('matches a catastrophic-backtracking pattern in linear time', () => {
    const filter = { 'data.s': { $regex: '^(a+)+$' } };
    const started = Date.now();
    assert.equal(matches(filter, { type: 't', data: { s: `${'a'.repeat(50_000)}!` }, metadata: null }), false);
    assert.ok(Date.now() - started < 1000);
  });

  it('refuses filters nested too deep', () => {
    let deep: Record<string, unknown> = { type: 'a' };
    for (let i = 0; i < 12; i++) deep = { $and: [deep] };
    assert.equal(faults(deep).length, 1);
  });

  it('throws when asked to compile an invalid filter', () => {
    assert.throws(() => compileFilter({ 'data.x': { $nee: 1 } }), /data\.x\.\$nee/);
  });

  it('reports each fault through the zod schema at its path', () => {
    const result = filterSchema.safeParse({ 'data.build.status': { $nee: 'PASSED' }, type: { $in: 1 } });
    assert.equal(result.success, false);
    assert.deepEqual(result.error!.issues.map((i) => i.path.join('.')), ['data.build.status.$nee', 'type.$in']);
    assert.deepEqual(filterSchema.parse({ type: 'a' }), { type: 'a' });
  });

  it('answers 422 at filter.<path> when used in a request body', () => {
    const body = z.object({ filter: filterSchema.optional() });
    assert.throws(
      () => parseInput(body, { filter: { 'data.build.status': { $nee: 'PASSED' } } }),
      (err: Problem) => err.status === 422 && err.errors?.[0]?.path === 'filter.data.build.status.$nee',
    );
  });
});
