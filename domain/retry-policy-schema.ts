import { z } from 'zod';
import { durationSchema, formatDuration } from './durations';
import { RETRY_PRESETS, type RetryPolicy } from './retry-schedules';

const DAY = 86_400_000;
const retryDelay = durationSchema({ min: 1_000, max: 7 * DAY });
const jitter = z.number().min(0).max(1);

const exponentialSchema = z
  .object({
    initial: retryDelay,
    factor: z.number().min(1).max(10),
    max: retryDelay,
    attempts: z.number().int().min(1).max(20),
    jitter: jitter.default(0),
  })
  .strict()
  .refine((e) => e.max >= e.initial, { message: 'must not be shorter than initial', path: ['max'] });

/**
 * The wire form of an endpoint's retry policy (README, "API"), parsed into a normalised RetryPolicy.
 * One object with exactly one of `preset`, `delays`, `exponential` rather than a zod union, so
 * that a fault is reported at its own path (`retry.preset`) instead of "invalid union".
 */
export const retryPolicySchema = z
  .object({
    preset: z.enum(RETRY_PRESETS).optional(),
    delays: z.array(retryDelay).min(1).max(20).optional(),
    jitter: jitter.optional(),
    exponential: exponentialSchema.optional(),
  })
  .strict()
  .superRefine((wire, ctx) => {
    const kinds = (['preset', 'delays', 'exponential'] as const).filter((k) => wire[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'give exactly one of preset, delays or exponential' });
    } else if (wire.jitter !== undefined && kinds[0] !== 'delays') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['jitter'], message: 'jitter here applies to delays only' });
    }
  })
  .transform((wire): RetryPolicy => {
    if (wire.preset) return { preset: wire.preset };
    if (wire.delays) return { delaysMs: wire.delays, jitter: wire.jitter ?? 0 };
    const e = wire.exponential!;
    return { exponential: { initialMs: e.initial, factor: e.factor, maxMs: e.max, attempts: e.attempts, jitter: e.jitter } };
  });

/** The wire form of a stored policy, for API responses. */
export function retryPolicyToWire(policy: RetryPolicy): unknown {
  if ('preset' in policy) return { preset: policy.preset };
  if ('delaysMs' in policy) return { delays: policy.delaysMs.map(formatDuration), jitter: policy.jitter };
  const e = policy.exponential;
  return {
    exponential: { initial: formatDuration(e.initialMs), factor: e.factor, max: formatDuration(e.maxMs), attempts: e.attempts, jitter: e.jitter },
  };
}
