import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TRANSFORM_PRESET_NAMES } from '../../domain/transform-presets';
import { applyTransform, checkTransform, SAMPLE_EVENT, TransformError, transformSchema, type Transform, type TransformEvent } from '../../domain/transforms';
import seeds from '../fixtures/seed-events.json';

interface SeedCase {
  preset: string;
  event: { id: string; type: string; occurred_at: string; data: unknown; metadata: Record<string, unknown> | null };
  payload: Record<string, unknown>;
}
const seedCases = Object.entries(seeds).filter(([name]) => !name.startsWith('_')) as [string, SeedCase][];
const toEvent = (e: SeedCase['event']): TransformEvent => ({ id: e.id, type: e.type, occurredAt: new Date(e.occurred_at), data: e.data, metadata: e.metadata });
// The seeds print ISO times with or without milliseconds: compare those fields as instants.
const instantsOf = (body: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(body).map(([k, v]) => [k, (k === 'timestamp' || k === 'occurred_at') && typeof v === 'string' ? Date.parse(v) : v]));

async function rejection(t: Transform, event: TransformEvent = SAMPLE_EVENT): Promise<TransformError> {
  try {
    await applyTransform(t, event);
  } catch (err) {
    assert.ok(err instanceof TransformError, String(err));
    return err;
  }
  assert.fail('the transform succeeded');
}

describe('transform presets reproduce the seeds’ envelopes', () => {
  for (const [name, seed] of seedCases) {
    it(`${seed.preset} turns the ${name} event into that seed's payload`, async () => {
      const body = (await applyTransform({ preset: seed.preset } as Transform, toEvent(seed.event))) as Record<string, unknown>;
      assert.deepEqual(instantsOf(body), instantsOf(seed.payload));
    });
  }

  it('keeps the type as the first key of event-field-envelope even when the data has one', async () => {
    const body = await applyTransform({ preset: 'event-field-envelope' }, { ...SAMPLE_EVENT, data: { event: 'forged', x: 1 } });
    assert.deepEqual(Object.entries(body as object), [['event', 'sample.created'], ['x', 1]]);
  });

  it('wraps non-object data instead of failing', async () => {
    const body = await applyTransform({ preset: 'pascal-case-envelope' }, { ...SAMPLE_EVENT, data: [1, 2] });
    assert.deepEqual((body as Record<string, unknown>).Data, [1, 2]);
  });
});

describe('the slack preset', () => {
  it('builds an incoming-webhook message with text and blocks from a CMS event', async () => {
    const body = (await applyTransform({ preset: 'slack' }, toEvent(seeds.flowcms_content_published.event))) as { text: string; blocks: { type: string; fields?: { text: string }[] }[] };
    assert.equal(body.text, 'content.published: Q2 Product Launch Guide');
    assert.deepEqual(body.blocks.map((b) => b.type), ['header', 'section', 'section', 'context']);
    assert.ok(body.blocks[2]!.fields!.some((f) => f.text === '*author.name*\nSarah Chen'));
  });

  it('shows at most ten fields, nested one level, and escapes Slack control characters', async () => {
    const body = (await applyTransform({ preset: 'slack' }, toEvent(seeds.chromatic_build_status_changed.event))) as { blocks: { fields?: { text: string }[] }[] };
    const fields = body.blocks.find((b) => b.fields)!.fields!;
    assert.equal(fields.length, 10);
    assert.equal(fields[2]!.text, '*build.status*\nBUILD_ACCEPTED');
    assert.match(fields[3]!.text, /appId=5dca7f6a6ce19b00201febb7&amp;number=123/);
  });
});

describe('custom JSONata transforms', () => {
  it('sees id, type, timestamp, timestamp_ms, data, metadata and delivery_id', async () => {
    const body = await applyTransform({ jsonata: '{"i": id, "t": type, "ts": timestamp, "ms": timestamp_ms, "n": data.name, "src": metadata.source, "d": delivery_id}' }, SAMPLE_EVENT);
    assert.deepEqual(body, { i: SAMPLE_EVENT.id, t: 'sample.created', ts: '2025-01-15T10:00:00.000Z', ms: 1736935200000, n: 'Sample', src: 'herald', d: SAMPLE_EVENT.deliveryId });
  });

  it('sees empty metadata as {} when the event has none', async () => {
    assert.deepEqual(await applyTransform({ jsonata: '{"m": metadata}' }, { ...SAMPLE_EVENT, metadata: null }), { m: {} });
  });

  it('runs regex literals on RE2', async () => {
    assert.deepEqual(await applyTransform({ jsonata: '$replace(data.name, /[aeiou]/, "_")' }, SAMPLE_EVENT), 'S_mpl_');
    assert.deepEqual(await applyTransform({ jsonata: '$match("xAMx", /(a)(m)/i).groups' }, SAMPLE_EVENT), ['A', 'M']);
    assert.equal((await rejection({ jsonata: '$match("aa", /(a)\\1/)' })).kind, 'evaluation');
  });

  it('fails an endless recursion on the time bound and a deep one on the stack bound', async () => {
    const started = Date.now();
    const loop = await rejection({ jsonata: '($f := function($n) { $f($n + 1) }; $f(0))' });
    assert.match(loop.message, /D1012/);
    assert.ok(Date.now() - started < 2000);
    assert.match((await rejection({ jsonata: '($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))' })).message, /D1011/);
  });

  it('fails when the result is empty, a function or too large', async () => {
    assert.equal((await rejection({ jsonata: 'data.missing' })).kind, 'empty');
    assert.equal((await rejection({ jsonata: '{"f": function($x) { $x }}' })).kind, 'not_json');
    assert.equal((await rejection({ jsonata: '$pad("", 600000, "x")' })).kind, 'too_large');
  });
});

describe('checking a transform on save', () => {
  it('accepts every preset', async () => {
    for (const preset of TRANSFORM_PRESET_NAMES) assert.deepEqual(await checkTransform({ preset }), { ok: true });
  });

  it('refuses an expression that fails on the sample event, with the reason', async () => {
    const result = await checkTransform({ jsonata: '$nosuchfunction(data)' });
    assert.equal(result.ok, false);
    assert.match((result as { message: string }).message, /T1006/);
  });

  it('accepts an expression whose result is empty for the sample', async () => {
    assert.deepEqual(await checkTransform({ jsonata: 'data.build.status' }), { ok: true });
  });

  it('parses {preset} or {jsonata}, reporting syntax errors at transform.jsonata', () => {
    assert.deepEqual(transformSchema.parse({ preset: 'slack' }), { preset: 'slack' });
    const syntax = transformSchema.safeParse({ jsonata: '{"a": ' });
    assert.deepEqual(syntax.error?.issues.map((i) => i.path.join('.')), ['jsonata']);
    assert.match(syntax.error!.issues[0]!.message, /S0203 at position 6/);
    assert.deepEqual(transformSchema.safeParse({ preset: 'teams' }).error?.issues.map((i) => i.path.join('.')), ['preset']);
    assert.equal(transformSchema.safeParse({ preset: 'slack', jsonata: 'x' }).success, false);
    assert.equal(transformSchema.safeParse({ preset: 'slack', extra: 1 }).success, false);
  });
});
