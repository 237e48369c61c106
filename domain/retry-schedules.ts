// Pure and deterministic given `random`: the delivery workflow calls this with the workflow's
// seeded Math.random, so a replay computes exactly the same schedule.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const RETRY_PRESETS = ['default', 'extended', 'jittered', 'exponential', 'standard', 'none'] as const;
export type RetryPresetName = (typeof RETRY_PRESETS)[number];

export interface ExponentialBackoff {
  initialMs: number;
  factor: number;
  maxMs: number;
  /** Attempts in all, the first one included. */
  attempts: number;
  /** 0..1: each delay is moved up to this fraction either way. */
  jitter: number;
}

/** An endpoint's retry policy, normalised to milliseconds. */
export type RetryPolicy =
  | { preset: RetryPresetName }
  | { delaysMs: number[]; jitter: number }
  | { exponential: ExponentialBackoff };

const FIXED_PRESETS: Record<Exclude<RetryPresetName, 'jittered' | 'exponential'>, number[]> = {
  default: [1 * MINUTE, 5 * MINUTE, 30 * MINUTE],
  extended: [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 24 * HOUR],
  standard: [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR, 24 * HOUR],
  none: [],
};

const EXPONENTIAL_PRESET: ExponentialBackoff = { initialMs: MINUTE, factor: 3, maxMs: HOUR, attempts: 5, jitter: 0.2 };
const JITTERED_RETRIES = 3;
const JITTERED_MIN_MS = 5 * MINUTE;
const JITTERED_MAX_MS = 10 * MINUTE;

/** How many attempts the policy makes in all, the first one included. */
export function maxAttempts(policy: RetryPolicy): number {
  if ('delaysMs' in policy) return policy.delaysMs.length + 1;
  if ('exponential' in policy) return policy.exponential.attempts;
  if (policy.preset === 'jittered') return JITTERED_RETRIES + 1;
  if (policy.preset === 'exponential') return EXPONENTIAL_PRESET.attempts;
  return FIXED_PRESETS[policy.preset].length + 1;
}

/**
 * The wait after attempt number `attemptsMade` (1-based) before the next one,
 * or undefined when the schedule is exhausted.
 */
export function delayAfterAttempt(policy: RetryPolicy, attemptsMade: number, random: () => number): number | undefined {
  if (attemptsMade < 1 || attemptsMade >= maxAttempts(policy)) return undefined;
  const retryIndex = attemptsMade - 1;
  if ('delaysMs' in policy) return withJitter(policy.delaysMs[retryIndex]!, policy.jitter, random);
  if ('exponential' in policy) return exponentialDelay(policy.exponential, retryIndex, random);
  if (policy.preset === 'jittered') return JITTERED_MIN_MS + Math.round(random() * (JITTERED_MAX_MS - JITTERED_MIN_MS));
  if (policy.preset === 'exponential') return exponentialDelay(EXPONENTIAL_PRESET, retryIndex, random);
  return FIXED_PRESETS[policy.preset][retryIndex];
}

function exponentialDelay(backoff: ExponentialBackoff, retryIndex: number, random: () => number): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** retryIndex);
  return Math.min(backoff.maxMs, withJitter(base, backoff.jitter, random));
}

function withJitter(delayMs: number, jitter: number, random: () => number): number {
  if (jitter === 0) return delayMs;
  return Math.max(0, Math.round(delayMs * (1 + jitter * (2 * random() - 1))));
}
