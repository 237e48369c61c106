import { useState } from 'preact/hooks';
import { get, post } from '../api';
import { formatDuration, formatJson, isoToLocalInput, localInputToIso } from '../format';
import { href } from '../router';
import type { DeliverySummary, Endpoint, Page, PublicKeyView, SecretView, TestResult, VerifyResult } from '../types';
import { Badge, ErrorMessage, Fields, HeaderTable, Loading, Notice, NotFound, Time, useAction, useLoad, useSession } from '../ui';
import { DeliveryTable, latestRuns } from './deliveries';
import { EndpointStatus } from './endpoints';

const ED25519 = 'standard-webhooks-ed25519';
const RECENT = 50;

const path = (id: string, action = '') => `/v1/endpoints/${encodeURIComponent(id)}${action}`;

export function EndpointPage({ id }: { id: string }) {
  const loaded = useLoad(() => get<Endpoint>(path(id)), id);
  const [updated, setUpdated] = useState<Endpoint | undefined>(undefined);
  const endpoint = updated?.id === id ? updated : loaded.data;

  if (loaded.error?.status === 404) return <NotFound what="endpoint" id={id} />;
  if (loaded.error) return <ErrorMessage error={loaded.error} context="The endpoint could not be loaded" />;
  if (!endpoint) return <Loading what="the endpoint" />;
  return <EndpointView endpoint={endpoint} onChange={setUpdated} />;
}

