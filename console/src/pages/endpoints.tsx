import { useState } from 'preact/hooks';
import { get, post } from '../api';
import { href } from '../router';
import type { Endpoint, Page } from '../types';
import { Badge, ErrorMessage, Loading, Pager, Time, useAction, useCursorPages, useLoad, useSession } from '../ui';

/** The status word, and what it means for delivery when the endpoint receives nothing. */
export function EndpointStatus({ endpoint }: { endpoint: Pick<Endpoint, 'status' | 'disabled_reason'> }) {
  if (endpoint.status === 'pending_verification') {
    return (
      <>
        <Badge value="pending_verification" />
        <span class="hint">receives no events until verified</span>
      </>
    );
  }
  if (endpoint.status === 'disabled') {
    return (
      <>
        <Badge value="disabled" />
        <span class="hint">receives no events ({endpoint.disabled_reason ?? 'manual'})</span>
      </>
    );
  }
  return <Badge value={endpoint.status} />;
}

export function EndpointsPage() {
  const session = useSession();
  const filterKey = session.tenantFilter;
  const pages = useCursorPages(filterKey);
  const list = useLoad(
    () => get<Page<Endpoint>>('/v1/endpoints', { limit: 50, cursor: pages.cursor, tenant_id: session.me.kind === 'admin' ? session.tenantFilter : undefined }),
    `${filterKey}|${pages.cursor ?? ''}`,
  );
  const showTenant = session.me.kind === 'admin' && !session.tenantFilter;
  const tenantName = (id: string) => session.tenants.find((t) => t.id === id)?.name ?? id;

  return (
    <>
      <div class="page-header">
        <h1>Endpoints</h1>
        <a class="button" href={href.newEndpoint()}>
          New endpoint
        </a>
      </div>
      {session.me.kind === 'admin' && session.tenantFilter && <PortalLink tenantId={session.tenantFilter} />}
      <section class="card flush">
        {list.error && <ErrorMessage error={list.error} context="Endpoints could not be loaded" />}
        {!list.data && !list.error && <Loading what="endpoints" />}
        {list.data && list.data.data.length === 0 && (
          <p class="empty">
            No endpoints yet. <a href={href.newEndpoint()}>Create one</a> to start receiving events.
          </p>
        )}
        {list.data && list.data.data.length > 0 && (
          <table aria-label="Endpoints">
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Status</th>
                <th scope="col">Health</th>
                <th scope="col">Event types</th>
                {showTenant && <th scope="col">Tenant</th>}
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((endpoint) => (
                <tr key={endpoint.id}>
                  <td class="wrap">
                    <a href={href.endpoint(endpoint.id)}>{endpoint.url}</a>
                    {endpoint.description && <div class="hint">{endpoint.description}</div>}
                  </td>
                  <td>
                    <EndpointStatus endpoint={endpoint} />
                  </td>
                  <td>
                    <Badge value={endpoint.health} />
                  </td>
                  <td>
                    {endpoint.event_types.map((t) => (
                      <code class="tag" key={t}>
                        {t}
                      </code>
                    ))}
                  </td>
                  {showTenant && <td>{tenantName(endpoint.tenant_id)}</td>}
                  <td>
                    <Time iso={endpoint.created_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <Pager label="Endpoints" page={pages.page} nextCursor={list.data?.next_cursor} onNext={pages.next} onPrevious={pages.previous} />
    </>
  );
}

/** The admin hands a tenant a link that opens this console as that tenant (the customer portal). */
function PortalLink({ tenantId }: { tenantId: string }) {
  const [ttl, setTtl] = useState('1h');
  const create = useAction(() => post<{ url: string; expires_at: string }>(`/v1/tenants/${encodeURIComponent(tenantId)}/portal-links`, { ttl }));
  return (
    <section class="card" aria-labelledby="portal-heading">
      <h2 id="portal-heading">Customer portal</h2>
      <p class="muted">A link that opens this console signed in as this tenant only, until it expires (at most 24 h). Anyone holding it can see and change this tenant's endpoints.</p>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void create.start();
        }}
      >
        <label for="portal-ttl">Valid for</label>
        <input id="portal-ttl" class="short" value={ttl} onInput={(e) => setTtl(e.currentTarget.value)} />
        <button type="submit" class="secondary" disabled={create.running}>
          Create portal link
        </button>
      </form>
      {create.error && <ErrorMessage error={create.error} context="The link could not be created" />}
      {create.result && (
        <div class="notice notice-success" role="status">
          <label for="portal-url">Portal link</label>
          <input id="portal-url" readOnly value={create.result.url} onFocus={(e) => e.currentTarget.select()} />
          <p class="hint">
            Expires <Time iso={create.result.expires_at} relative />.
          </p>
        </div>
      )}
    </section>
  );
}
