import { useState } from 'preact/hooks';
import { ApiError, request } from '../api';
import type { Me } from '../types';
import { ErrorMessage, toApiError } from '../ui';

/** The key is checked with GET /v1/me before anything is stored: a wrong key leaves nothing behind. */
export function SignIn({ onSignedIn, message }: { onSignedIn: (credential: string, me: Me) => void; message?: string | undefined }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const credential = key.trim();
    if (!credential) {
      setError(new ApiError(0, 'Enter an API key', 'Use the admin key or a tenant API key (hrd_…).'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const me = await request<Me>('GET', '/v1/me', undefined, credential);
      setKey('');
      onSignedIn(credential, me);
    } catch (err) {
      const problem = toApiError(err);
      setError(
        problem.status === 401
          ? new ApiError(401, 'Sign-in failed: this API key was not accepted', 'Check that you copied the whole key, and that it has not been revoked.')
          : problem,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <section class="card">
        <h1>Sign in to Herald</h1>
        <p class="muted">Use the admin key, or one of a tenant's API keys. The key stays in this browser tab's session storage and is sent only to this Herald, as a bearer token.</p>
        {message && (
          <div class="notice notice-warning" role="status">
            <p>{message}</p>
          </div>
        )}
        <form onSubmit={submit} class="stack">
          <label for="api-key">API key</label>
          <input id="api-key" type="password" autoComplete="off" spellcheck={false} value={key} onInput={(e) => setKey(e.currentTarget.value)} />
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        {error && <ErrorMessage error={error} />}
      </section>
    </main>
  );
}
