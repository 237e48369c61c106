import { useState } from 'preact/hooks';
import { get } from '../api';
import { isoToLocalInput, localInputToIso } from '../format';
import { href, navigate } from '../router';
import { DELIVERY_STATUSES, type DeliverySummary, type Endpoint, type Page } from '../types';
import { Badge, ErrorMessage, Loading, Pager, Time, useCursorPages, useLoad, useSession } from '../ui';

/**
 * One row per delivery, newest first within the page the API gives. Visibility lists each
 * workflow run, and a manual retry of an ended delivery is a new run of the same id: its latest
 * run is the delivery's current state.
 */
export function latestRuns(deliveries: DeliverySummary[]): DeliverySummary[] {
  const byId = new Map<string, DeliverySummary>();
  for (const d of deliveries) {
    const seen = byId.get(d.id);
    if (!seen || (d.started_at ?? '') > (seen.started_at ?? '')) byId.set(d.id, d);
  }
  return [...byId.values()].sort((a, b) => (b.started_at ?? '').localeCompare(a.started_at ?? ''));
}

export function DeliveryTable({ deliveries, endpoints, label, compact = false }: { deliveries: DeliverySummary[]; endpoints?: Map<string, string> | undefined; label: string; compact?: boolean }) {
  const showEndpoint = endpoints !== undefined;
  if (deliveries.length === 0) return <p class="empty">No deliveries.</p>;
  return (
    <table aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Delivery</th>
          <th scope="col">Event type</th>
          {showEndpoint && <th scope="col">Endpoint</th>}
          <th scope="col">Status</th>
          <th scope="col">Started</th>
          {!compact && <th scope="col">Ended</th>}
        </tr>
      </thead>
      <tbody>
        {latestRuns(deliveries).map((d) => (
          <tr key={d.id}>
            <td>
              <a href={href.delivery(d.id)} class="mono id" title={d.id}>
                {d.id}
              </a>
            </td>
            <td>
              <code>{d.event_type}</code>
            </td>
            {showEndpoint && (
              <td class="wrap">
                <a href={href.endpoint(d.endpoint_id)} title={d.endpoint_id}>
                  {endpoints.get(d.endpoint_id) ?? d.endpoint_id}
                </a>
              </td>
            )}
            <td>
              <Badge value={d.status} />
            </td>
            <td>
              <Time iso={d.started_at} />
            </td>
            {!compact && (
              <td>
                <Time iso={d.ended_at} />
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const FILTERS = ['status', 'event_type', 'since', 'until', 'endpoint_id'] as const;

export function DeliveriesPage({ query }: { query: URLSearchParams }) {
  const session = useSession();
  const filters = Object.fromEntries(FILTERS.map((name) => [name, query.get(name) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const filterKey = JSON.stringify([filters, session.tenantFilter]);
  const pages = useCursorPages(filterKey);
  const list = useLoad(
    () =>
      get<Page<DeliverySummary>>('/v1/deliveries', {
        limit: 25,
        cursor: pages.cursor,
        tenant_id: session.me.kind === 'admin' ? session.tenantFilter : undefined,
        ...filters,
      }),
    `${filterKey}|${pages.cursor ?? ''}`,
  );

  // Endpoints by URL rather than id, for the first 100 of the tenant (or of all tenants).
  const endpointUrls = useLoad(
    () =>
      get<Page<Endpoint>>('/v1/endpoints', { limit: 100, tenant_id: session.me.kind === 'admin' ? session.tenantFilter : undefined }).then(
        (page) => new Map(page.data.map((e) => [e.id, e.url])),
      ),
    session.tenantFilter,
  );

  return (
    <>
      <div class="page-header">
        <h1>Deliveries</h1>
      </div>
      <DeliveryFilters filters={filters} key={filterKey} />
      <section class="card flush">
        {list.error && <ErrorMessage error={list.error} context="Deliveries could not be loaded" />}
        {!list.data && !list.error && <Loading what="deliveries" />}
        {list.data && <DeliveryTable deliveries={list.data.data} endpoints={endpointUrls.data ?? new Map()} label="Deliveries" />}
      </section>
      <Pager label="Deliveries" page={pages.page} nextCursor={list.data?.next_cursor} onNext={pages.next} onPrevious={pages.previous} />
    </>
  );
}

function DeliveryFilters({ filters }: { filters: Record<(typeof FILTERS)[number], string> }) {
  const [status, setStatus] = useState(filters.status);
  const [eventType, setEventType] = useState(filters.event_type);
  const [since, setSince] = useState(isoToLocalInput(filters.since));
  const [until, setUntil] = useState(isoToLocalInput(filters.until));
  const apply = (e: Event) => {
    e.preventDefault();
    navigate(
      href.deliveries({
        status,
        event_type: eventType.trim(),
        since: localInputToIso(since) ?? '',
        until: localInputToIso(until) ?? '',
        endpoint_id: filters.endpoint_id,
      }),
    );
  };
  return (
    <section class="card" aria-label="Filters">
      <form class="filters" onSubmit={apply}>
        <div class="field">
          <label for="f-status">Status</label>
          <select id="f-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">any</option>
            {DELIVERY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-type">Event type</label>
          <input id="f-type" value={eventType} placeholder="design.exported" onInput={(e) => setEventType(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="f-since">Since</label>
          <input id="f-since" type="datetime-local" value={since} onInput={(e) => setSince(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="f-until">Until</label>
          <input id="f-until" type="datetime-local" value={until} onInput={(e) => setUntil(e.currentTarget.value)} />
        </div>
        <div class="field actions">
          <button type="submit">Apply filters</button>
          <a class="button secondary" href={href.deliveries()}>
            Clear
          </a>
        </div>
      </form>
      {filters.endpoint_id && (
        <p class="hint">
          Endpoint <a href={href.endpoint(filters.endpoint_id)}>{filters.endpoint_id}</a> only.
        </p>
      )}
    </section>
  );
}
