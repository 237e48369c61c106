import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';
import { formatRelative, formatTime } from './format';
import type { Me, Tenant } from './types';

/** Who is signed in, and the admin's tenant choice ('' = every tenant). */
export interface Session {
  me: Me;
  /** The tenant lists are narrowed to: the admin's switcher choice, or the key's own tenant. */
  tenantFilter: string;
  tenants: Tenant[];
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

export const toApiError = (err: unknown): ApiError =>
  err instanceof ApiError ? err : new ApiError(0, 'Unexpected error', err instanceof Error ? err.message : String(err));

interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads `load()` when `key` changes (clearing what the previous key showed), and again on reload()
 * (keeping the current data on screen meanwhile).
 */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ key: string; data: T | undefined; error: ApiError | undefined; loading: boolean }>({ key, data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    let live = true;
    setState((s) => (s.key === key ? { ...s, loading: true } : { key, data: undefined, error: undefined, loading: true }));
    latest.current().then(
      (data) => live && setState({ key, data, error: undefined, loading: false }),
      (err: unknown) => live && setState({ key, data: undefined, error: toApiError(err), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const current = state.key === key;
  return { data: current ? state.data : undefined, error: current ? state.error : undefined, loading: !current || state.loading, reload };
}

/** Calls `tick` every `ms` while `active`. */
export function useInterval(tick: () => void, ms: number, active: boolean): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => latest.current(), ms);
    return () => clearInterval(timer);
  }, [ms, active]);
}

/** An action behind a button: runs once at a time and keeps its outcome for display. */
export function useAction<A extends unknown[], T>(run: (...args: A) => Promise<T>) {
  const [state, setState] = useState<{ running: boolean; result: T | undefined; error: ApiError | undefined }>({ running: false, result: undefined, error: undefined });
  const start = async (...args: A): Promise<T | undefined> => {
    setState({ running: true, result: undefined, error: undefined });
    try {
      const result = await run(...args);
      setState({ running: false, result, error: undefined });
      return result;
    } catch (err) {
      setState({ running: false, result: undefined, error: toApiError(err) });
      return undefined;
    }
  };
  const clear = () => setState({ running: false, result: undefined, error: undefined });
  return { ...state, start, clear };
}

export function Badge({ value, label }: { value: string; label?: string }) {
  return <span class={`badge badge-${value.replace(/[^a-z_]/g, '')}`}>{label ?? value}</span>;
}

export function Time({ iso, relative = false }: { iso: string | null | undefined; relative?: boolean }) {
  if (!iso) return <span class="muted">—</span>;
  return (
    <time dateTime={iso} title={iso}>
      {formatTime(iso)}
      {relative && <span class="muted"> ({formatRelative(iso)})</span>}
    </time>
  );
}

/** A failed API call, in words: its status, title, detail and each field fault. */
export function ErrorMessage({ error, context }: { error: ApiError; context?: string }) {
  return (
    <div class="notice notice-error" role="alert">
      <p>
        <strong>{context ? `${context}: ` : ''}{error.title}</strong>
        {error.status > 0 && <span class="muted"> (HTTP {error.status})</span>}
      </p>
      {error.detail && error.detail !== error.title && <p>{error.detail}</p>}
      {error.errors.length > 0 && (
        <ul>
          {error.errors.map((e) => (
            <li key={e.path}>
              <code>{e.path}</code> {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Notice({ kind, title, children }: { kind: 'info' | 'warning' | 'error' | 'success'; title: string; children?: ComponentChildren }) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <p>
        <strong>{title}</strong>
      </p>
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function NotFound({ what, id }: { what: string; id: string }) {
  return (
    <section class="card">
      <h1>Not found</h1>
      <p>
        No {what} <code>{id}</code> was found with this key. It may have been deleted, or it is not visible to this tenant.
      </p>
    </section>
  );
}

/** Key/value rows of an object's settings. */
export function Fields({ rows }: { rows: [string, ComponentChildren][] }) {
  return (
    <dl class="fields">
      {rows.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function HeaderTable({ headers, label }: { headers: Record<string, string>; label: string }) {
  const entries = Object.entries(headers);
  if (entries.length === 0) return <p class="muted">None.</p>;
  return (
    <table class="compact" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Header</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <td>
              <code>{name}</code>
            </td>
            <td class="wrap">
              <code>{value}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Cursor pagination over the API's `next_cursor`: the cursors of the pages seen so far, so
 * "Previous page" goes back without the API needing a backward cursor. Resets when `key` changes.
 */
export function useCursorPages(key: string) {
  const [state, setState] = useState<{ key: string; stack: (string | undefined)[] }>({ key, stack: [undefined] });
  const stack = state.key === key ? state.stack : [undefined];
  return {
    cursor: stack[stack.length - 1],
    page: stack.length,
    next: (cursor: string) => setState({ key, stack: [...stack, cursor] }),
    previous: () => setState({ key, stack: stack.length > 1 ? stack.slice(0, -1) : stack }),
  };
}

export function Pager({ page, nextCursor, onNext, onPrevious, label }: { page: number; nextCursor: string | null | undefined; onNext: (cursor: string) => void; onPrevious: () => void; label: string }) {
  if (page === 1 && !nextCursor) return null;
  return (
    <nav class="pager" aria-label={`${label} pages`}>
      <button type="button" class="secondary" disabled={page === 1} onClick={onPrevious}>
        Previous page
      </button>
      <span class="muted">Page {page}</span>
      <button type="button" class="secondary" disabled={!nextCursor} onClick={() => nextCursor && onNext(nextCursor)}>
        Next page
      </button>
    </nav>
  );
}
