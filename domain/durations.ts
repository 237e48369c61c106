import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** Parses `500ms`, `30s`, `5m`, `2h`, `1d` (or milliseconds, as a number or digits); undefined when malformed. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  // Environment variables are strings: "0" or "60000" there means milliseconds too.
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const match = DURATION_PATTERN.exec(value.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

/** A zod schema for a wire duration, bounded, that outputs milliseconds. */
export function durationSchema(bounds: { min: number; max: number }) {
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a duration such as "500ms", "30s", "5m", "2h", "1d" or an integer of milliseconds' });
      return z.NEVER;
    }
    if (ms < bounds.min || ms > bounds.max) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be between ${formatDuration(bounds.min)} and ${formatDuration(bounds.max)}` });
      return z.NEVER;
    }
    return ms;
  });
}

/** The shortest exact wire form of a number of milliseconds (`90000` → `90s`). */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
