// A rolling restart of every worker (SIGTERM, wait for the exit, start again) while 1,000
// deliveries wait on their retry timers, on the real Temporal server: every timer still fires, on
// time, and no delivery is attempted twice at once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestCluster, waitFor, type TestCluster } from './harness';
import { failFirst, startRecordingReceiver, type RecordingReceiver } from './recording-receiver';

const TIMERS = '/timers';
const EVENTS = 1_000;
const BATCH = 100;
/** The retry delay: long enough for 1,000 first attempts and a worker restart before the first timer fires. */
const DELAY_MS = 40_000;
/** How late a second attempt may be, on 2 busy cores with a worker restarting. */
const MAX_LATENESS_MS = 30_000;
/** Answers are held this long, so two attempts of one delivery at once would overlap. */
const HOLD_MS = 100;

describe('a rolling restart of every worker while 1,000 deliveries wait on retry timers', () => {
  let tc: TestCluster;
  let receiver: RecordingReceiver;
  let tenantId: string;

  before(async () => {
    receiver = await startRecordingReceiver({ [TIMERS]: failFirst(HOLD_MS) });
    tc = await startTestCluster({ apis: 1, workers: 2 });
    const tenant = await tc.api('POST', '/v1/tenants', { name: 'Timers', alert_email: 'ops@timers.example' });
    assert.equal(tenant.status, 201, JSON.stringify(tenant.body));
    tenantId = tenant.body.id;
    const endpoint = await tc.api('POST', '/v1/endpoints', {
      tenant_id: tenantId,
      url: receiver.url(TIMERS),
      event_types: ['timer.*'],
      verify: false,
      retry: { delays: [`${DELAY_MS / 1000}s`] },
    });
    assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
  });

  after(async () => {
    await tc?.stop();
    await receiver?.close();
  });

  it('fires every second attempt, not early and at most 30 s late, each delivery attempted exactly twice', async (t) => {
    try {
      const published = Date.now();
      const deliveryIds: string[] = [];
      for (let b = 0; b < EVENTS / BATCH; b++) {
        const events = Array.from({ length: BATCH }, (_, i) => ({ tenant_id: tenantId, type: 'timer.wait', data: { n: b * BATCH + i }, idempotency_key: `timer-${b}-${i}` }));
        const res = await tc.api('POST', '/v1/events/batch', { events });
        assert.equal(res.status, 202, JSON.stringify(res.body));
        for (const event of res.body.data as { deliveries: { id: string }[] }[]) deliveryIds.push(...event.deliveries.map((d) => d.id));
      }
      assert.equal(new Set(deliveryIds).size, EVENTS);
      const firstDone = () => receiver.hits.filter((h) => h.path === TIMERS && h.nth === 1 && h.end !== undefined).length;
      await waitFor(() => `${firstDone()} of ${EVENTS} first attempts answered`, () => (firstDone() >= EVENTS ? true : undefined), 180_000);
      t.diagnostic(`1,000 events published and their first attempts failed within ${((Date.now() - published) / 1000).toFixed(1)} s`);
      const secondStarted = () => receiver.hits.filter((h) => h.path === TIMERS && h.nth >= 2).length;
      assert.equal(secondStarted(), 0, 'every delivery is waiting on its timer when the restart begins');

      // What Herald says it scheduled, for a sample.
      const sample = deliveryIds.filter((_, i) => i % 50 === 0);
      const scheduled = new Map<string, number>();
      for (const id of sample) {
        const res = await tc.api('GET', `/v1/deliveries/${id}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.status, 'retrying');
        scheduled.set(id, Date.parse(res.body.next_attempt_at));
      }

      // Worker 1 restarts while all 1,000 wait; worker 2 once the timers have begun to fire.
      const first = tc.cluster.workers[0]!;
      const second = tc.cluster.workers[1]!;
      const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      const restartBegan = Date.now();
      assert.equal(await first.stop(), 'code 0', `${first.name} exits by itself after SIGTERM`);
      const firstExited = Date.now();
      await first.restart();
      t.diagnostic(`${first.name} exited ${seconds(firstExited - restartBegan)} after SIGTERM and polled again ${seconds(Date.now() - firstExited)} later; ${secondStarted()} second attempts begun`);
      await waitFor('the timers begin to fire', () => (secondStarted() >= 50 ? true : undefined), DELAY_MS + 60_000, 20);
      const secondBegan = Date.now();
      const firedBefore = secondStarted();
      assert.equal(await second.stop(), 'code 0', `${second.name} exits by itself after SIGTERM`);
      const secondExited = Date.now();
      await second.restart();
      const secondDone = Date.now();
      t.diagnostic(`${second.name} stopped amid the timers (${firedBefore} second attempts begun): exited ${seconds(secondExited - secondBegan)} after SIGTERM, polled again ${seconds(secondDone - secondExited)} later`);

      const acked = () => deliveryIds.filter((id) => receiver.acknowledged(TIMERS).has(id)).length;
      await waitFor(() => `${acked()} of ${EVENTS} second attempts answered`, () => (acked() >= EVENTS ? true : undefined), DELAY_MS + MAX_LATENESS_MS + 60_000);

      // The attempt log: attempt 1 failed (500), attempt 2 succeeded (200), after the delay. A
      // worker writes an attempt's row once the receiver has answered, so the last rows may land
      // just after the last answer: wait for them before reading the log.
      const logged = async () => {
        const { rows } = await tc.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM delivery_attempts WHERE delivery_id = ANY($1) AND number = 2', [deliveryIds]);
        return rows[0]!.n;
      };
      let secondLogged = 0;
      await waitFor(() => `${secondLogged} of ${EVENTS} second attempts in the attempt log`, async () => ((secondLogged = await logged()) >= EVENTS ? true : undefined), 10_000);
      const { rows } = await tc.pool.query<{ delivery_id: string; number: number; started_at: Date; duration_ms: number; response_status: number | null }>(
        'SELECT delivery_id, number, started_at, duration_ms, response_status FROM delivery_attempts WHERE delivery_id = ANY($1) ORDER BY delivery_id, number',
        [deliveryIds],
      );
      const byDelivery = new Map<string, typeof rows>();
      for (const row of rows) byDelivery.set(row.delivery_id, [...(byDelivery.get(row.delivery_id) ?? []), row]);
      const lateness: number[] = [];
      for (const id of deliveryIds) {
        const log = byDelivery.get(id) ?? [];
        assert.deepEqual(log.map((r) => [r.number, r.response_status]), [[1, 500], [2, 200]], `${id}: two attempts in the log`);
        const [a1, a2] = log as [(typeof rows)[0], (typeof rows)[0]];
        // The timer starts once the first attempt has ended (its workflow task completes after it).
        const due = a1.started_at.getTime() + a1.duration_ms + DELAY_MS;
        const late = a2.started_at.getTime() - due;
        assert.ok(late >= -5, `${id}: second attempt ${-late} ms early`);
        assert.ok(late <= MAX_LATENESS_MS, `${id}: second attempt ${late} ms late`);
        lateness.push(late);
        const said = scheduled.get(id);
        if (said !== undefined) assert.ok(a2.started_at.getTime() >= said, `${id}: attempted before its next_attempt_at`);
      }
      // At the receiver: each delivery twice (a first attempt, then the retry), never two at once.
      assert.deepEqual(receiver.overlaps, [], 'overlapping requests of one delivery');
      const extra = deliveryIds.filter((id) => receiver.hitsOf(id).length !== 2);
      assert.deepEqual(extra.map((id) => [id, receiver.hitsOf(id).length]), [], 'each delivery reached the receiver exactly twice');

      lateness.sort((a, b) => a - b);
      const pct = (p: number) => lateness[Math.min(lateness.length - 1, Math.floor((p / 100) * lateness.length))]!;
      const duringRestart = rows.filter((r) => r.number === 2 && r.started_at.getTime() >= secondBegan && r.started_at.getTime() <= secondDone).length;
      t.diagnostic(`second attempts late by p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${lateness.at(-1)} ms; ${duringRestart} ran while ${second.name} was restarting`);
    } catch (err) {
      tc.failed();
      throw err;
    }
  });
});
