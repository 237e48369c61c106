import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { get, post } from '../api';
import { formatDuration } from '../format';
import { href } from '../router';
import type { Attempt, Delivery, DeliveryStatus, Endpoint } from '../types';
import { Badge, ErrorMessage, Fields, HeaderTable, Loading, Notice, NotFound, Time, useAction, useInterval, useLoad } from '../ui';

const ACTIVE: readonly DeliveryStatus[] = ['pending', 'delivering', 'retrying'];
/** Retry: any status but delivering/pending. Cancel: a delivery that has not ended. */
const canRetry = (s: DeliveryStatus) => s !== 'delivering' && s !== 'pending';
const canCancel = (s: DeliveryStatus) => ACTIVE.includes(s);
/** After a button press the page follows the delivery this long, even before its status changes. */
const FOLLOW_MS = 20_000;

const path = (id: string, action = '') => `/v1/deliveries/${encodeURIComponent(id)}${action}`;

export function DeliveryPage({ id }: { id: string }) {
  const loaded = useLoad(() => get<Delivery>(path(id)), id);
  const endpointId = loaded.data?.endpoint_id;
  // The endpoint's URL, to name it as a person knows it (its id when it cannot be read).
  const endpoint = useLoad(() => (endpointId ? get<Endpoint>(`/v1/endpoints/${encodeURIComponent(endpointId)}`) : Promise.resolve(undefined)), endpointId ?? '');
  const [followUntil, setFollowUntil] = useState(0);
  const delivery = loaded.data;
  const live = delivery !== undefined && (ACTIVE.includes(delivery.status) || Date.now() < followUntil);
  useInterval(loaded.reload, 1000, live);

  const follow = () => setFollowUntil(Date.now() + FOLLOW_MS);
  const retry = useAction(async () => {
    await post(path(id, '/retry'));
    follow();
    loaded.reload();
    return true;
  });
  const cancel = useAction(async () => {
    await post(path(id, '/cancel'));
    follow();
    loaded.reload();
    return true;
  });

  if (loaded.error?.status === 404) return <NotFound what="delivery" id={id} />;
  if (loaded.error && !delivery) return <ErrorMessage error={loaded.error} context="The delivery could not be loaded" />;
  if (!delivery) return <Loading what="the delivery" />;

  return (
    <>
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={href.deliveries()}>Deliveries</a> / {delivery.id}
      </nav>
      <div class="page-header">
        <div>
          <h1>
            Delivery of <code>{delivery.event_type}</code>
          </h1>
          <p class="subtitle">
            <Badge value={delivery.status} /> <span class="mono muted">{delivery.id}</span>
          </p>
        </div>
        <div class="toolbar">
          {canRetry(delivery.status) && (
            <button type="button" onClick={() => void retry.start()} disabled={retry.running}>
              Retry
            </button>
          )}
          {canCancel(delivery.status) && (
            <button type="button" class="secondary danger" onClick={() => void cancel.start()} disabled={cancel.running}>
              Cancel
            </button>
          )}
          <a class="button secondary" href={delivery.temporal_ui_url} target="_blank" rel="noopener noreferrer">
            Open in Temporal UI
          </a>
        </div>
      </div>
      {retry.result && <Notice kind="success" title="Retry requested: a new attempt starts now." />}
      {retry.error && <ErrorMessage error={retry.error} context="The retry was not started" />}
      {cancel.result && <Notice kind="success" title="Cancel requested: no further attempt will be made." />}
      {cancel.error && <ErrorMessage error={cancel.error} context="The delivery was not cancelled" />}
      {loaded.error && <ErrorMessage error={loaded.error} context="Refreshing failed" />}

      <section class="card" aria-labelledby="summary-heading">
        <h2 id="summary-heading">Summary</h2>
        <Fields
          rows={[
            ['Status', <Badge value={delivery.status} />],
            ['Next attempt', delivery.next_attempt_at ? <Time iso={delivery.next_attempt_at} relative /> : <span class="muted">none scheduled</span>],
            ...(delivery.reason !== undefined ? ([['Reason', <code>{delivery.reason}</code>]] as [string, ComponentChildren][]) : []),
            ['Event type', <code>{delivery.event_type}</code>],
            ['Event', <code>{delivery.event_id}</code>],
            ['Endpoint', <a href={href.endpoint(delivery.endpoint_id)} title={delivery.endpoint_id}>{endpoint.data?.url ?? delivery.endpoint_id}</a>],
            ['Created', <Time iso={delivery.created_at} />],
            ['Attempts', String(delivery.attempts.length)],
          ]}
        />
      </section>

      <section aria-labelledby="attempts-heading">
        <h2 id="attempts-heading">Attempts</h2>
        {delivery.attempts.length === 0 && <p class="muted">No attempt yet.</p>}
        {delivery.attempts.map((attempt) => (
          <AttemptView attempt={attempt} key={attempt.number} />
        ))}
      </section>
    </>
  );
}

const succeeded = (a: Attempt) => a.error === null && a.response !== null && a.response.status >= 200 && a.response.status <= 299;

function AttemptView({ attempt }: { attempt: Attempt }) {
  const id = `attempt-${attempt.number}`;
  const ok = succeeded(attempt);
  return (
    <article class="card attempt" aria-labelledby={id}>
      <h3 id={id}>
        Attempt {attempt.number} <Badge value={ok ? 'succeeded' : 'failed'} />
      </h3>
      <Fields
        rows={[
          ['Trigger', attempt.trigger],
          ['Time', <Time iso={attempt.started_at} />],
          ['Duration', formatDuration(attempt.duration_ms)],
          ['Response status', attempt.response ? <strong>{attempt.response.status}</strong> : <span class="muted">no response</span>],
          ['Error', attempt.error ? <span><code>{attempt.error.code}</code> {attempt.error.message}</span> : <span class="muted">none</span>],
          ['URL', <code class="wrap">{attempt.request.url}</code>],
        ]}
      />
      <details>
        <summary>Request headers</summary>
        <HeaderTable headers={attempt.request.headers} label={`Attempt ${attempt.number} request headers`} />
      </details>
      {attempt.response && (
        <>
          <details>
            <summary>Response headers</summary>
            <HeaderTable headers={attempt.response.headers} label={`Attempt ${attempt.number} response headers`} />
          </details>
          <h4>Response body (excerpt)</h4>
          {attempt.response.body ? <pre>{attempt.response.body}</pre> : <p class="muted">Empty.</p>}
        </>
      )}
    </article>
  );
}
