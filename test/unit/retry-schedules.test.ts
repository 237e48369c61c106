import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retryPolicySchema } from '../../domain/retry-policy-schema';
import { delayAfterAttempt, maxAttempts, type RetryPolicy } from '../../domain/retry-schedules';

const MIN = 60_000;
const HOUR = 60 * MIN;
const fixed = () => 0.5;

/** Every wait of a policy, in order, until it is exhausted. */
function schedule(policy: RetryPolicy, random: () => number = fixed): number[] {
  const delays: number[] = [];
  for (let made = 1; ; made++) {
    const delay = delayAfterAttempt(policy, made, random);
    if (delay === undefined) return delays;
    delays.push(delay);
  }
}

describe('retry presets', () => {
  it('default: immediately, then +1 min, +5 min, +30 min', () => {
    assert.deepEqual(schedule({ preset: 'default' }), [MIN, 5 * MIN, 30 * MIN]);
    assert.equal(maxAttempts({ preset: 'default' }), 4);
  });

  it('extended: six attempts ending 24 h later', () => {
    assert.deepEqual(schedule({ preset: 'extended' }), [MIN, 5 * MIN, 30 * MIN, 2 * HOUR, 24 * HOUR]);
  });

  it('standard: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h', () => {
    assert.deepEqual(schedule({ preset: 'standard' }), [5000, 5 * MIN, 30 * MIN, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR, 24 * HOUR]);
  });

  it('none: a single attempt', () => {
    assert.deepEqual(schedule({ preset: 'none' }), []);
    assert.equal(maxAttempts({ preset: 'none' }), 1);
  });

  it('jittered: three retries each 5 to 10 minutes apart, the same for the same random sequence', () => {
    for (const r of [0, 0.25, 0.999]) {
      const delays = schedule({ preset: 'jittered' }, () => r);
      assert.equal(delays.length, 3);
      for (const d of delays) assert.ok(d >= 5 * MIN && d <= 10 * MIN, String(d));
    }
    const seq = () => {
      let i = 0;
      return () => [0.1, 0.7, 0.4][i++ % 3]!;
    };
    assert.deepEqual(schedule({ preset: 'jittered' }, seq()), schedule({ preset: 'jittered' }, seq()));
  });

  it('exponential: four retries that grow, jittered within bounds', () => {
    const delays = schedule({ preset: 'exponential' });
    assert.equal(delays.length, 4);
    for (let i = 1; i < delays.length; i++) assert.ok(delays[i]! > delays[i - 1]!);
    const low = schedule({ preset: 'exponential' }, () => 0);
    const high = schedule({ preset: 'exponential' }, () => 1);
    delays.forEach((d, i) => assert.ok(low[i]! <= d && d <= high[i]!));
  });
});

describe('custom retry policies', () => {
  it('parses delays from the wire and applies them in order', () => {
    const policy = retryPolicySchema.parse({ delays: ['1s', '5m', 7200000] });
    assert.deepEqual(schedule(policy), [1000, 5 * MIN, 2 * HOUR]);
  });

  it('moves each delay by at most the jitter fraction', () => {
    const policy = retryPolicySchema.parse({ delays: ['10m'], jitter: 0.1 });
    assert.deepEqual(schedule(policy, () => 0), [9 * MIN]);
    assert.deepEqual(schedule(policy, () => 1), [11 * MIN]);
  });

  it('caps exponential backoff at max and stops after the given attempts', () => {
    const policy = retryPolicySchema.parse({ exponential: { initial: '30s', factor: 2, max: '2m', attempts: 5 } });
    assert.deepEqual(schedule(policy), [30_000, 60_000, 120_000, 120_000]);
  });

  it('refuses faults at their paths', () => {
    const paths = (input: unknown) => retryPolicySchema.safeParse(input).error?.issues.map((i) => i.path.join('.'));
    assert.deepEqual(paths({ preset: 'forever' }), ['preset']);
    assert.deepEqual(paths({ delays: ['1x'] }), ['delays.0']);
    assert.deepEqual(paths({ delays: ['100ms'] }), ['delays.0']);
    assert.deepEqual(paths({ exponential: { initial: '1m', factor: 2, max: '30s', attempts: 3 } }), ['exponential.max']);
    assert.deepEqual(paths({ preset: 'default', delays: ['1m'] }), ['']);
  });
});
