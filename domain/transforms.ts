import jsonata from 'jsonata';
import { z } from 'zod';
import type { EnvelopeSource } from './envelope';
import { guidFor } from './guid';
import { Re2RegexEngine } from './safe-regex';
import { TRANSFORM_PRESET_NAMES, TRANSFORM_PRESETS } from './transform-presets';

/**
 * (README, "Routing, payloads and pacing") transforms: a JSONata expression (or a named preset) that turns an event into the body.
 * The expression sees this document:
 *   {id, type, timestamp (ISO 8601), timestamp_ms (Unix ms), data, metadata ({} when none), delivery_id?}
 * `delivery_id` is present at delivery time only.
 */
export type Transform = { preset: (typeof TRANSFORM_PRESET_NAMES)[number] } | { jsonata: string };
export type TransformEvent = EnvelopeSource & { deliveryId?: string };

/**
 * JSONata has no sandbox clock of its own beyond these options: it checks `timeout` and `stack` on
 * entry to every evaluation step and caps sequence sizes. One built-in call is not interrupted, so
 * the bound is per step; regex literals run on RE2 (linear time). Output is capped like an event.
 */
const LIMITS = { timeout: 250, stack: 500, sequence: 100_000 };
export const MAX_TRANSFORM_SOURCE = 10_000;
const MAX_BODY_BYTES = 512 * 1024;
const MAX_OUTPUT_DEPTH = 100;

export type TransformErrorKind = 'syntax' | 'evaluation' | 'empty' | 'not_json' | 'too_large';

/** Why a transform could not produce a body; at delivery time this is `transform_error`, no retry. */
export class TransformError extends Error {
  constructor(
    readonly kind: TransformErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'TransformError';
  }
}

type Expression = ReturnType<typeof jsonata>;
const MAX_CACHED = 500;
const compiled = new Map<string, Expression>();

/** JSONata throws plain objects `{code, position, message}`; turn one into a readable line. */
function describe(err: unknown): string {
  const e = err as { code?: string; position?: number; message?: string };
  const where = e.position !== undefined ? ` at position ${e.position}` : '';
  return e.code ? `JSONata ${e.code}${where}: ${e.message ?? 'error'}` : (e.message ?? String(err));
}

function compile(source: string): Expression {
  const cached = compiled.get(source);
  if (cached) return cached;
  let expression: Expression;
  try {
    expression = jsonata(source, { ...LIMITS, RegexEngine: Re2RegexEngine as unknown as RegExpConstructor });
  } catch (err) {
    throw new TransformError('syntax', describe(err));
  }
  if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
  compiled.set(source, expression);
  return expression;
}

/** Functions Herald adds to JSONata: `$guid(id)` (see domain/guid.ts). */
const FUNCTIONS = { guid: (id: unknown) => (typeof id === 'string' ? guidFor(id) : undefined) };

const sourceOf = (t: Transform): string => ('preset' in t ? TRANSFORM_PRESETS[t.preset] : t.jsonata);

export function transformInput(event: TransformEvent): Record<string, unknown> {
  return {
    id: event.id,
    type: event.type,
    timestamp: event.occurredAt.toISOString(),
    timestamp_ms: event.occurredAt.getTime(),
    data: event.data,
    metadata: event.metadata ?? {},
    ...(event.deliveryId !== undefined && { delivery_id: event.deliveryId }),
  };
}

/** A plain JSON copy of a JSONata result, refusing what JSON cannot carry (functions, NaN). */
function toJson(value: unknown, path: string, depth: number): unknown {
  if (depth > MAX_OUTPUT_DEPTH) throw new TransformError('not_json', `the result nests deeper than ${MAX_OUTPUT_DEPTH} levels`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    throw new TransformError('not_json', `the result has a non-finite number at ${path}`);
  }
  if (Array.isArray(value)) return value.map((v, i) => (v === undefined ? null : toJson(v, `${path}[${i}]`, depth + 1)));
  if (typeof value === 'object' && !('_jsonata_lambda' in value) && !('_jsonata_function' in value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v, `${path}.${k}`, depth + 1);
    return out;
  }
  throw new TransformError('not_json', `the result has a function at ${path}, which JSON cannot carry`);
}

/** The body for `event` (plain JSON), or a TransformError. */
export async function applyTransform(t: Transform, event: TransformEvent): Promise<unknown> {
  const expression = compile(sourceOf(t));
  let result: unknown;
  try {
    result = await expression.evaluate(transformInput(event), FUNCTIONS);
  } catch (err) {
    throw new TransformError('evaluation', describe(err));
  }
  if (result === undefined) throw new TransformError('empty', 'the transform produced nothing for this event');
  const body = toJson(result, '$', 0);
  const bytes = Buffer.byteLength(JSON.stringify(body));
  if (bytes > MAX_BODY_BYTES) throw new TransformError('too_large', `the result is ${bytes} bytes; at most ${MAX_BODY_BYTES}`);
  return body;
}

/** What a dry run sees when no real event is at hand: fields of the kinds most payloads have. */
export const SAMPLE_EVENT: TransformEvent = {
  id: 'evt_01JC0000000000000000000000',
  type: 'sample.created',
  occurredAt: new Date('2025-01-15T10:00:00.000Z'),
  data: { id: 'obj_1', name: 'Sample', status: 'active', count: 3, tags: ['a', 'b'], owner: { id: 'usr_1', email: 'owner@example.com' } },
  metadata: { source: 'herald', environment: 'test', workspace_id: 'ws_1' },
  deliveryId: 'dlv_01JC0000000000000000000000_01JC0000000000000000000000',
};

/**
 * (README, "Routing, payloads and pacing") check on save: compiles and runs the transform on a sample event. A result that is empty
 * for the sample passes (the sample cannot hold every field an expression reads); errors do not.
 */
export async function checkTransform(t: Transform, sample: TransformEvent = SAMPLE_EVENT): Promise<{ ok: true } | { ok: false; message: string }> {
  try {
    await applyTransform(t, sample);
    return { ok: true };
  } catch (err) {
    if (!(err instanceof TransformError)) throw err;
    return err.kind === 'empty' ? { ok: true } : { ok: false, message: err.message };
  }
}

/**
 * The `transform` field of an endpoint: `{preset}` or `{jsonata}`. One object rather than a zod
 * union so that a fault is reported at its own path (`transform.jsonata`); syntax is checked here.
 */
export const transformSchema = z
  .object({
    preset: z.enum(TRANSFORM_PRESET_NAMES).optional(),
    jsonata: z.string().min(1).max(MAX_TRANSFORM_SOURCE).optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if ((t.preset === undefined) === (t.jsonata === undefined)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'give exactly one of preset or jsonata' });
    } else if (t.jsonata !== undefined) {
      try {
        compile(t.jsonata);
      } catch (err) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['jsonata'], message: (err as Error).message });
      }
    }
  })
  .transform((t): Transform => (t.preset !== undefined ? { preset: t.preset } : { jsonata: t.jsonata! }));