function EndpointView({ endpoint, onChange }: { endpoint: Endpoint; onChange: (e: Endpoint) => void }) {
  const session = useSession();
  const tenantName = session.me.kind === 'admin' ? session.tenants.find((t) => t.id === endpoint.tenant_id)?.name : session.me.tenant_name;
  const deliveries = useLoad(() => get<Page<DeliverySummary>>(path(endpoint.id, '/deliveries'), { limit: RECENT }), endpoint.id);

  const test = useAction(() => post<TestResult>(path(endpoint.id, '/test')));
  const verify = useAction(async () => {
    const result = await post<VerifyResult>(path(endpoint.id, '/verify'));
    onChange(result.endpoint);
    return result;
  });
  const toggle = useAction(async (action: 'enable' | 'disable') => {
    const result = await post<Endpoint>(path(endpoint.id, `/${action}`));
    onChange(result);
    return action;
  });

  return (
    <>
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={href.endpoints()}>Endpoints</a> / {endpoint.id}
      </nav>
      <div class="page-header">
        <div>
          <h1 class="wrap">{endpoint.url}</h1>
          <p class="subtitle">
            <EndpointStatus endpoint={endpoint} /> <Badge value={endpoint.health} label={`health: ${endpoint.health}`} />
            {endpoint.description && <span class="muted"> · {endpoint.description}</span>}
          </p>
        </div>
        <div class="toolbar">
          <button type="button" onClick={() => void test.start()} disabled={test.running}>
            {test.running ? 'Sending…' : 'Send test event'}
          </button>
          {endpoint.status === 'disabled' ? (
            <button type="button" class="secondary" onClick={() => void toggle.start('enable')} disabled={toggle.running}>
              Enable
            </button>
          ) : (
            <button type="button" class="secondary danger" onClick={() => void toggle.start('disable')} disabled={toggle.running}>
              Disable
            </button>
          )}
          <a class="button secondary" href={href.deliveries({ endpoint_id: endpoint.id })}>
            All deliveries
          </a>
        </div>
      </div>

      {endpoint.status === 'pending_verification' && (
        <Notice kind="warning" title="Pending verification: this endpoint receives no events until it is verified.">
          <p>
            Herald sent a signed <code>webhook.verification</code> request when the endpoint was created. The endpoint becomes active once a verification
            request gets a 2xx answer within 3 s. Events published meanwhile start no delivery to it.
          </p>
          <button type="button" onClick={() => void verify.start()} disabled={verify.running}>
            {verify.running ? 'Verifying…' : 'Verify'}
          </button>
        </Notice>
      )}
      {verify.result && (
        <Notice kind={verify.result.endpoint.status === 'active' ? 'success' : 'error'} title={verify.result.endpoint.status === 'active' ? 'Verified: the endpoint is active.' : 'Verification failed: the endpoint is still pending.'}>
          <p>
            {verify.result.verification.status !== null ? `The endpoint answered HTTP ${verify.result.verification.status}` : 'No HTTP answer'} in{' '}
            {formatDuration(verify.result.verification.duration_ms)}
            {verify.result.verification.error && (
              <>
                : <code>{verify.result.verification.error.code}</code> {verify.result.verification.error.message}
              </>
            )}
            .
          </p>
        </Notice>
      )}
      {verify.error && <ErrorMessage error={verify.error} context="Verification could not run" />}
      {endpoint.status === 'disabled' && (
        <Notice kind="warning" title={`Disabled (reason: ${endpoint.disabled_reason ?? 'manual'}): this endpoint receives no events.`}>
          <p>
            {endpoint.disabled_reason === 'failing' && 'Herald disabled it after it kept failing for too long. '}
            {endpoint.disabled_reason === 'gone' && 'Herald disabled it because it answered 410 Gone. '}
            Its pending deliveries end <code>cancelled</code> at their next attempt. Events published meanwhile are kept: enable it, then replay them with status{' '}
            <code>not_delivered</code>.
          </p>
        </Notice>
      )}
      {endpoint.status === 'active' && endpoint.health === 'failing' && (
        <Notice kind="warning" title="Failing: recent deliveries to this endpoint failed.">
          <p>It stays active and keeps receiving new events; the next success sets its health back to healthy. Failed deliveries can be retried or replayed.</p>
        </Notice>
      )}

      {(test.result || test.error || toggle.result || toggle.error) && (
        <div class="stack" aria-live="polite">
          {test.result && <TestOutcome result={test.result} />}
          {test.error && <ErrorMessage error={test.error} context="The test event was not sent" />}
          {toggle.result && <Notice kind="success" title={toggle.result === 'enable' ? 'Enabled: the endpoint receives events again.' : 'Disabled: the endpoint receives no events until enabled.'} />}
          {toggle.error && <ErrorMessage error={toggle.error} context="The endpoint's status was not changed" />}
        </div>
      )}

      <div class="columns">
        <div class="stack">
          <section class="card flush" aria-labelledby="recent-heading">
            <div class="card-header">
              <h2 id="recent-heading">Recent deliveries</h2>
              {deliveries.data && <SuccessRate deliveries={deliveries.data.data} />}
            </div>
            {deliveries.error && <ErrorMessage error={deliveries.error} context="Deliveries could not be loaded" />}
            {!deliveries.data && !deliveries.error && <Loading what="deliveries" />}
            {deliveries.data && <DeliveryTable deliveries={deliveries.data.data} label="Recent deliveries" compact />}
          </section>
          <section class="card" aria-labelledby="config-heading">
            <h2 id="config-heading">Configuration</h2>
            <Fields
              rows={[
                ['ID', <code>{endpoint.id}</code>],
                ['Tenant', tenantName ? `${tenantName} (${endpoint.tenant_id})` : <code>{endpoint.tenant_id}</code>],
                ['Event types', endpoint.event_types.map((t) => <code class="tag" key={t}>{t}</code>)],
                ['Retry', <RetryPolicy retry={endpoint.retry} />],
                ['Timeout', endpoint.timeout],
                ['Signature', <SignatureScheme signature={endpoint.signature} />],
                ['Ordering', endpoint.ordering],
                ['Rate limit', endpoint.rate_limit ? `${endpoint.rate_limit.max} per ${endpoint.rate_limit.per}` : 'none'],
                ['Filter', endpoint.filter ? <pre>{formatJson(endpoint.filter)}</pre> : 'none'],
                ['Transform', endpoint.transform ? <pre>{formatJson(endpoint.transform)}</pre> : 'none'],
                ['Custom headers', <HeaderTable headers={endpoint.headers} label="Custom headers" />],
                ['Created', <Time iso={endpoint.created_at} />],
                ['Updated', <Time iso={endpoint.updated_at} />],
              ]}
            />
          </section>
        </div>
        <div class="stack">
          {endpoint.signature.scheme === ED25519 ? <PublicKey endpoint={endpoint} /> : <Secret endpoint={endpoint} />}
          <Replay endpoint={endpoint} />
        </div>
      </div>

    </>
  );
}

function RetryPolicy({ retry }: { retry: unknown }) {
  const preset = (retry as { preset?: unknown } | null)?.preset;
  if (typeof preset === 'string' && Object.keys(retry as object).length === 1) return <span>preset <code>{preset}</code></span>;
  return <code>{JSON.stringify(retry)}</code>;
}

