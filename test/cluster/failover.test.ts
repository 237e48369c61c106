// Herald as production runs it (the real Temporal server on PostgreSQL, two API and two worker
// processes), under a steady publish load, while processes are killed and restarted. Scenarios run
// in order on one cluster; the last ones check what holds across all of them: no delivery was ever
// attempted by two workers at once, every stored event reached its receiver, no event was stored
// twice, and every process stops cleanly.
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestCluster, waitFor, type TestCluster } from './harness';
import { startLoad, type Accepted, type Load, type LoadOptions } from './load';
import { always, startRecordingReceiver, type RecordingReceiver } from './recording-receiver';

const STEADY = '/steady';
const SLOW = '/slow';
/** The receiver holds every request this long, so two attempts of one delivery at once would overlap. */
const HOLD_MS = 150;
/** Long enough to SIGTERM a worker while its attempts wait for the answer. */
const SLOW_HOLD_MS = 4_000;
/** How long the Temporal server stays down after its kill -9. */
const OUTAGE_MS = 10_000;

describe('a cluster of 2 APIs and 2 workers on the real Temporal server, under load', () => {
  let tc: TestCluster;
  let receiver: RecordingReceiver;
  let tenantId: string;
  /** Everything the load generators had accepted, across scenarios. */
  const allAccepted: Accepted[] = [];
  const loads: Load[] = [];

  before(async () => {
    receiver = await startRecordingReceiver({ [STEADY]: always(200, HOLD_MS), [SLOW]: always(200, SLOW_HOLD_MS) });
    tc = await startTestCluster({ apis: 2, workers: 2 });
    const tenant = await tc.api('POST', '/v1/tenants', { name: 'Load', alert_email: 'ops@load.example' });
    assert.equal(tenant.status, 201, JSON.stringify(tenant.body));
    tenantId = tenant.body.id;
    for (const [url, types] of [[STEADY, ['load.*']], [SLOW, ['slow.*']]] as const) {
      const endpoint = await tc.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: receiver.url(url), event_types: types, verify: false });
      assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
    }
  });

  after(async () => {
    // A scenario that threw may have left its load running.
    await Promise.all(loads.map((load) => load.stop()));
    await tc?.stop();
    await receiver?.close();
  });

  function load(prefix: string, opts: Partial<LoadOptions> = {}): Load {
    const started = startLoad({ apis: [tc.apiUrls[0]!], failover: false, authKey: tc.adminKey, tenantId, eventType: 'load.tick', prefix, ...opts });
    loads.push(started);
    return started;
  }

  /** Stops the load, then waits (bounded) until each event it got accepted reached the receiver. */
  async function finish(t: TestContext, running: Load, timeoutMs: number): Promise<void> {
    await running.stop();
    allAccepted.push(...running.accepted);
    assert.deepEqual(running.lost, [], 'every publish is accepted in the end (retried with its Idempotency-Key)');
    assert.ok(running.accepted.length >= 20, `a steady load ran (${running.accepted.length} events accepted)`);
    for (const a of running.accepted) assert.equal(a.deliveryIds.length, 1, `${a.key} goes to the one load endpoint`);
    const ids = running.accepted.map((a) => a.deliveryIds[0]!);
    const started = Date.now();
    await waitFor(
      () => `${ids.filter((id) => !receiver.acknowledged(STEADY).has(id)).length} of ${ids.length} accepted events not delivered`,
      () => (ids.every((id) => receiver.acknowledged(STEADY).has(id)) ? true : undefined),
      timeoutMs,
    );
    const retried = running.accepted.filter((a) => a.tries > 1).length;
    const resent = ids.filter((id) => receiver.hitsOf(id).length > 1).length;
    const slowest = Math.max(...running.accepted.map((a) => a.ms));
    t.diagnostic(
      `${running.accepted.length} accepted (${retried} after a retry, ${running.failures.length} failed requests, the slowest in ${(slowest / 1000).toFixed(1)} s), all delivered ${((Date.now() - started) / 1000).toFixed(1)} s after the load stopped; ${resent} delivered more than once`,
    );
  }

  /** GET /v1/deliveries, page after page. */
  async function countListed(endpointId: string, status: string): Promise<number> {
    let count = 0;
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ endpoint_id: endpointId, status, limit: '100', ...(cursor !== null && { cursor }) });
      const page = await tc.api('GET', `/v1/deliveries?${query}`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      count += page.body.data.length;
      cursor = page.body.next_cursor;
    } while (cursor);
    return count;
  }

  /** Keeps the logs of a failed scenario (their tails are printed at the end). */
  async function scenario(t: TestContext, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (err) {
      tc.failed();
      t.diagnostic(`logs: ${tc.logDir}`);
      throw err;
    }
  }

  it('kill -9 of a worker in the middle of attempts: every accepted event is delivered', async (t) => {
    await scenario(t, async () => {
      const running = load('worker-kill');
      const began = Date.now();
      await sleep(3_000);
      // The receiver cannot tell which worker sends a request: kill while several are open (3 if
      // that comes within 10 s), and again, the other worker, if none of them was the victim's.
      const open = (n: number) => waitFor(`${n} attempts in flight`, () => (receiver.openRequests(STEADY).length >= n ? true : undefined), 10_000, 2);
      let cut: string[] = [];
      for (let kill = 1; kill <= 4 && cut.length === 0; kill++) {
        const victim = tc.cluster.workers[(kill - 1) % 2]!;
        await open(3).catch(() => open(1));
        const killedAt = Date.now();
        assert.equal(await victim.kill('SIGKILL'), 'SIGKILL');
        await sleep(6_000); // the other worker carries the load alone, and takes over the lost attempts
        cut = receiver.hits.filter((h) => h.path === STEADY && h.aborted && h.start >= began && h.start <= killedAt).map((h) => h.deliveryId);
        t.diagnostic(`kill ${kill} (${victim.name}) cut ${cut.length} attempts short`);
        await victim.restart();
      }
      assert.ok(cut.length > 0, 'a kill hit a worker in the middle of an attempt');
      await sleep(2_000);
      assert.deepEqual(running.failures, [], 'the API never noticed');
      await finish(t, running, 60_000);
      for (const id of cut) assert.ok(receiver.hitsOf(id).length >= 2, `${id}: the attempt cut short ran again`);
    });
  });

  it('kill -9 of the API the client is not using: the client never notices', async (t) => {
    await scenario(t, async () => {
      const running = load('other-api-kill');
      await sleep(2_000);
      const other = tc.cluster.apis[1]!;
      assert.equal(await other.kill('SIGKILL'), 'SIGKILL');
      await sleep(2_000);
      await other.restart();
      await sleep(2_000);
      assert.deepEqual(running.failures, [], 'no request of the client failed');
      await finish(t, running, 30_000);
      assert.equal((await fetch(`${tc.apiUrls[1]}/readyz`)).status, 200, 'the restarted API serves again');
    });
  });

  it('kill -9 of the API the client is using: it retries elsewhere with the same Idempotency-Key, no event is stored twice', async (t) => {
    await scenario(t, async () => {
      const running = load('api-kill', { apis: tc.apiUrls, failover: true });
      await sleep(2_000);
      // In the middle of a publish, so that one's answer is lost.
      await waitFor('a publish in flight', () => (running.inFlight() > 0 ? true : undefined), 5_000, 1);
      const used = tc.cluster.apis[0]!;
      assert.equal(await used.kill('SIGKILL'), 'SIGKILL');
      await sleep(3_000);
      await used.restart();
      await sleep(1_000);
      await running.stop();

      assert.ok(running.failures.length >= 1, 'the client saw its publish fail');
      for (const failure of running.failures) {
        assert.equal(failure.kind, 'transport', `a failure at the transport level: ${JSON.stringify(failure)}`);
        assert.equal(failure.api, tc.apiUrls[0], 'only the killed API failed');
      }
      const acceptedByKey = new Map(running.accepted.map((a) => [a.key, a]));
      for (const failure of running.failures) {
        const retried = acceptedByKey.get(failure.key);
        assert.ok(retried, `${failure.key} failed once, then was accepted on a retry`);
        assert.ok(retried.tries > 1);
      }
      // PostgreSQL holds exactly one event per key the client sent, and it is the one the client
      // was told about, whichever API stored it.
      const { rows } = await tc.pool.query<{ idempotency_key: string; ids: string[] }>(
        `SELECT idempotency_key, array_agg(id) AS ids FROM events WHERE tenant_id = $1 AND idempotency_key LIKE 'api-kill-%' GROUP BY idempotency_key`,
        [tenantId],
      );
      for (const row of rows) assert.equal(row.ids.length, 1, `one event for ${row.idempotency_key}: ${row.ids.join(', ')}`);
      assert.deepEqual(
        new Map(rows.map((r) => [r.idempotency_key, r.ids[0]])),
        new Map(running.accepted.map((a) => [a.key, a.eventId])),
        'the stored events are exactly the accepted ones',
      );
      await finish(t, running, 60_000);
    });
  });

  /** How the API stopped by SIGTERM under load exited, for the check after the scenario. */
  let apiStop: { exit: string; ms: number } | undefined;

  it('SIGTERM of the API the client is using, under load: nothing is lost, the client moves on', async (t) => {
    await scenario(t, async () => {
      const running = load('api-stop', { apis: tc.apiUrls, failover: true });
      await sleep(2_000);
      await waitFor('a publish in flight', () => (running.inFlight() > 0 ? true : undefined), 5_000, 1);
      const used = tc.cluster.apis[0]!;
      const stopped = Date.now();
      // SIGTERM, and SIGKILL if it has not exited after its grace (10 s).
      apiStop = { exit: await used.stop(), ms: Date.now() - stopped };
      t.diagnostic(`API exit after SIGTERM: ${apiStop.exit} after ${apiStop.ms} ms`);
      await sleep(2_000);
      await used.restart();
      await sleep(1_000);
      await running.stop();
      for (const failure of running.failures) {
        // Refused, or a connection closed under a request: never an error answer.
        assert.equal(failure.kind, 'transport', `a failure at the transport level: ${JSON.stringify(failure)}`);
        assert.equal(failure.api, tc.apiUrls[0]);
      }
      await finish(t, running, 30_000);
    });
  });

  it('an API under load exits by itself after SIGTERM, within its grace', () => {
    assert.ok(apiStop, 'the scenario above ran');
    assert.equal(apiStop.exit, 'code 0');
  });

  it('Temporal server restarts under load (SIGTERM, then kill -9 and 10 s down): nothing accepted is lost', async (t) => {
    await scenario(t, async () => {
      // 503s and cut connections are retried against the same API until accepted.
      const running = load('temporal-restart', { requestTimeoutMs: 20_000 });
      await sleep(2_000);
      const temporal = tc.cluster.temporal!;
      let pid = temporal.serverPid;
      let began = Date.now();
      await tc.cluster.restartTemporal();
      assert.notEqual(temporal.serverPid, pid);
      t.diagnostic(`Temporal server stopped (SIGTERM) and serving again after ${((Date.now() - began) / 1000).toFixed(1)} s`);
      await sleep(3_000);

      pid = temporal.serverPid;
      began = Date.now();
      await temporal.kill('SIGKILL');
      const acceptedBefore = running.accepted.length;
      await sleep(OUTAGE_MS);
      const acceptedDuring = running.accepted.length - acceptedBefore;
      const failedDuring = running.failures.length;
      await tc.cluster.restartTemporal();
      assert.notEqual(temporal.serverPid, pid);
      t.diagnostic(
        `Temporal server killed, serving again after ${((Date.now() - began) / 1000).toFixed(1)} s; during the outage ${acceptedDuring} publishes were accepted and ${failedDuring} requests failed`,
      );
      await sleep(3_000);
      // A delivery whose start the outage swallowed is started by the outbox sweep (after 30 s).
      await finish(t, running, 120_000);
      for (const proc of [...tc.cluster.apis, ...tc.cluster.workers]) assert.ok(proc.isRunning(), `${proc.name} rode out the outages`);
    });
  });

  it('SIGTERM of a worker in the middle of attempts: each attempt completes or is retried elsewhere, nothing is lost', async (t) => {
    await scenario(t, async () => {
      const [leaving, other] = [tc.cluster.workers[0]!, tc.cluster.workers[1]!];
      // Only `leaving` polls, so it is the one holding the attempts.
      assert.equal(await other.stop(), 'code 0');
      const deliveryIds: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await tc.api('POST', '/v1/events', { tenant_id: tenantId, type: 'slow.tick', data: { i } }, { headers: { 'idempotency-key': `slow-${i}` } });
        assert.equal(res.status, 202, JSON.stringify(res.body));
        deliveryIds.push(res.body.deliveries[0].id);
      }
      await waitFor('3 slow attempts in flight', () => (receiver.openRequests(SLOW).length === 3 ? true : undefined), 15_000, 10);

      const began = Date.now();
      const [exit] = await Promise.all([leaving.kill('SIGTERM'), other.restart()]);
      assert.equal(exit, 'code 0', 'the worker exits by itself, within its grace time');
      t.diagnostic(`worker exited ${((Date.now() - began) / 1000).toFixed(1)} s after SIGTERM`);
      await waitFor('slow deliveries answered', () => (deliveryIds.every((id) => receiver.acknowledged(SLOW).has(id)) ? true : undefined), 60_000);
      for (const id of deliveryIds) {
        const hits = receiver.hitsOf(id);
        const first = hits[0]!;
        assert.ok(!first.aborted || hits.length > 1, `${id}: the attempt cut short was attempted again`);
        t.diagnostic(`${id}: ${hits.map((h) => (h.aborted ? 'cut short' : `answered ${h.status}`)).join(', then ')}`);
      }
      const attempts = await tc.pool.query<{ delivery_id: string; number: number; response_status: number | null }>(
        'SELECT delivery_id, number, response_status FROM delivery_attempts WHERE delivery_id = ANY($1) ORDER BY delivery_id, number',
        [deliveryIds],
      );
      for (const id of deliveryIds) {
        const log = attempts.rows.filter((r) => r.delivery_id === id);
        assert.deepEqual(log.map((r) => [r.number, r.response_status]), [[1, 200]], `${id}: one successful attempt in the log`);
      }
      await leaving.restart();
    });
  });

  it('no delivery was ever attempted by two workers at once, every stored delivery arrived, and no event was stored twice', async (t) => {
    await scenario(t, async () => {
      assert.deepEqual(receiver.overlaps, [], 'overlapping requests of one delivery');
      const { rows } = await tc.pool.query<{ id: string; idempotency_key: string | null }>(
        `SELECT d.id, e.idempotency_key FROM deliveries d JOIN events e ON e.id = d.event_id JOIN endpoints ep ON ep.id = d.endpoint_id
          WHERE ep.url = $1`,
        [receiver.url(STEADY)],
      );
      // Including any event stored by a request whose answer was lost and that was never retried.
      await waitFor(
        () => `${rows.filter((r) => !receiver.acknowledged(STEADY).has(r.id)).length} stored deliveries never arrived`,
        () => (rows.every((r) => receiver.acknowledged(STEADY).has(r.id)) ? true : undefined),
        60_000,
      );
      // The attempt log holds one successful attempt per delivery: an attempt run again (its
      // worker killed, or its outcome lost with the Temporal server) is the same attempt.
      const log = await tc.pool.query<{ delivery_id: string; attempts: string[] }>(
        `SELECT a.delivery_id, array_agg(a.number || ':' || coalesce(a.response_status::text, a.error_code) ORDER BY a.number) AS attempts
           FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.id = ANY($1) GROUP BY a.delivery_id`,
        [rows.map((r) => r.id)],
      );
      assert.equal(log.rowCount, rows.length, 'every delivery has an attempt log');
      for (const r of log.rows) assert.deepEqual(r.attempts, ['1:200'], `${r.delivery_id}: one attempt, successful`);
      // Temporal's visibility (what GET /v1/deliveries reads) agrees: every one succeeded.
      const endpointId = (await tc.pool.query<{ id: string }>('SELECT id FROM endpoints WHERE url = $1', [receiver.url(STEADY)])).rows[0]!.id;
      await waitFor(
        'every load delivery listed as succeeded',
        async () => ((await countListed(endpointId, 'succeeded')) === rows.length ? true : undefined),
        30_000,
        1_000,
      );
      const acceptedIds = new Set(allAccepted.map((a) => a.deliveryIds[0]!));
      assert.deepEqual([...receiver.acknowledged(STEADY)].filter((id) => !acceptedIds.has(id)), [], 'every delivery that arrived belongs to an accepted event');
      assert.equal(rows.length, allAccepted.length, 'one stored event per accepted publish');
      const duplicates = await tc.pool.query('SELECT tenant_id, idempotency_key FROM events WHERE idempotency_key IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1');
      assert.equal(duplicates.rowCount, 0);
      const attempted = receiver.hits.length;
      t.diagnostic(`${rows.length} load deliveries, ${attempted} requests received in all, ${receiver.hits.filter((h) => h.aborted).length} cut short by a kill`);
    });
  });

  it('every process stops cleanly', async (t) => {
    await scenario(t, async () => {
      const processes = [...tc.cluster.apis, ...tc.cluster.workers];
      const exits = processes.map((p) => p.exited);
      const began = Date.now();
      await tc.cluster.stop();
      const reasons = await Promise.all(exits);
      // Beyond its grace each process would be SIGKILLed: APIs 10 s, workers 45 s, Temporal 20 s.
      assert.ok(Date.now() - began < 10_000, `stopped within ${Date.now() - began} ms`);
      assert.deepEqual(
        Object.fromEntries(processes.map((p, i) => [p.name, reasons[i]])),
        Object.fromEntries(processes.map((p) => [p.name, 'code 0'])),
      );
      t.diagnostic(`cluster stopped in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    });
  });
});
