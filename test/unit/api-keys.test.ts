import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiKeyDigest, generateApiKey, isTenantKeyShaped, visiblePrefix } from '../../domain/api-keys';

describe('tenant API keys', () => {
  it('are hrd_ and 43 base62 characters, different every time', () => {
    const keys = Array.from({ length: 200 }, generateApiKey);
    for (const key of keys) assert.match(key, /^hrd_[0-9A-Za-z]{43}$/);
    assert.equal(new Set(keys).size, keys.length);
  });

  it('use every base62 character', () => {
    const seen = new Set(Array.from({ length: 100 }, generateApiKey).join('').slice(4));
    assert.ok(seen.size >= 60, `only ${seen.size} distinct characters`);
  });

  it('are recognised by shape, and nothing else is', () => {
    assert.ok(isTenantKeyShaped(generateApiKey()));
    for (const other of ['admin_0123', 'hrd_short', `hrd_${'a'.repeat(43)}!`, `HRD_${'a'.repeat(43)}`, '']) assert.ok(!isTenantKeyShaped(other), other);
  });

  it('show only their first 12 characters and digest to 32 bytes', () => {
    const key = generateApiKey();
    assert.equal(visiblePrefix(key), key.slice(0, 12));
    assert.equal(apiKeyDigest(key).length, 32);
    assert.deepEqual(apiKeyDigest(key), apiKeyDigest(key));
  });
});
