import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRetryAfter } from '../../domain/retry-after';

const now = Date.parse('2024-03-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delta-seconds as milliseconds', () => {
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
  });

  it('reads an IMF-fixdate relative to now', () => {
    assert.equal(parseRetryAfter('Fri, 01 Mar 2024 12:01:30 GMT', now), 90_000);
  });

  it('reads the obsolete RFC 850 and asctime date formats as GMT', () => {
    assert.equal(parseRetryAfter('Friday, 01-Mar-24 12:00:10 GMT', now), 10_000);
    assert.equal(parseRetryAfter('Fri Mar  1 12:00:20 2024', now), 20_000);
  });

  it('ignores a missing header', () => {
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  it('ignores negative, fractional and garbage values', () => {
    for (const value of ['-5', '1.5', '', 'soon', '1 minute', '0x10', '2024-03-01T12:05:00Z', 'Fri, 01 Mar 2024']) {
      assert.equal(parseRetryAfter(value, now), undefined, value);
    }
  });

  it('ignores a date in the past', () => {
    assert.equal(parseRetryAfter('Fri, 01 Mar 2024 11:59:00 GMT', now), undefined);
  });

  it('ignores a delay too large to represent exactly', () => {
    assert.equal(parseRetryAfter('9'.repeat(30), now), undefined);
  });
});