function SignatureScheme({ signature }: { signature: Endpoint['signature'] }) {
  const { scheme, ...settings } = signature;
  return (
    <span>
      <code>{scheme}</code>
      {Object.keys(settings).length > 0 && <code class="muted"> {JSON.stringify(settings)}</code>}
    </span>
  );
}

function TestOutcome({ result }: { result: TestResult }) {
  return (
    <Notice kind={result.success ? 'success' : 'error'} title={result.success ? `Test event delivered: HTTP ${result.status}` : 'Test event failed'}>
      <p>
        <code>{result.event_type}</code> ({result.id}): {result.status !== null ? `HTTP ${result.status}` : 'no HTTP answer'} in {formatDuration(result.duration_ms)}
        {result.error && (
          <>
            {' '}
            — <code>{result.error.code}</code> {result.error.message}
          </>
        )}
      </p>
      {result.response && result.response.body && (
        <>
          <p class="hint">Response body (excerpt)</p>
          <pre>{result.response.body}</pre>
        </>
      )}
    </Notice>
  );
}

/** Share of finished deliveries (succeeded or failed) among the latest ones that succeeded. */
export function SuccessRate({ deliveries: runs }: { deliveries: DeliverySummary[] }) {
  const deliveries = latestRuns(runs);
  const succeeded = deliveries.filter((d) => d.status === 'succeeded').length;
  const finished = succeeded + deliveries.filter((d) => d.status === 'failed').length;
  if (deliveries.length === 0) return null;
  if (finished === 0) return <p class="muted">No finished deliveries yet.</p>;
  const rate = Math.round((succeeded / finished) * 1000) / 10;
  return (
    <p class="rate" aria-label="Success rate">
      <strong>{rate} %</strong> succeeded{' '}
      <span class="muted">
        ({succeeded} of {finished} finished, among the latest {deliveries.length})
      </span>
    </p>
  );
}

function Secret({ endpoint }: { endpoint: Endpoint }) {
  const [revealed, setRevealed] = useState(false);
  const [grace, setGrace] = useState('24h');
  const secret = useAction(() => get<SecretView>(path(endpoint.id, '/secret')));
  const rotate = useAction(async () => {
    const rotated = await post<SecretView>(path(endpoint.id, '/secret/rotate'), { grace_period: grace });
    if (revealed) await secret.start();
    return rotated;
  });
  const reveal = async () => {
    if (await secret.start()) setRevealed(true);
  };
  return (
    <section class="card" aria-labelledby="secret-heading">
      <h2 id="secret-heading">Signing secret</h2>
      <p class="hint">
        Receivers verify the <code>{endpoint.signature.scheme}</code> signature with this secret. Keep it out of logs and URLs.
      </p>
      {revealed && secret.result ? (
        <>
          <p>
            <code class="secret" aria-label="Secret">
              {secret.result.secret ?? '(none)'}
            </code>
          </p>
          {secret.result.previous.map((p) => (
            <p class="hint" key={p.secret}>
              Previous secret, valid until <Time iso={p.expires_at} />: <code class="secret">{p.secret}</code>
            </p>
          ))}
          <button type="button" class="secondary" onClick={() => setRevealed(false)}>
            Hide secret
          </button>
        </>
      ) : (
        <>
          <p>
            <code class="secret" aria-label="Secret (hidden)">
              ••••••••••••••••••••••••
            </code>
          </p>
          <button type="button" class="secondary" onClick={() => void reveal()} disabled={secret.running}>
            Reveal secret
          </button>
        </>
      )}
      {secret.error && <ErrorMessage error={secret.error} context="The secret could not be read" />}
      <RotateForm grace={grace} setGrace={setGrace} running={rotate.running} onRotate={() => void rotate.start()} />
      {rotate.result && <Notice kind="success" title={`Secret rotated. The previous one stays valid for ${grace}.`} />}
      {rotate.error && <ErrorMessage error={rotate.error} context="The secret was not rotated" />}
    </section>
  );
}

