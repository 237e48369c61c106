import { $and, $eq, $exists, $gt, $gte, $in, $lt, $lte, $ne, $nin, $not, $options, $or, createEqualsOperation, createQueryTester } from 'sift';
import { z } from 'zod';
import { compileSafeRegex } from './safe-regex';

/**
 * (README, "Routing, payloads and pacing") endpoint filters: a MongoDB-style rule over `{type, data, metadata}`, matched by `sift`.
 * validateFilter refuses anything outside the documented subset before sift sees it, and sift
 * itself is handed only these operators, so `$where` (which runs code) can never be reached.
 */
export type Filter = Record<string, unknown>;
export interface FilterFault {
  path: string;
  message: string;
}
export interface FilterableEvent {
  type: string;
  data: unknown;
  metadata: Record<string, unknown> | null;
}

const LOGICAL = ['$and', '$or', '$not'];
const FIELD_OPERATORS = ['$eq', '$ne', '$in', '$nin', '$gt', '$gte', '$lt', '$lte', '$exists', '$regex', '$options', '$not'];
const ROOTS = ['type', 'data', 'metadata'];
// Keys that would walk onto Object.prototype instead of the event's own fields.
const UNSAFE_SEGMENTS = ['__proto__', 'prototype', 'constructor'];
const MAX_DEPTH = 10;
const MAX_LIST = 1000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

/** Every fault in a filter, each at its path inside the filter (`data.build.status.$nee`). */
export function validateFilter(filter: unknown): { ok: true } | { ok: false; errors: FilterFault[] } {
  const errors: FilterFault[] = [];
  if (!isObject(filter)) errors.push({ path: '', message: 'must be an object such as {"data.status": {"$ne": "PASSED"}}' });
  else checkRule(filter, '', 0, errors);
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

function checkRule(rule: Record<string, unknown>, path: string, depth: number, errors: FilterFault[]): void {
  if (depth > MAX_DEPTH) return void errors.push({ path, message: `nests deeper than ${MAX_DEPTH} levels` });
  for (const [key, value] of Object.entries(rule)) {
    const here = at(path, key);
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value) || value.length === 0 || value.length > 100) errors.push({ path: here, message: 'must be a list of 1 to 100 rules' });
      else value.forEach((r, i) => (isObject(r) ? checkRule(r, at(here, i), depth + 1, errors) : errors.push({ path: at(here, i), message: 'must be a rule object' })));
    } else if (key === '$not') {
      if (isObject(value)) checkRule(value, here, depth + 1, errors);
      else errors.push({ path: here, message: 'must be a rule object' });
    } else if (key.startsWith('$')) {
      const hint = FIELD_OPERATORS.includes(key) ? 'belongs under a path, as in {"data.status": {"$eq": …}}' : `is not an operator here (use ${LOGICAL.join(', ')} or a path)`;
      errors.push({ path: here, message: hint });
    } else {
      const fault = pathFault(key);
      if (fault) errors.push({ path: here, message: fault });
      else checkCondition(value, here, depth + 1, errors);
    }
  }
}

function pathFault(path: string): string | undefined {
  const segments = path.split('.');
  if (!ROOTS.includes(segments[0]!)) return `must start with ${ROOTS.join(', ')} (the filter sees {type, data, metadata})`;
  if (segments.some((s) => s === '')) return 'has an empty segment';
  if (segments.some((s) => UNSAFE_SEGMENTS.includes(s))) return `may not contain ${UNSAFE_SEGMENTS.join(', ')}`;
  return undefined;
}

/** The value under a path: an operator object (`{"$in": […]}`) or a literal to compare with. */
function checkCondition(value: unknown, path: string, depth: number, errors: FilterFault[]): void {
  if (depth > MAX_DEPTH) return void errors.push({ path, message: `nests deeper than ${MAX_DEPTH} levels` });
  if (!isObject(value) || !Object.keys(value).some((k) => k.startsWith('$'))) return checkLiteral(value, path, depth, errors);
  for (const [op, operand] of Object.entries(value)) {
    const here = at(path, op);
    const fault = operandFault(op, operand, value);
    if (fault) errors.push({ path: here, message: fault });
    else if (op === '$not') {
      if (isObject(operand) && Object.keys(operand).length > 0 && Object.keys(operand).every((k) => k.startsWith('$'))) checkCondition(operand, here, depth + 1, errors);
      else errors.push({ path: here, message: 'must be an operator object such as {"$in": […]}' });
    }
  }
}

