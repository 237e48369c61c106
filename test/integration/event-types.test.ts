import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startStack, type Stack } from '../helpers/stack';

const buildSchema = {
  type: 'object',
  required: ['build'],
  properties: { build: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } },
};
const SYSTEM_TYPES = ['endpoint.disabled', 'webhook.failed', 'webhook.verification'];

describe('the event type catalog', () => {
  let stack: Stack;
  let tenantKey: string;
  before(async () => {
    stack = await startStack();
    const tenant = await stack.api('POST', '/v1/tenants', { name: 'Chromatic', alert_email: 'ops@chromatic.example' });
    const key = await stack.api('POST', `/v1/tenants/${tenant.body.id}/api-keys`);
    assert.equal(key.status, 201, JSON.stringify(key.body));
    tenantKey = key.body.key;
  });
  after(async () => {
    await stack.stop();
  });

  it('creates an entry with the admin key and shows it to any key', async () => {
    const created = await stack.api('POST', '/v1/event-types', { name: 'build-status-changed', description: 'A build changed status', group: 'builds', schema: buildSchema });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(
      { ...created.body, created_at: undefined, updated_at: undefined },
      { name: 'build-status-changed', description: 'A build changed status', group: 'builds', schema: buildSchema, deprecated: false, created_at: undefined, updated_at: undefined },
    );
    const read = await stack.api('GET', '/v1/event-types/build-status-changed', undefined, { key: tenantKey });
    assert.equal(read.status, 200);
    assert.deepEqual(read.body.schema, buildSchema);
  });

  it('takes the group from the name when none is given', async () => {
    const created = await stack.api('POST', '/v1/event-types', { name: 'Task.Completed' });
    assert.equal(created.status, 201);
    assert.equal(created.body.group, 'Task');
    assert.equal(created.body.schema, null);
  });

  it('lists the catalog by name with a cursor, filtered by group, including Herald’s own events', async () => {
    for (const name of ['design.created', 'design.exported', 'design.shared']) {
      assert.equal((await stack.api('POST', '/v1/event-types', { name })).status, 201);
    }
    const design = await stack.api('GET', '/v1/event-types?group=design', undefined, { key: tenantKey });
    assert.deepEqual(design.body.data.map((t: { name: string }) => t.name), ['design.created', 'design.exported', 'design.shared']);

    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await stack.api('GET', `/v1/event-types?limit=2${cursor ? `&cursor=${cursor}` : ''}`, undefined, { key: tenantKey });
      assert.equal(page.status, 200);
      assert.ok(page.body.data.length <= 2);
      names.push(...page.body.data.map((t: { name: string }) => t.name));
      cursor = page.body.next_cursor;
    } while (cursor);
    assert.deepEqual(names, [...names].sort());
    for (const name of [...SYSTEM_TYPES, 'Task.Completed', 'build-status-changed', 'design.exported']) assert.ok(names.includes(name), name);
  });

  it('patches description, schema and deprecated, and removes a schema with null', async () => {
    const patched = await stack.api('PATCH', '/v1/event-types/design.exported', { description: 'Exported', deprecated: true, schema: buildSchema });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.deprecated, true);
    assert.deepEqual(patched.body.schema, buildSchema);
    const cleared = await stack.api('PATCH', '/v1/event-types/design.exported', { schema: null });
    assert.equal(cleared.body.schema, null);
    assert.equal(cleared.body.description, 'Exported');
  });

  it('deletes an entry, then answers 404', async () => {
    assert.equal((await stack.api('DELETE', '/v1/event-types/design.shared')).status, 204);
    assert.equal((await stack.api('GET', '/v1/event-types/design.shared')).status, 404);
    assert.equal((await stack.api('DELETE', '/v1/event-types/design.shared')).status, 404);
    assert.equal((await stack.api('PATCH', '/v1/event-types/design.shared', { deprecated: true })).status, 404);
  });

  it('lets only the admin key write', async () => {
    const attempts = [
      await stack.api('POST', '/v1/event-types', { name: 'tenant.made' }, { key: tenantKey }),
      await stack.api('PATCH', '/v1/event-types/design.created', { deprecated: true }, { key: tenantKey }),
      await stack.api('DELETE', '/v1/event-types/design.created', undefined, { key: tenantKey }),
    ];
    assert.deepEqual(attempts.map((r) => r.status), [403, 403, 403]);
    assert.equal((await stack.api('GET', '/v1/event-types/design.created')).body.deprecated, false);
  });

  it('answers 409 to a name that exists', async () => {
    const again = await stack.api('POST', '/v1/event-types', { name: 'design.created' });
    assert.equal(again.status, 409);
  });

  it('refuses an invalid JSON Schema at schema.<path>', async () => {
    const bad = await stack.api('POST', '/v1/event-types', { name: 'bad.schema', schema: { type: 'object', properties: { status: { type: 'strin' } } } });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.errors.map((e: { path: string }) => e.path), ['schema.properties.status.type']);
    const pattern = await stack.api('PATCH', '/v1/event-types/design.created', { schema: { type: 'string', pattern: '(?<=x)y' } });
    assert.equal(pattern.status, 422);
    assert.deepEqual(pattern.body.errors.map((e: { path: string }) => e.path), ['schema.pattern']);
    assert.equal((await stack.api('GET', '/v1/event-types/bad.schema')).status, 404);
  });

  it('refuses bad names, unknown fields and bad list queries', async () => {
    const res = await stack.api('POST', '/v1/event-types', { name: 'has space', colour: 'red' });
    assert.equal(res.status, 422);
    assert.deepEqual(res.body.errors.map((e: { path: string }) => e.path).sort(), ['', 'name']);
    assert.equal((await stack.api('GET', '/v1/event-types?limit=500')).status, 422);
  });
});
