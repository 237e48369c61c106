import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../config/config';
import { generateMasterKey } from '../../domain/encryption';

const env = (overrides: Record<string, string>) => ({
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/herald',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  HERALD_ADMIN_KEY: 'admin-key-0123456789',
  HERALD_ENCRYPTION_KEY: generateMasterKey(),
  ...overrides,
});

describe('configuration', () => {
  it('takes a 32-byte encryption key as base64 or hex', () => {
    assert.equal(loadConfig(env({})).encryptionKey.length, 44);
    assert.equal(loadConfig(env({ HERALD_ENCRYPTION_KEY: 'ab'.repeat(32) })).encryptionKey.length, 64);
  });

  it('refuses a wrong encryption key at once, with the other config errors, and never echoes it', () => {
    for (const key of ['', 'short', 'ab'.repeat(31), Buffer.alloc(31).toString('base64'), `${'ab'.repeat(32)}x`]) {
      assert.throws(
        () => loadConfig(env({ HERALD_ENCRYPTION_KEY: key, HERALD_ADMIN_KEY: 'short' })),
        (err: Error) => {
          assert.ok(err instanceof ConfigError);
          assert.match(err.message, /HERALD_ENCRYPTION_KEY: must be 32 bytes, given as base64 \(44 characters\) or hex \(64 characters\)/);
          assert.match(err.message, /HERALD_ADMIN_KEY/);
          if (key.length > 5) assert.ok(!err.message.includes(key));
          return true;
        },
        JSON.stringify(key),
      );
    }
  });

  it('bounds how long a publish waits for workflow starts: 2 s by default, 0 to 60 s', () => {
    assert.equal(loadConfig(env({})).startWaitMs, 2_000);
    assert.equal(loadConfig(env({ HERALD_START_WAIT: '250ms' })).startWaitMs, 250);
    assert.equal(loadConfig(env({ HERALD_START_WAIT: '0' })).startWaitMs, 0);
    assert.throws(() => loadConfig(env({ HERALD_START_WAIT: '2m' })), /HERALD_START_WAIT: must be between/);
  });

  it('bounds the workflow tasks a worker runs at once: 50 by default, 2 to 1000', () => {
    assert.equal(loadConfig(env({})).workerConcurrency, 50);
    assert.equal(loadConfig(env({ HERALD_WORKER_CONCURRENCY: '200' })).workerConcurrency, 200);
    for (const value of ['0', '1', '1001', '12.5', 'many']) {
      assert.throws(() => loadConfig(env({ HERALD_WORKER_CONCURRENCY: value })), /HERALD_WORKER_CONCURRENCY/, value);
    }
  });
});