/** Rotation of a secret or a key pair, with the grace period the previous one stays valid. */
function RotateForm(props: { grace: string; setGrace: (grace: string) => void; running: boolean; onRotate: () => void }) {
  return (
    <form
      class="inline"
      onSubmit={(e) => {
        e.preventDefault();
        props.onRotate();
      }}
    >
      <label for="grace">Grace period</label>
      <input id="grace" class="short" value={props.grace} onInput={(e) => props.setGrace(e.currentTarget.value)} />
      <button type="submit" class="secondary" disabled={props.running}>
        Rotate secret
      </button>
    </form>
  );
}

/** Ed25519 endpoints: the private key never leaves Herald; receivers verify with the public key. */
function PublicKey({ endpoint }: { endpoint: Endpoint }) {
  const key = useLoad(() => get<PublicKeyView>(path(endpoint.id, '/public-key')), endpoint.id);
  const [grace, setGrace] = useState('24h');
  const rotate = useAction(async () => {
    const rotated = await post<PublicKeyView>(path(endpoint.id, '/secret/rotate'), { grace_period: grace });
    key.reload();
    return rotated;
  });
  return (
    <section class="card" aria-labelledby="key-heading">
      <h2 id="key-heading">Public key</h2>
      <p class="hint">
        This endpoint signs with Ed25519 (<code>v1a</code>). Its private key never leaves Herald; receivers verify with this public key.
      </p>
      {key.error && <ErrorMessage error={key.error} context="The public key could not be read" />}
      {key.data && (
        <>
          <p>
            <code class="secret" aria-label="Public key">
              {key.data.public_key ?? '(none)'}
            </code>
          </p>
          {key.data.previous.map((p) => (
            <p class="hint" key={p.public_key}>
              Previous key, valid until <Time iso={p.expires_at} />: <code class="secret">{p.public_key}</code>
            </p>
          ))}
        </>
      )}
      <RotateForm grace={grace} setGrace={setGrace} running={rotate.running} onRotate={() => void rotate.start()} />
      {rotate.result && <Notice kind="success" title={`Key rotated. Requests carry a signature of each key during the ${grace} grace period.`} />}
      {rotate.error && <ErrorMessage error={rotate.error} context="The key was not rotated" />}
    </section>
  );
}

function Replay({ endpoint }: { endpoint: Endpoint }) {
  const [since, setSince] = useState(() => isoToLocalInput(new Date(Date.now() - 86_400_000).toISOString()));
  const [until, setUntil] = useState('');
  const [status, setStatus] = useState('all');
  const replay = useAction(() => {
    const sinceIso = localInputToIso(since);
    const untilIso = localInputToIso(until);
    return post<{ replayed: number; limit: number }>(path(endpoint.id, '/replay'), {
      ...(sinceIso !== undefined && { since: sinceIso }),
      ...(untilIso !== undefined && { until: untilIso }),
      status,
    });
  });
  return (
    <section class="card" aria-labelledby="replay-heading">
      <h2 id="replay-heading">Replay</h2>
      <p class="hint">Delivers this endpoint's events of a time window again (at most 1,000 per replay).</p>
      <form
        class="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void replay.start();
        }}
      >
        <label for="replay-since">Since</label>
        <input id="replay-since" type="datetime-local" required value={since} onInput={(e) => setSince(e.currentTarget.value)} />
        <label for="replay-until">Until</label>
        <input id="replay-until" type="datetime-local" value={until} onInput={(e) => setUntil(e.currentTarget.value)} aria-describedby="replay-until-hint" />
        <span />
        <p class="hint" id="replay-until-hint">
          Empty: until now.
        </p>
        <label for="replay-status">Status</label>
        <select id="replay-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="all">all: every event of the window</option>
          <option value="failed">failed: deliveries that ended failed</option>
          <option value="not_delivered">not_delivered: events it never got</option>
        </select>
        <span />
        <div>
          <button type="submit" class="secondary" disabled={replay.running}>
            Replay
          </button>
        </div>
      </form>
      {replay.result && (
        <Notice kind="success" title={`Replay started: ${replay.result.replayed} event${replay.result.replayed === 1 ? '' : 's'}.`}>
          {replay.result.replayed === 0 && <p>No event of this endpoint in that window matched the status.</p>}
          {replay.result.replayed >= replay.result.limit && <p>The limit of {replay.result.limit} was reached: replay the rest with a later "since".</p>}
        </Notice>
      )}
      {replay.error && <ErrorMessage error={replay.error} context="The replay did not start" />}
    </section>
  );
}
