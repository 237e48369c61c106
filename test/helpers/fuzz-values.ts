/** A small seeded PRNG (mulberry32): the same seed replays the same fuzz run. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}

export type Random = ReturnType<typeof seededRandom>;

/** Strings that have broken parsers, databases and validators before. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  '🚀',
  'é',
  '\u202e',
  'x'.repeat(5_000),
  "'; DROP TABLE tenants; --",
  '" OR 1=1 --',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '${7*7}',
  '__proto__',
  'constructor',
  '1e400',
  '-0',
  'NaN',
  'null',
  'true',
  '2026-01-15T10:00:00+25:00',
  '9999-12-31T23:59:59Z',
  '0000-01-01T00:00:00Z',
  'tnt_00000000000000000000000000',
  'https://169.254.169.254/latest/meta-data',
  'http://localhost/hook',
  'whsec_',
];

/** Numbers at the edges of what JSON, JavaScript and PostgreSQL can hold. */
export const HOSTILE_NUMBERS = [0, -1, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 1e308, -1e308, 5e-324];

/** Any JSON value, up to a few levels deep, leaning towards the hostile. */
export function randomJson(random: Random, depth = 0): unknown {
  const kind = random.int(depth > 3 ? 4 : 7);
  switch (kind) {
    case 0:
      return random.pick(HOSTILE_STRINGS);
    case 1:
      return random.pick(HOSTILE_NUMBERS);
    case 2:
      return random.pick([true, false, null]);
    case 3:
      return random.pick(['design.exported', 'ok', 'a'.repeat(random.int(300))]);
    case 4:
      return Array.from({ length: random.int(4) }, () => randomJson(random, depth + 1));
    default: {
      const value: Record<string, unknown> = {};
      for (let i = random.int(5); i > 0; i--) value[random.pick([...HOSTILE_STRINGS.slice(0, 12), 'name', 'url', 'data', 'type', 'events', 'filter'])] = randomJson(random, depth + 1);
      return value;
    }
  }
}

/** JSON text nested `depth` levels deep around `leaf`, built as text (stringify would overflow). */
export function deepJson(depth: number, leaf = '1'): string {
  return '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
}

/** Raw request bodies that are not the JSON they claim to be, or not JSON at all. */
export const HOSTILE_BODIES = [
  '',
  '{',
  'null',
  '[]',
  '"text"',
  '{"a":1,"a":2}',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  deepJson(10_000),
  '[' .repeat(10_000) + ']'.repeat(10_000),
  '{"n":1e400}',
  '\ufeff{}',
  '{"x":"\\ud800"}',
  '{"x":"\\u0000"}',
];
