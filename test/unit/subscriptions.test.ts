import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { subscribesTo } from '../../domain/subscriptions';

describe('event type subscriptions', () => {
  it('matches exact names, group wildcards and *', () => {
    assert.ok(subscribesTo(['design.exported'], 'design.exported'));
    assert.ok(subscribesTo(['design.*'], 'design.exported'));
    assert.ok(!subscribesTo(['design.*'], 'designs.exported'));
    assert.ok(subscribesTo(['*'], 'build-status-changed'));
    assert.ok(!subscribesTo(['export.completed'], 'design.exported'));
  });

  it('delivers system events only to endpoints that name them', () => {
    assert.ok(!subscribesTo(['*'], 'webhook.failed'));
    assert.ok(!subscribesTo(['webhook.*'], 'webhook.failed'));
    assert.ok(subscribesTo(['webhook.failed'], 'webhook.failed'));
  });
});
