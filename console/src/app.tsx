import { useEffect, useState } from 'preact/hooks';
import { get, request, setUnauthorizedHandler } from './api';
import { formatRelative } from './format';
import { EndpointPage } from './pages/endpoint';
import { EndpointsPage } from './pages/endpoints';
import { DeliveriesPage } from './pages/deliveries';
import { DeliveryPage } from './pages/delivery';
import { EventTypesPage } from './pages/event-types';
import { NewEndpointPage } from './pages/new-endpoint';
import { SignIn } from './pages/sign-in';
import { href, useRoute, type Route } from './router';
import { forgetSession, storeCredential, storedCredential, storedTenant, storeTenant } from './session';
import type { Me, Page, Tenant } from './types';
import { ErrorMessage, SessionContext, toApiError, useLoad, type Session } from './ui';

type Auth = { state: 'checking' } | { state: 'signed-out'; message?: string } | { state: 'signed-in'; me: Me };

const ENDED = 'Your session has ended: the key is no longer accepted, or the portal link has expired. Sign in again, or ask for a new portal link.';

/** Signs in (a stored key or a portal token is checked with GET /v1/me first), then shows the console. */
export function App({ fromPortalLink }: { fromPortalLink: boolean }) {
  const [auth, setAuth] = useState<Auth>(() => (storedCredential() ? { state: 'checking' } : { state: 'signed-out' }));

  useEffect(() => {
    setUnauthorizedHandler(() => {
      forgetSession();
      setAuth({ state: 'signed-out', message: ENDED });
    });
    if (!storedCredential()) return;
    request<Me>('GET', '/v1/me').then(
      (me) => setAuth({ state: 'signed-in', me }),
      (err: unknown) => {
        const problem = toApiError(err);
        if (problem.status === 401) {
          forgetSession();
          setAuth({ state: 'signed-out', message: fromPortalLink ? 'This portal link has expired or is not valid. Ask for a new one.' : ENDED });
        } else {
          setAuth({ state: 'signed-out', message: `Herald did not answer as expected: ${problem.title}${problem.detail ? ` (${problem.detail})` : ''}.` });
        }
      },
    );
  }, []);

  if (auth.state === 'checking') {
    return (
      <main class="signin">
        <p class="muted" role="status">
          Signing in…
        </p>
      </main>
    );
  }
  if (auth.state === 'signed-out') {
    return (
      <SignIn
        message={auth.message}
        onSignedIn={(credential, me) => {
          forgetSession();
          storeCredential(credential);
          setAuth({ state: 'signed-in', me });
        }}
      />
    );
  }
  return (
    <Console
      me={auth.me}
      onSignOut={() => {
        forgetSession();
        setAuth({ state: 'signed-out' });
      }}
    />
  );
}

/** Every tenant, for the admin's switcher (a few pages at most in practice). */
async function allTenants(): Promise<Tenant[]> {
  const tenants: Tenant[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const res = await get<Page<Tenant>>('/v1/tenants', { limit: 100, cursor });
    tenants.push(...res.data);
    if (!res.next_cursor) break;
    cursor = res.next_cursor;
  }
  return tenants.sort((a, b) => a.name.localeCompare(b.name));
}

const NAV: { label: string; to: string; sections: Route['name'][] }[] = [
  { label: 'Endpoints', to: href.endpoints(), sections: ['endpoints', 'endpoint', 'new-endpoint'] },
  { label: 'Deliveries', to: href.deliveries(), sections: ['deliveries', 'delivery'] },
  { label: 'Event types', to: href.eventTypes(), sections: ['event-types'] },
];

function Console({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  const isAdmin = me.kind === 'admin';
  const route = useRoute();
  const [tenantFilter, setTenantFilter] = useState(() => (isAdmin ? storedTenant() : (me.tenant_id ?? '')));
  const tenants = useLoad(() => (isAdmin ? allTenants() : Promise.resolve([])), me.kind);
  const session: Session = { me, tenantFilter, tenants: tenants.data ?? [] };

  useEffect(() => {
    const current = NAV.find((n) => n.sections.includes(route.name));
    document.title = `${current?.label ?? 'Not found'} · Herald`;
  }, [route.name]);

  return (
    <SessionContext.Provider value={session}>
      <header class="topbar">
        <div class="topbar-inner">
          <a class="brand" href={href.endpoints()}>
            <span class="logo" aria-hidden="true" />
            Herald <span class="product">{me.kind === 'portal' ? 'Webhooks' : 'Console'}</span>
          </a>
          <nav aria-label="Main">
            {NAV.map((n) => (
              <a key={n.label} href={n.to} aria-current={n.sections.includes(route.name) ? 'page' : undefined}>
                {n.label}
              </a>
            ))}
          </nav>
          <div class="who">
            {isAdmin ? (
              <>
                <label for="tenant-switcher">Tenant</label>
                <select
                  id="tenant-switcher"
                  value={tenantFilter}
                  onChange={(e) => {
                    setTenantFilter(e.currentTarget.value);
                    storeTenant(e.currentTarget.value);
                  }}
                >
                  <option value="">All tenants</option>
                  {(tenants.data ?? []).map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </select>
                <span class="identity">Admin</span>
              </>
            ) : (
              <span class="identity">
                {me.tenant_name ?? me.tenant_id}
                {me.kind === 'portal' && me.expires_at && <span class="muted"> · session ends {formatRelative(me.expires_at)}</span>}
              </span>
            )}
            <button type="button" class="link" onClick={onSignOut}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" class="content">
        {tenants.error && <ErrorMessage error={tenants.error} context="Tenants could not be loaded" />}
        <RouteView route={route} />
      </main>
    </SessionContext.Provider>
  );
}

function RouteView({ route }: { route: Route }) {
  switch (route.name) {
    case 'endpoints':
      return <EndpointsPage />;
    case 'new-endpoint':
      return <NewEndpointPage />;
    case 'endpoint':
      return <EndpointPage id={route.id} key={route.id} />;
    case 'deliveries':
      return <DeliveriesPage query={route.query} />;
    case 'delivery':
      return <DeliveryPage id={route.id} key={route.id} />;
    case 'event-types':
      return <EventTypesPage />;
    case 'not-found':
      return (
        <section class="card">
          <h1>Not found</h1>
          <p>
            There is no page <code>#{route.path}</code> in the console. Go to <a href={href.endpoints()}>Endpoints</a>.
          </p>
        </section>
      );
  }
}
