import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmbeddedPostgres } from '../../dev/embedded-postgres';
import { startChildWorker } from '../helpers/child-worker';
import { eventually } from '../helpers/eventually';
import { createTenantWithEndpoint, publish, waitForStatus } from '../helpers/fixtures';
import { respond, startReceiver, type Receiver } from '../helpers/receiver';
import { startStack, type Stack } from '../helpers/stack';

describe('a worker killed in the middle of an attempt', () => {
  let stack: Stack;
  let receiver: Receiver;
  let child: ChildProcess | undefined;
  before(async () => {
    stack = await startStack();
    // The first request is never answered: the worker sending it dies while it waits.
    receiver = await startReceiver(() => undefined, respond(200));
  });
  after(async () => {
    child?.kill('SIGKILL');
    await receiver.close();
    await stack.stop();
  });

  it('loses nothing: the attempt runs again on another worker with the same delivery id', async () => {
    await stack.stopWorker();
    child = await startChildWorker(stack.env);
    const { tenantId } = await createTenantWithEndpoint(stack, receiver.url, { timeout: '60s' });
    const { deliveries } = await publish(stack, tenantId);
    await receiver.waitFor(1);

    child.kill('SIGKILL');
    await stack.startWorker();
    const detail = await waitForStatus(stack, deliveries[0]!.id, 'succeeded', 40_000);
    assert.equal(receiver.requests.length, 2);
    assert.equal(receiver.requests[0]!.headers['webhook-id'], receiver.requests[1]!.headers['webhook-id']);
    assert.equal(detail.attempts.length, 1, 'the lost attempt is retried as the same attempt');
  });
});

describe('the Temporal server going away', () => {
  let stack: Stack;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'herald-temporal-'));
    // The outbox sweep starts what could not be started; run it often so a test need not wait.
    stack = await startStack({ HERALD_START_WAIT: '500ms', HERALD_MAINTENANCE_INTERVAL: '2s' }, { temporalDbFile: path.join(dir, 'temporal.db') });
  });
  after(async () => {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a delivery waiting on its retry timer, which completes after the restart', async (t) => {
    const receiver = await startReceiver(respond(500), respond(200));
    t.after(() => receiver.close());
    const { tenantId } = await createTenantWithEndpoint(stack, receiver.url, { retry: { delays: ['4s'] } });
    const { deliveries } = await publish(stack, tenantId);
    await waitForStatus(stack, deliveries[0]!.id, 'retrying');

    await stack.restartTemporal();
    const detail = await waitForStatus(stack, deliveries[0]!.id, 'succeeded', 40_000);
    assert.equal(detail.attempts.length, 2);
    assert.equal(receiver.requests.length, 2);
  });

  it('answers a publish while it is down without waiting out the Temporal client, and delivers once it is back', async (t) => {
    const receiver = await startReceiver(respond(200));
    t.after(() => receiver.close());
    const { tenantId } = await createTenantWithEndpoint(stack, receiver.url);
    await stack.stopTemporal();
    const startedAt = Date.now();
    const { deliveries } = await publish(stack, tenantId);
    // The Temporal client alone keeps trying for about 10 s; the answer comes after HERALD_START_WAIT.
    assert.ok(Date.now() - startedAt < 5_000, `publish answered after ${Date.now() - startedAt} ms`);

    await stack.startTemporal();
    // Either the start still running in the background or the outbox sweep (30 s on) starts it.
    await eventually(async () => (receiver.requests.length > 0 ? true : undefined), 60_000, 250);
    const detail = await waitForStatus(stack, deliveries[0]!.id, 'succeeded');
    assert.equal(detail.attempts.length, 1);
    assert.equal(receiver.requests.length, 1, 'started once, delivered once');
  });
});

describe('a PostgreSQL outage', () => {
  let stack: Stack;
  let receiver: Receiver;
  let dir: string;
  let postgres: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  let port: number;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'herald-pg-'));
    postgres = await startEmbeddedPostgres({ dataDir: dir });
    port = Number(new URL(postgres.databaseUrl).port);
    stack = await startStack({ HERALD_STALL_AFTER: '2s' }, { databaseUrl: postgres.databaseUrl });
    receiver = await startReceiver(respond(500), respond(200));
  });
  after(async () => {
    await receiver.close();
    await stack.stop();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('holds a due attempt until PostgreSQL is back, reporting it stalled meanwhile, then delivers it', async () => {
    const { tenantId } = await createTenantWithEndpoint(stack, receiver.url, { retry: { delays: ['2s'] } });
    const { deliveries } = await publish(stack, tenantId);
    await waitForStatus(stack, deliveries[0]!.id, 'retrying');

    await postgres.stop();
    // The attempt falls due after 2 s and cannot run; after HERALD_STALL_AFTER more it shows as stalled.
    const stalled = await eventually(async () => {
      const state = await stack.deps.reader.state(deliveries[0]!.id);
      return state?.reason?.startsWith('stalled since') ? state : undefined;
    }, 20_000);
    assert.equal(stalled.status, 'delivering');
    assert.ok(Number((await stack.deps.metrics.registry.getSingleMetricAsString('herald_deliveries_stalled_total')).split(' ').at(-1)) >= 1);
    assert.equal(receiver.requests.length, 1, 'no attempt without PostgreSQL');
    assert.equal((await fetch(`${stack.baseUrl}/readyz`)).status, 503);
    const unavailable = await stack.api('GET', `/v1/deliveries/${deliveries[0]!.id}`);
    assert.equal(unavailable.status, 503, 'an outage is not a server error');
    assert.equal(unavailable.headers.get('retry-after'), '5');

    postgres = await startEmbeddedPostgres({ dataDir: dir, port });
    const detail = await waitForStatus(stack, deliveries[0]!.id, 'succeeded', 60_000);
    assert.equal(detail.attempts.length, 2);
    assert.equal(detail.reason, undefined);
    assert.equal((await fetch(`${stack.baseUrl}/readyz`)).status, 200);
  });
});
