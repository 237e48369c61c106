import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { retryPolicySchema } from '../../domain/retry-policy-schema';
import { delayAfterAttempt } from '../../domain/retry-schedules';
import seeds from '../fixtures/seed-events.json';
import { guidFor } from '../../domain/guid';
import { publish, waitForStatus } from '../helpers/fixtures';
import { respond, startReceiver, type ReceivedRequest, type Receiver } from '../helpers/receiver';
import { startStack, type Stack } from '../helpers/stack';

/*
 * Each seed's webhooks, reproduced by the endpoint docs/recipes.md gives for it, and accepted by a
 * receiver written from that seed's own documentation: its header names, its signature steps
 * (written out here from the seed's instructions, never with Herald's signing code), its payload
 * fields. The receivers answer 2xx only when all of that holds, so `succeeded` means accepted.
 */

const RECIPES = readFileSync(join(__dirname, '../../docs/recipes.md'), 'utf8');

/** The `POST /v1/endpoints` body that docs/recipes.md marks `<!-- recipe: name -->`. */
function recipe(name: string): Record<string, unknown> {
  const block = new RegExp(`<!-- recipe: ${name} -->\\s*\`\`\`json\\n([\\s\\S]*?)\`\`\``).exec(RECIPES);
  if (!block) throw new Error(`docs/recipes.md has no recipe "${name}"`);
  return JSON.parse(block[1]!);
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The waits between attempts that an endpoint's stored retry policy makes, given `random`. */
function retryDelays(endpoint: Record<string, unknown>, random: () => number): number[] {
  const policy = retryPolicySchema.parse(endpoint.retry);
  const delays: number[] = [];
  for (let attempt = 1; ; attempt++) {
    const delay = delayAfterAttempt(policy, attempt, random);
    if (delay === undefined) return delays;
    delays.push(delay);
  }
}
const RANDOMS: (() => number)[] = [() => 0, () => 0.5, () => 0.999_999, Math.random];

type Kind = 'string' | 'integer' | 'object' | 'array' | 'iso8601' | 'unix-ms' | 'guid' | 'url';
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IS: Record<Kind, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  integer: (v) => Number.isSafeInteger(v),
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  array: Array.isArray,
  iso8601: (v) => typeof v === 'string' && ISO_8601.test(v) && !Number.isNaN(Date.parse(v)),
  // Milliseconds, not seconds: any time after 2001 is above 1e12 in ms and far below it in s.
  'unix-ms': (v) => Number.isSafeInteger(v) && (v as number) > 1e12,
  guid: (v) => typeof v === 'string' && GUID.test(v),
  url: (v) => typeof v === 'string' && URL.canParse(v),
};

/** The first documented field that is missing or of the wrong kind: what a receiver would refuse. */
function fieldFault(payload: unknown, fields: Record<string, Kind>, where = ''): string | undefined {
  if (!IS.object(payload)) return `${where || 'payload'} is not an object`;
  for (const [name, kind] of Object.entries(fields)) {
    const value = (payload as Record<string, unknown>)[name];
    if (!IS[kind](value)) return `${where}${name} should be ${kind}, got ${JSON.stringify(value)}`;
  }
  return undefined;
}

interface Answer {
  status: number;
  body: string;
}
const ok: Answer = { status: 200, body: 'OK' };

/** A header as the seed names it (HTTP header names are case-insensitive; Node lowercases them). */
const header = (req: ReceivedRequest, name: string): string | undefined => {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** Publishes a fixture event as a platform would: Herald assigns the id. */
const publishable = (event: { type: string; occurred_at: string; data: unknown; metadata: Record<string, unknown> | null }) => ({
  type: event.type,
  occurred_at: event.occurred_at,
  data: event.data,
  ...(event.metadata && { metadata: event.metadata }),
});

/** Compares ISO times as instants: Herald writes milliseconds where some seeds print none. */
const asInstant = (iso: unknown) => Date.parse(String(iso));

let stack: Stack;
const receivers: Receiver[] = [];

before(async () => {
  stack = await startStack();
});
after(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await stack.stop();
});

