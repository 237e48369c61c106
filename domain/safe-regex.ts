import { RE2JS } from 're2js';

/**
 * Regular expressions written by tenants (filters, transforms) run on RE2 (re2js, pure JS), whose
 * matching time is linear in the input: no pattern can backtrack catastrophically (ReDoS) and stall
 * the API or a worker. The price is RE2's syntax: no look-around and no back-references.
 */
export const MAX_PATTERN_LENGTH = 256;

const FLAG_BITS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL };

/** A pattern compiled on RE2, or the reason it cannot be (too long, bad syntax, unknown flag). */
export function compileSafeRegex(pattern: string, flags = '', maxLength = MAX_PATTERN_LENGTH): { ok: true; regex: RE2JS } | { ok: false; message: string } {
  if (pattern.length > maxLength) return { ok: false, message: `must be at most ${maxLength} characters` };
  let bits = 0;
  for (const flag of flags) {
    const bit = FLAG_BITS[flag];
    if (bit === undefined) return { ok: false, message: `unknown flag "${flag}" (use i, m or s)` };
    bits |= bit;
  }
  try {
    return { ok: true, regex: RE2JS.compile(pattern, bits) };
  } catch (err) {
    return { ok: false, message: `is not a valid RE2 regular expression: ${(err as Error).message}` };
  }
}

/**
 * A RegExp stand-in for JSONata's `RegexEngine` option: JSONata only constructs it from a regex
 * literal and calls `exec` with `lastIndex`, the way it uses a global RegExp.
 */
export class Re2RegexEngine {
  lastIndex = 0;
  private readonly regex: RE2JS;

  constructor(source: RegExp) {
    const compiled = compileSafeRegex(source.source, source.flags.replace('g', ''));
    if (!compiled.ok) throw new Error(`regular expression /${source.source}/ ${compiled.message}`);
    this.regex = compiled.regex;
  }

  exec(input: string): ((string | undefined)[] & { index: number }) | null {
    const matcher = this.regex.matcher(input);
    if (this.lastIndex > input.length || !matcher.find(this.lastIndex)) return null;
    // As RegExp.exec does, a group that took no part in the match is undefined.
    const groups: (string | undefined)[] = [];
    for (let g = 0; g <= matcher.groupCount(); g++) groups.push(matcher.group(g) ?? undefined);
    this.lastIndex = matcher.end();
    return Object.assign(groups, { index: matcher.start() });
  }
}
