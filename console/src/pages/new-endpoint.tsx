import { useState } from 'preact/hooks';
import { post } from '../api';
import { href, navigate } from '../router';
import type { Endpoint } from '../types';
import { ErrorMessage, Notice, useAction, useSession } from '../ui';

const RETRY_PRESETS = ['default', 'extended', 'jittered', 'exponential', 'standard', 'none'] as const;
const SCHEMES = ['standard-webhooks', 'standard-webhooks-ed25519', 'hmac-sha256', 'stripe', 'jwt-hs256'] as const;

export function NewEndpointPage() {
  const session = useSession();
  const isAdmin = session.me.kind === 'admin';
  const [tenantId, setTenantId] = useState(session.tenantFilter || session.tenants[0]?.id || '');
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [eventTypes, setEventTypes] = useState('*');
  const [retry, setRetry] = useState<string>('default');
  const [scheme, setScheme] = useState<string>('standard-webhooks');
  const [verify, setVerify] = useState(true);

  const create = useAction(async () => {
    const endpoint = await post<Endpoint>('/v1/endpoints', {
      ...(isAdmin && { tenant_id: tenantId }),
      url: url.trim(),
      description,
      event_types: eventTypes.split(/[\s,]+/).filter(Boolean),
      retry: { preset: retry },
      signature: { scheme },
      verify,
    });
    navigate(href.endpoint(endpoint.id));
    return endpoint;
  });
  const fault = (path: string) => create.error?.errors.find((e) => e.path === path || e.path.startsWith(`${path}.`))?.message;
  const described = (path: string) => (fault(path) ? { 'aria-invalid': true, 'aria-describedby': `${path}-error` } : {});
  const fieldError = (path: string) => {
    const message = fault(path);
    return message ? (
      <p class="field-error" id={`${path}-error`}>
        {message}
      </p>
    ) : null;
  };

  return (
    <>
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href={href.endpoints()}>Endpoints</a> / New endpoint
      </nav>
      <h1>New endpoint</h1>
      {isAdmin && session.tenants.length === 0 && (
        <Notice kind="warning" title="There is no tenant yet.">
          <p>
            Every endpoint belongs to a tenant. Create one with the API first: <code>POST /v1/tenants {'{"name", "alert_email"}'}</code>.
          </p>
        </Notice>
      )}
      <section class="card">
        <form
          class="form-grid"
          onSubmit={(e) => {
            e.preventDefault();
            void create.start();
          }}
        >
          {isAdmin && (
            <>
              <label for="ep-tenant">Tenant</label>
              <div>
                <select id="ep-tenant" value={tenantId} onChange={(e) => setTenantId(e.currentTarget.value)} {...described('tenant_id')}>
                  {session.tenants.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name} ({t.id})
                    </option>
                  ))}
                </select>
                {fieldError('tenant_id')}
              </div>
            </>
          )}
          <label for="ep-url">URL</label>
          <div>
            <input id="ep-url" type="url" required placeholder="https://hooks.example.com/herald" value={url} onInput={(e) => setUrl(e.currentTarget.value)} {...described('url')} />
            {fieldError('url')}
          </div>
          <label for="ep-description">Description</label>
          <div>
            <input id="ep-description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} {...described('description')} />
            {fieldError('description')}
          </div>
          <label for="ep-types">Event types</label>
          <div>
            <input id="ep-types" value={eventTypes} onInput={(e) => setEventTypes(e.currentTarget.value)} aria-describedby="ep-types-hint" />
            <p class="hint" id="ep-types-hint">
              Exact names, <code>group.*</code> or <code>*</code>, separated by commas. System events (<code>webhook.failed</code>, <code>endpoint.disabled</code>) only when named.
            </p>
            {fieldError('event_types')}
          </div>
          <label for="ep-retry">Retry schedule</label>
          <div>
            <select id="ep-retry" value={retry} onChange={(e) => setRetry(e.currentTarget.value)}>
              {RETRY_PRESETS.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
            {fieldError('retry')}
          </div>
          <label for="ep-scheme">Signature scheme</label>
          <div>
            <select id="ep-scheme" value={scheme} onChange={(e) => setScheme(e.currentTarget.value)}>
              {SCHEMES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
            {fieldError('signature')}
          </div>
          <span />
          <div>
            <label class="checkbox">
              <input type="checkbox" checked={verify} onChange={(e) => setVerify(e.currentTarget.checked)} /> Verify the URL now
            </label>
            <p class="hint">Herald sends a signed <code>webhook.verification</code> request; the endpoint receives events only once it answers 2xx within 3 s.</p>
          </div>
          <span />
          <div>
            <button type="submit" disabled={create.running}>
              {create.running ? 'Creating…' : 'Create endpoint'}
            </button>
          </div>
        </form>
        {create.error && <ErrorMessage error={create.error} context="The endpoint was not created" />}
      </section>
    </>
  );
}