function operandFault(op: string, operand: unknown, siblings: Record<string, unknown>): string | undefined {
  switch (op) {
    case '$eq':
    case '$ne':
    case '$not':
      return undefined;
    case '$in':
    case '$nin':
      return Array.isArray(operand) && operand.length <= MAX_LIST ? undefined : `must be a list of at most ${MAX_LIST} values`;
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return typeof operand === 'number' || typeof operand === 'string' ? undefined : 'must be a number or a string';
    case '$exists':
      return typeof operand === 'boolean' ? undefined : 'must be true or false';
    case '$regex': {
      if (typeof operand !== 'string') return 'must be a string';
      // A bad $options is reported on its own; here only valid flags take part.
      const flags = typeof siblings.$options === 'string' && /^[ims]*$/.test(siblings.$options) ? siblings.$options : '';
      const compiled = compileSafeRegex(operand, flags);
      return compiled.ok ? undefined : compiled.message;
    }
    case '$options':
      if (!('$regex' in siblings)) return 'goes with $regex';
      return typeof operand === 'string' && /^[ims]*$/.test(operand) ? undefined : 'must be a string of the flags i, m, s';
    default:
      if (!op.startsWith('$')) return 'cannot be mixed with operators: use one or the other under a path';
      return `is not a known operator (use ${FIELD_OPERATORS.join(', ')})`;
  }
}

/** Literal values compare as a whole, so an operator inside one would silently never match. */
function checkLiteral(value: unknown, path: string, depth: number, errors: FilterFault[]): void {
  if (depth > MAX_DEPTH * 2) return void errors.push({ path, message: 'nests too deep' });
  if (Array.isArray(value)) value.forEach((v, i) => checkLiteral(v, at(path, i), depth + 1, errors));
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('$')) errors.push({ path: at(path, k), message: 'operators go right under a dotted path, as in {"data.build.status": {"$ne": …}}' });
      else checkLiteral(v, at(path, k), depth + 1, errors);
    }
  }
}

/** sift's `$regex` replaced by one on RE2 (see safe-regex.ts); the rest are sift's own. */
const operations = {
  $and, $or, $not, $eq, $ne, $in, $nin, $gt, $gte, $lt, $lte, $exists, $options,
  $regex: (pattern: string, owner: Record<string, unknown>, options: Parameters<typeof createEqualsOperation>[2]) => {
    const compiled = compileSafeRegex(pattern, typeof owner.$options === 'string' ? owner.$options : '');
    if (!compiled.ok) throw new FilterError([{ path: '$regex', message: compiled.message }]);
    const regex = compiled.regex;
    return createEqualsOperation((value: unknown) => typeof value === 'string' && regex.test(value), owner, options);
  },
};

export class FilterError extends Error {
  constructor(readonly errors: FilterFault[]) {
    super(`invalid filter: ${errors.map((e) => `${e.path || '(filter)'} ${e.message}`).join('; ')}`);
  }
}

type Matcher = (event: FilterableEvent) => boolean;
// Endpoints share few distinct filters; the bound only keeps a flood of new ones from growing memory.
const MAX_CACHED = 1000;
const cache = new Map<string, Matcher>();

/** A matcher for a filter that validateFilter accepts (throws FilterError otherwise), cached by its JSON. */
export function compileFilter(filter: Filter): Matcher {
  const key = JSON.stringify(filter);
  const cached = cache.get(key);
  if (cached) return cached;
  const checked = validateFilter(filter);
  if (!checked.ok) throw new FilterError(checked.errors);
  const test = createQueryTester(filter, { operations });
  const matcher: Matcher = (event) => test({ type: event.type, data: event.data, metadata: event.metadata });
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, matcher);
  return matcher;
}

/** The `filter` field of an endpoint: each fault becomes a 422 at `filter.<path>`. */
export const filterSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    const checked = validateFilter(value);
    // One segment holding the dotted path: parseInput joins segments with "." anyway.
    if (!checked.ok) for (const e of checked.errors) ctx.addIssue({ code: z.ZodIssueCode.custom, path: e.path ? [e.path] : [], message: e.message });
  })
  .transform((value) => value as Filter);