/** A receiver whose every answer comes from `handle` (a throw is a 500, as in any web framework). */
async function seedReceiver(handle: (req: ReceivedRequest) => Answer | Promise<Answer>) {
  const answers: number[] = [];
  const receiver = await startReceiver((req, res) => {
    void (async () => {
      let answer: Answer;
      try {
        answer = await handle(req);
      } catch (err) {
        answer = { status: 500, body: String(err) };
      }
      answers.push(answer.status);
      res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body);
    })();
  });
  receivers.push(receiver);
  return Object.assign(receiver, { answers });
}

async function createTenant(name: string): Promise<string> {
  const res = await stack.api('POST', '/v1/tenants', { name, alert_email: 'owner@customer.example' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

/** The recipe's endpoint, pointed at a local receiver, with the secret its customer holds. */
async function createFromRecipe(name: string, tenantId: string, url: string, secret: string) {
  const res = await stack.api('POST', '/v1/endpoints', { ...recipe(name), tenant_id: tenantId, url, secret });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

const deliveryTo = (published: { deliveries: { id: string; endpoint_id: string }[] }, endpointId: string) =>
  published.deliveries.find((d) => d.endpoint_id === endpointId);

describe('FlowCMS (cms-webhooks.txt)', () => {
  const secret = randomBytes(32).toString('hex');
  const sample = seeds.flowcms_content_published;

  /** FlowCMS's verifyWebhook, as its security section prints it. */
  function verifyWebhook(payload: string, signature: string): boolean {
    const hmac = createHmac('sha256', secret);
    hmac.update(payload, 'utf8');
    const digest = hmac.digest('hex');
    return timingSafeEqual(Buffer.from(signature), Buffer.from(digest));
  }

  /** Extract the signature, compute the HMAC of the raw body, compare safely; then read the envelope. */
  const flowcmsReceiver = () =>
    seedReceiver((req) => {
      const signature = header(req, 'X-FlowCMS-Signature');
      if (signature === undefined || !verifyWebhook(req.body, signature)) return { status: 401, body: 'invalid signature' };
      const event = JSON.parse(req.body);
      const fault = fieldFault(event, { id: 'string', type: 'string', timestamp: 'iso8601', data: 'object' });
      if (fault) return { status: 400, body: fault };
      if (event.type.startsWith('content.')) {
        const contentFault = fieldFault(event, { workspace_id: 'string' }) ?? fieldFault(event.data, { content_id: 'string', title: 'string', author: 'object', url: 'url' }, 'data.');
        if (contentFault) return { status: 400, body: contentFault };
      }
      return ok;
    });

  it('delivers content.published signed with X-FlowCMS-Signature in the FlowCMS envelope, and only for the chosen workspace', async () => {
    const receiver = await flowcmsReceiver();
    const tenantId = await createTenant('FlowCMS workspace owner');
    const endpoint = await createFromRecipe('flowcms', tenantId, receiver.url, secret);

    const published = await publish(stack, tenantId, publishable(sample.event));
    await waitForStatus(stack, deliveryTo(published, endpoint.id)!.id, 'succeeded');
    const [request] = receiver.requests;
    assert.equal(header(request!, 'Content-Type'), 'application/json');
    const body = JSON.parse(request!.body);
    assert.equal(asInstant(body.timestamp), asInstant(sample.payload.timestamp));
    assert.deepEqual({ ...body, timestamp: sample.payload.timestamp }, { ...sample.payload, id: published.id });

    const elsewhere = await publish(stack, tenantId, { ...publishable(sample.event), metadata: { workspace_id: 'ws_other' } });
    assert.equal(deliveryTo(elsewhere, endpoint.id), undefined);
  });

  it('sends webhook.failed, signed the same way, when another delivery exhausts its retries', async () => {
    const receiver = await flowcmsReceiver();
    const tenantId = await createTenant('FlowCMS workspace with a broken hook');
    await createFromRecipe('flowcms', tenantId, receiver.url, secret);
    const broken = await startReceiver(respond(500, 'down'));
    receivers.push(broken);
    const failing = await stack.api('POST', '/v1/endpoints', { tenant_id: tenantId, url: broken.url, event_types: ['media.uploaded'], retry: { preset: 'none' }, verify: false });
    assert.equal(failing.status, 201);

    const upload = await publish(stack, tenantId, { type: 'media.uploaded', data: { asset_id: 'ast_1' }, metadata: { workspace_id: 'ws_aB3dE5fG' } });
    await waitForStatus(stack, deliveryTo(upload, failing.body.id)!.id, 'failed');
    const [notice] = await receiver.waitFor(1);
    const body = JSON.parse(notice!.body);
    assert.equal(body.type, 'webhook.failed');
    assert.equal(body.data.event_id, upload.id);
    await new Promise((resolve) => setImmediate(resolve)); // the answer is recorded just after the request
    assert.deepEqual(receiver.answers, [200]);
  });

  it('retries up to 5 times at 1m, 5m, 30m, 2h and 24h, at most 300 requests a minute', async () => {
    const endpoint = recipe('flowcms');
    for (const random of RANDOMS) assert.deepEqual(retryDelays(endpoint, random), [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 24 * HOUR]);
    assert.deepEqual(endpoint.rate_limit, { max: 300, per: '1m' });
  });
});

describe('Platphorm Design (design-platform-webhooks-api.txt)', () => {
  // Platphorm hands out whsec_… secrets and its verifier keys HMAC with that whole string.
  const WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
  const sample = seeds.platphorm_design_exported;

  /** verifyWebhookSignature, as Platphorm's Signature Verification section prints it. */
  function verifyWebhookSignature(payload: string, signature: string, secret: string): boolean {
    const expectedSignature = createHmac('sha256', secret).update(payload).digest('hex');
    const signatureBuffer = Buffer.from(signature.replace('sha256=', ''), 'hex');
    const expectedBuffer = Buffer.from(expectedSignature, 'hex');
    return timingSafeEqual(signatureBuffer, expectedBuffer);
  }

  /** Platphorm's `POST(request)` handler, processing the event by checking the WebhookPayload interface. */
  async function POST(request: Request): Promise<Response> {
    const signature = request.headers.get('X-Platphorm-Signature') ?? '';
    const payload = await request.text();
    if (!verifyWebhookSignature(payload, signature, WEBHOOK_SECRET)) {
      return new Response('Invalid signature', { status: 401 });
    }
    const event = JSON.parse(payload);
    const fault =
      fieldFault(event, { id: 'string', type: 'string', timestamp: 'iso8601', apiVersion: 'string', data: 'object', metadata: 'object' }) ??
      (event.metadata.source === 'platphorm-design' ? undefined : 'metadata.source') ??
      (['production', 'staging'].includes(event.metadata.environment) ? undefined : 'metadata.environment') ??
      (event.type === 'design.exported' ? fieldFault(event.data, { designId: 'string', format: 'string', preset: 'string', exportUrl: 'url' }, 'data.') : undefined);
    if (fault) return new Response(`Unexpected payload: ${fault}`, { status: 400 });
    return new Response('OK', { status: 200 });
  }

  /** The Next.js-style handler above, served on Node's http: the Fetch Request it expects. */
  const platphormReceiver = () =>
    seedReceiver(async (req) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'connection') headers.set(name, value);
      const response = await POST(new Request(`http://127.0.0.1${req.path}`, { method: req.method, headers, body: req.body }));
      return { status: response.status, body: await response.text() };
    });

  it('delivers design.exported with a sha256= X-Platphorm-Signature that the documented handler accepts', async () => {
    const receiver = await platphormReceiver();
    const tenantId = await createTenant('Platphorm account');
    const endpoint = await createFromRecipe('platphorm', tenantId, receiver.url, WEBHOOK_SECRET);

    const published = await publish(stack, tenantId, publishable(sample.event));
    await waitForStatus(stack, deliveryTo(published, endpoint.id)!.id, 'succeeded');
    const [request] = receiver.requests;
    assert.match(header(request!, 'X-Platphorm-Signature')!, /^sha256=[0-9a-f]{64}$/);
    const body = JSON.parse(request!.body);
    assert.equal(asInstant(body.timestamp), asInstant(sample.payload.timestamp));
    assert.deepEqual({ ...body, timestamp: sample.payload.timestamp }, { ...sample.payload, id: published.id });
  });

  it('makes 4 attempts: immediately, then 1m, 5m and 30m after the previous, each with a 30s timeout', async () => {
    const endpoint = recipe('platphorm');
    for (const random of RANDOMS) assert.deepEqual(retryDelays(endpoint, random), [1 * MINUTE, 5 * MINUTE, 30 * MINUTE]);
    assert.equal(endpoint.timeout, '30s');
  });
});

describe('ChromaFlow (design-tool-gradients-webhooks.txt)', () => {
  // "Create New Secret to generate a 64-character HMAC key."
  const hmacKey = randomBytes(32).toString('hex');
  const TOLERANCE_MS = 5 * MINUTE;
  const sample = seeds.chromaflow_gradient_saved;

  /** Verify X-ChromaFlow-Signature, read X-ChromaFlow-Event, check occurred_at against the clock. */
  const chromaflowReceiver = () =>
    seedReceiver((req) => {
      const signature = header(req, 'X-ChromaFlow-Signature') ?? '';
      const expected = createHmac('sha256', hmacKey).update(req.body).digest('hex');
      if (signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) return { status: 401, body: 'invalid signature' };
      const eventType = header(req, 'X-ChromaFlow-Event');
      if (!eventType) return { status: 400, body: 'no X-ChromaFlow-Event' };
      const event = JSON.parse(req.body);
      const fault = fieldFault(event, { event_id: 'string', occurred_at: 'iso8601', data: 'object' });
      if (fault) return { status: 400, body: fault };
      if (Math.abs(Date.now() - Date.parse(event.occurred_at)) > TOLERANCE_MS) return { status: 400, body: 'stale timestamp: possible replay' };
      if (eventType === 'gradient.saved') {
        const gradientFault = fieldFault(event.data, { stops: 'array', direction: 'string', workspace_id: 'string' }, 'data.');
        if (gradientFault) return { status: 400, body: gradientFault };
      }
      return ok;
    });

  it('activates a new endpoint only after a signed test payload gets a 200 within 3 seconds', async () => {
    const receiver = await chromaflowReceiver();
    const tenantId = await createTenant('ChromaFlow workspace');
    const endpoint = await createFromRecipe('chromaflow', tenantId, receiver.url, hmacKey);
    assert.equal(endpoint.status, 'active');
    assert.equal(receiver.requests.length, 1);
    assert.equal(header(receiver.requests[0]!, 'X-ChromaFlow-Event'), 'webhook.verification');
    assert.deepEqual(receiver.answers, [200]);

    const refusing = await seedReceiver(() => ({ status: 401, body: 'wrong secret' }));
    const unverified = await createFromRecipe('chromaflow', tenantId, refusing.url, hmacKey);
    assert.equal(unverified.status, 'pending_verification');
  });

  it('delivers gradient.saved with X-ChromaFlow-Signature and X-ChromaFlow-Event, as {event_id, occurred_at, data}', async () => {
    const receiver = await chromaflowReceiver();
    const tenantId = await createTenant('ChromaFlow studio');
    const endpoint = await createFromRecipe('chromaflow', tenantId, receiver.url, hmacKey);

    // No occurred_at: Herald stamps the event now, which is what the freshness check wants.
    const published = await publish(stack, tenantId, { type: sample.event.type, data: sample.event.data, metadata: sample.event.metadata });
    await waitForStatus(stack, deliveryTo(published, endpoint.id)!.id, 'succeeded');
    const request = receiver.requests.find((r) => header(r, 'X-ChromaFlow-Event') === 'gradient.saved')!;
    const body = JSON.parse(request.body);
    assert.deepEqual({ ...body, occurred_at: sample.payload.occurred_at }, { ...sample.payload, event_id: published.id });
  });

  it('retries with exponential backoff, five attempts in all', async () => {
    const endpoint = recipe('chromaflow');
    for (const random of RANDOMS) {
      const delays = retryDelays(endpoint, random);
      assert.equal(delays.length, 4);
      delays.slice(1).forEach((delay, i) => assert.ok(delay >= 2 * delays[i]!, `delay ${i + 2} (${delay} ms) does not back off from ${delays[i]} ms`));
    }
  });
});

describe('Creative Force (studio-production-webhooks.txt)', () => {
  // "The format of the secret key is Base64 RFC 2045."
  const SECRET_TOKEN = randomBytes(32).toString('base64');
  // The sample's "Photography" is not among the documented production steps; "Capture" is.
  const taskSample = seeds.creative_force_task_completed;
  const task = { ...taskSample, event: { ...taskSample.event, data: { ...taskSample.event.data, StepName: 'Capture' } } };
  const workUnit = seeds.creative_force_work_unit_status_changed;

  /** What a Sinatra app sees: X-CF-Signature arrives as request.env['HTTP_X_CF_SIGNATURE']. */
  const rackEnv = (req: ReceivedRequest): Record<string, string> =>
    Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [`HTTP_${name.toUpperCase().replace(/-/g, '_')}`, String(value)]));

  /** Rack::Utils.secure_compare: false on different lengths, else a constant-time comparison. */
  const secureCompare = (a: string, b: string | undefined) => b !== undefined && Buffer.byteLength(a) === Buffer.byteLength(b) && timingSafeEqual(Buffer.from(a), Buffer.from(b));

  const COMMON: Record<string, Kind> = { Action: 'string', Actor: 'object', PayloadId: 'string', EventGroupName: 'string', EventDatetimeUtc: 'unix-ms' };
  const BY_GROUP: Record<string, Record<string, Kind>> = {
    task: { TaskId: 'guid', JobId: 'guid', JobCode: 'string', ClientId: 'guid', ProductId: 'guid', StepName: 'string', WorkflowId: 'guid' },
    'work unit': { ClientId: 'guid', ProductId: 'guid', ProductionTypeId: 'integer', WorkUnitStatusId: 'integer', WorkUnitStatusName: 'string' },
  };

  /** post '/payload' and verify_signature from Creative Force's "Validating Webhooks" sample. */
  const creativeForceReceiver = () =>
    seedReceiver((req) => {
      const payloadBody = req.body;
      const signature = createHmac('sha256', SECRET_TOKEN).update(payloadBody).digest('hex');
      if (!secureCompare(signature, rackEnv(req).HTTP_X_CF_SIGNATURE)) return { status: 500, body: "Signatures didn't match!" };
      if (!/^[0-9a-f]{64}$/.test(rackEnv(req).HTTP_X_CF_SIGNATURE!)) return { status: 400, body: 'X-CF-Signature is not 32 bytes of hex' };
      if (!rackEnv(req).HTTP_X_CF_EVENT) return { status: 400, body: 'no X-CF-Event' };
      if (rackEnv(req).HTTP_X_API_KEY !== 'studio-42-routing-key') return { status: 403, body: 'custom header missing' };
      const push = JSON.parse(payloadBody);
      const fault = fieldFault(push, COMMON) ?? fieldFault(push, BY_GROUP[push.EventGroupName] ?? {});
      if (fault) return { status: 400, body: fault };
      return { status: 200, body: 'OK' };
    });

  it('delivers task and work-unit events that the Sinatra sample verifies, with X-CF-Event, custom headers and the PascalCase payload', async () => {
    const receiver = await creativeForceReceiver();
    const tenantId = await createTenant('Creative Force studio');
    const endpoint = await createFromRecipe('creative-force', tenantId, receiver.url, SECRET_TOKEN);

    const published = await publish(stack, tenantId, publishable(task.event));
    await waitForStatus(stack, deliveryTo(published, endpoint.id)!.id, 'succeeded');
    const [taskRequest] = receiver.requests;
    assert.equal(header(taskRequest!, 'X-CF-Event'), 'task.completed');
    assert.deepEqual(JSON.parse(taskRequest!.body), { ...task.payload, StepName: 'Capture', PayloadId: guidFor(published.id) });

    const statusChanged = await publish(stack, tenantId, publishable(workUnit.event));
    await waitForStatus(stack, deliveryTo(statusChanged, endpoint.id)!.id, 'succeeded');
    assert.deepEqual(JSON.parse(receiver.requests[1]!.body), { ...workUnit.payload, PayloadId: guidFor(statusChanged.id) });
  });

  it('filters by workspace, and task events only by production step', async () => {
    const tenantId = await createTenant('Creative Force studio with filters');
    const receiver = await seedReceiver(() => ok);
    const endpoint = await createFromRecipe('creative-force', tenantId, receiver.url, SECRET_TOKEN);
    const receives = async (type: string, data: Record<string, unknown>) => deliveryTo(await publish(stack, tenantId, { type, data }), endpoint.id) !== undefined;
    const clientId = task.event.data.ClientId;

    assert.equal(await receives('task.completed', { ClientId: clientId, StepName: 'Capture' }), true);
    assert.equal(await receives('task.completed', { ClientId: clientId, StepName: 'Photo Review' }), true);
    assert.equal(await receives('task.completed', { ClientId: clientId, StepName: 'Digital Processing' }), false);
    assert.equal(await receives('workunit.StatusChanged', { ClientId: clientId, EventGroupName: 'work unit' }), true);
    assert.equal(await receives('task.completed', { ClientId: '07a2a5cb-7525-4e7b-b032-3f647a8a068c', StepName: 'Capture' }), false);
    assert.equal(await receives('job.Deleted', { ClientId: clientId }), false);
  });

  it('retries up to 3 times, each 5 to 10 minutes after the previous attempt', async () => {
    const endpoint = recipe('creative-force');
    for (const random of RANDOMS) {
      const delays = retryDelays(endpoint, random);
      assert.equal(delays.length, 3);
      for (const delay of delays) assert.ok(delay >= 5 * MINUTE && delay <= 10 * MINUTE, `${delay} ms is outside 5–10 minutes`);
    }
  });

  it('sends PayloadId as the GUID the documentation promises', async () => {
    const receiver = await seedReceiver((req) => fieldFault(JSON.parse(req.body), { PayloadId: 'guid' }) === undefined ? ok : { status: 400, body: 'PayloadId is not a GUID' });
    const tenantId = await createTenant('Creative Force studio parsing GUIDs');
    const endpoint = await createFromRecipe('creative-force', tenantId, receiver.url, SECRET_TOKEN);
    const published = await publish(stack, tenantId, publishable(task.event));
    await receiver.waitFor(1);
    assert.deepEqual(receiver.answers, [200]);
    assert.ok(deliveryTo(published, endpoint.id));
  });
});

