import type { FieldError } from './problems';

/** Objects and arrays nest at most this deep in any request body (README, "Security model"). */
export const MAX_JSON_DEPTH = 32;

/**
 * The first thing in a parsed JSON body that Herald cannot keep as sent: nesting beyond
 * MAX_JSON_DEPTH (deep recursion in validators and serialisers), a U+0000 (PostgreSQL text and
 * jsonb refuse it), a lone UTF-16 surrogate (not a Unicode character; jsonb refuses it too), a
 * number beyond a double (JSON.parse makes it Infinity, stored as null), or a `__proto__` key
 * (assigning it changes an object's prototype instead of adding a field). Iterative, so a hostile
 * depth cannot exhaust the stack here either.
 */
export function jsonFault(root: unknown): FieldError | undefined {
  const stack: { value: unknown; path: string[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      const fault = stringFault(value);
      if (fault) return { path: path.join('.'), message: fault };
      continue;
    }
    if (typeof value === 'number' && !Number.isFinite(value)) return { path: path.join('.'), message: 'is a number too large to represent' };
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= MAX_JSON_DEPTH) return { path: path.join('.'), message: `nests deeper than ${MAX_JSON_DEPTH} levels` };
    for (const [key, child] of Object.entries(value)) {
      const keyFault = key === '__proto__' ? 'is reserved (__proto__)' : stringFault(key);
      if (keyFault) return { path: [...path, key].join('.'), message: `key ${keyFault}` };
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return undefined;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function stringFault(s: string): string | undefined {
  if (s.includes('\u0000')) return 'contains a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(s)) return 'contains a lone UTF-16 surrogate, which is not a Unicode character';
  return undefined;
}
