// The delivery path's statements are prepared once per connection (db/prepared-statement.ts). A
// process of the previous release keeps its prepared statements while a newer one migrates the
// schema, so they must go on working after a migration adds columns to the tables they read.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Pool } from 'pg';
import { createAttemptInputsReader } from '../../db/attempt-inputs';
import { createDeliveryRepository } from '../../db/delivery-repository';
import { createEndpointRepository } from '../../db/endpoint-repository';
import { createEventRepository } from '../../db/event-repository';
import { createPool } from '../../db/pool';
import { createPublishingContextReader } from '../../db/publishing-context';
import { createTenantRepository } from '../../db/tenant-repository';
import { createSecretBox, generateMasterKey } from '../../domain/encryption';
import { createTestDatabase } from '../helpers/database';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

before(async () => {
  db = await createTestDatabase();
  // One connection: every statement below runs on the connection that prepared it.
  pool = createPool(db.url, 1);
});

after(async () => {
  await pool.end();
  await db.drop();
});

test('the delivery path prepares its statements once and they survive a migration that adds columns', async () => {
  const secretBox = createSecretBox(generateMasterKey());
  const tenants = createTenantRepository(pool);
  const endpoints = createEndpointRepository(pool, secretBox);
  const events = createEventRepository(pool);
  const deliveries = createDeliveryRepository(pool);
  const readContext = createPublishingContextReader(pool);
  const loadAttemptInputs = createAttemptInputsReader(pool, secretBox);

  const tenant = await tenants.create({ name: 'Nexus Studios', alertEmail: 'ops@nexus.example' });
  const endpoint = await endpoints.create({
    tenantId: tenant.id,
    status: 'active',
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    settings: {
      url: 'https://hooks.nexus.example/in',
      description: 'designs',
      eventTypes: ['*'],
      filter: null,
      retry: { preset: 'default' },
      timeoutMs: 10_000,
      signature: { scheme: 'standard-webhooks' },
      headers: {},
      rateLimit: null,
      ordering: 'none',
      transform: null,
      metadata: {},
    },
  });

  // The publish and the attempt, as the API and the worker run them, with the rows they may miss.
  const deliveryPath = async (n: number) => {
    const context = await readContext(tenant.id, 'design.exported', { withEndpoints: true });
    assert.equal(context.tenantExists, true);
    assert.deepEqual(
      context.receiving.map((e) => e.id),
      [endpoint.id],
    );
    assert.deepEqual(await readContext(tenant.id, 'design.exported', { withEndpoints: false }), { tenantExists: true, schema: null, receiving: [] });
    assert.deepEqual(await readContext('tnt_missing', 'design.exported', { withEndpoints: true }), { tenantExists: false, schema: null, receiving: [] });
    const newEvent = { tenantId: tenant.id, type: 'design.exported', occurredAt: new Date(), data: { design_id: `d_${n}` }, metadata: null, idempotencyKey: `export-${n}` };
    const [published] = await events.publish([{ event: newEvent, recipients: [{ id: endpoint.id, ordering: 'none' }] }]);
    assert.equal(published!.created, true);
    // The same Idempotency-Key again: nothing inserted, the first event and its delivery back.
    const [again] = await events.publish([{ event: newEvent, recipients: [{ id: endpoint.id, ordering: 'none' }] }]);
    assert.deepEqual([again!.created, again!.event.id, again!.deliveries.map((d) => d.id)], [false, published!.event.id, published!.deliveries.map((d) => d.id)]);
    const delivery = published!.deliveries[0]!;
    await deliveries.markStarted([delivery.id]);
    const inputs = await loadAttemptInputs(endpoint.id, published!.event.id);
    assert.deepEqual(inputs.endpoint, await endpoints.get(endpoint.id));
    assert.deepEqual(inputs.event?.data, { design_id: `d_${n}` });
    assert.deepEqual(
      inputs.secrets.map((s) => s.secret),
      ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    );
    assert.deepEqual(await loadAttemptInputs('ep_missing', 'evt_missing'), { endpoint: undefined, event: undefined, secrets: [] });
    const startedAt = new Date();
    await deliveries.recordAttempt({
      deliveryId: delivery.id,
      number: 1,
      trigger: 'scheduled',
      startedAt,
      durationMs: 12,
      request: { url: endpoint.url, headers: {} },
      response: { status: 204, headers: {}, body: '' },
      error: null,
    });
    const attempts = await deliveries.attempts(delivery.id);
    assert.deepEqual(
      attempts.map((a) => [a.number, a.response?.status]),
      [[1, 204]],
    );
  };

  // PostgreSQL plans a prepared statement for its values five times, then may keep a generic plan.
  for (let n = 1; n <= 8; n++) await deliveryPath(n);
  const prepared = await pool.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name');
  assert.deepEqual(
    prepared.rows.map((r) => r.name),
    ['attempt-inputs', 'insert-event-alone', 'mark-workflows-started', 'publishing-context', 'record-attempt'],
  );

  // What the statements guard against: a prepared `*` read stops working once its table gains a column.
  await pool.query({ name: 'endpoints-star', text: 'SELECT * FROM endpoints WHERE id = $1', values: [endpoint.id] });
  await pool.query('ALTER TABLE endpoints ADD COLUMN added_by_a_later_release text');
  await pool.query('ALTER TABLE events ADD COLUMN added_by_a_later_release text');
  await pool.query('ALTER TABLE delivery_attempts ADD COLUMN added_by_a_later_release text');
  await assert.rejects(pool.query({ name: 'endpoints-star', text: 'SELECT * FROM endpoints WHERE id = $1', values: [endpoint.id] }), /cached plan must not change result type/);

  for (let n = 9; n <= 16; n++) await deliveryPath(n);
});