describe('Chromatic (visual-testing-integrations.md)', () => {
  const sample = seeds.chromatic_build_status_changed;
  const withStatus = (status: string) => ({ ...publishable(sample.event), data: { build: { ...sample.event.data.build, status } } });

  /** A custom webhook receiver: the body "looks like" {event: "build-status-changed", build: {…}}. */
  const customWebhookReceiver = () =>
    seedReceiver((req) => {
      if (header(req, 'Content-Type') !== 'application/json') return { status: 415, body: 'expected JSON' };
      const body = JSON.parse(req.body);
      if (body.event !== 'build-status-changed') return { status: 400, body: `unexpected event ${body.event}` };
      const fault = fieldFault(body.build, {
        number: 'integer', result: 'string', status: 'string', webUrl: 'url', branch: 'string', commit: 'string',
        committerName: 'string', storybookUrl: 'url', changeCount: 'integer', componentCount: 'integer', specCount: 'integer',
      }, 'build.');
      return fault ? { status: 400, body: fault } : ok;
    });

  /** Slack's incoming-webhook contract: a JSON message with `text`, optional Block Kit `blocks`. */
  const slackReceiver = () =>
    seedReceiver((req) => {
      const message = JSON.parse(req.body);
      if (typeof message.text !== 'string' || message.text === '') return { status: 400, body: 'invalid_payload' };
      if (message.blocks !== undefined && !(Array.isArray(message.blocks) && message.blocks.length <= 50 && message.blocks.every((b: { type?: unknown }) => typeof b.type === 'string'))) {
        return { status: 400, body: 'invalid_blocks' };
      }
      return { status: 200, body: 'ok' };
    });

  it('posts build-status-changed to a custom webhook as {event, build}', async () => {
    const receiver = await customWebhookReceiver();
    const tenantId = await createTenant('Chromatic project');
    const endpoint = await createFromRecipe('chromatic-webhook', tenantId, receiver.url, `whsec_${randomBytes(32).toString('base64')}`);

    const published = await publish(stack, tenantId, publishable(sample.event));
    await waitForStatus(stack, deliveryTo(published, endpoint.id)!.id, 'succeeded');
    assert.deepEqual(JSON.parse(receiver.requests[0]!.body), sample.payload);
    assert.deepEqual(Object.keys(JSON.parse(receiver.requests[0]!.body)), ['event', 'build']);
  });

  it('posts a Slack message for every build status but PASSED', async () => {
    const slack = await slackReceiver();
    const tenantId = await createTenant('Chromatic project on Slack');
    const endpoint = await createFromRecipe('chromatic-slack', tenantId, slack.url, `whsec_${randomBytes(32).toString('base64')}`);

    assert.equal(deliveryTo(await publish(stack, tenantId, withStatus('PASSED')), endpoint.id), undefined);
    const pending = await publish(stack, tenantId, withStatus('PENDING'));
    await waitForStatus(stack, deliveryTo(pending, endpoint.id)!.id, 'succeeded');
    const message = JSON.parse(slack.requests[0]!.body);
    assert.match(message.text, /build-status-changed/);
    assert.ok(JSON.stringify(message.blocks).includes('PENDING'));
  });

  it('signs custom webhooks with the X-Webhook-Signature JWT of Chromatic’s signed-webhook examples', async () => {
    const secret = randomBytes(32).toString('hex');
    const issuer = 'chromatic';
    const b64url = (s: string) => Buffer.from(s, 'base64url');
    // WebhookSignatureMiddleware of chromaui/signed-webhook-examples: an HS256 JWT whose claims
    // name the issuer and carry the hex SHA-256 of the body.
    const receiver = await seedReceiver((req) => {
      const token = header(req, 'X-Webhook-Signature');
      if (!token) return { status: 401, body: 'Unauthorized' };
      const [head, claims, signature] = token.split('.');
      if (!head || !claims || !signature || JSON.parse(b64url(head).toString()).alg !== 'HS256') return { status: 403, body: 'Invalid JWT' };
      const expected = createHmac('sha256', secret).update(`${head}.${claims}`).digest();
      const given = b64url(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 403, body: 'Invalid JWT' };
      const decoded = JSON.parse(b64url(claims).toString());
      if (decoded.iss !== issuer) return { status: 403, body: 'Invalid JWT issuer' };
      const expectedSha256 = createHash('sha256').update(req.body).digest();
      if (!timingSafeEqual(Buffer.from(String(decoded.sha256), 'hex'), expectedSha256)) return { status: 403, body: 'Invalid JWT body hash' };
      return ok;
    });
    const tenantId = await createTenant('Chromatic project with signed webhooks');
    const res = await stack.api('POST', '/v1/endpoints', {
      ...recipe('chromatic-webhook'),
      tenant_id: tenantId,
      url: receiver.url,
      secret,
      signature: { scheme: 'jwt-hs256', header: 'X-Webhook-Signature', issuer },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const published = await publish(stack, tenantId, publishable(sample.event));
    await waitForStatus(stack, deliveryTo(published, res.body.id)!.id, 'succeeded');
  });
});
