import { storedCredential } from './session';

/** An answer other than 2xx, read from the API's problem+json when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: { path: string; message: string }[] = [],
  ) {
    super(detail ?? title);
  }
}

type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** Called when the API answers 401: the key was revoked or the portal link expired. */
let onUnauthorized: () => void = () => undefined;
export const setUnauthorizedHandler = (handler: () => void): void => {
  onUnauthorized = handler;
};

/**
 * One call to Herald's public REST API with the session's bearer credential (or `credential`,
 * used by the sign-in form before it stores anything).
 */
export async function request<T>(method: string, path: string, body?: unknown, credential?: string): Promise<T> {
  const key = credential ?? storedCredential();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, cache: 'no-store', credentials: 'omit', ...(body !== undefined && { body: JSON.stringify(body) }) });
  } catch (err) {
    throw new ApiError(0, 'Network error', `Herald could not be reached: ${err instanceof Error ? err.message : String(err)}`);
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a proxy's error page): the status alone says what happened.
  }
  if (!res.ok) {
    const problem = (parsed ?? {}) as { title?: string; detail?: string; errors?: { path: string; message: string }[] };
    if (res.status === 401 && credential === undefined) onUnauthorized();
    throw new ApiError(res.status, problem.title ?? res.statusText ?? `HTTP ${res.status}`, problem.detail, problem.errors ?? []);
  }
  return parsed as T;
}

export const get = <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query));
export const post = <T>(path: string, body: unknown = {}) => request<T>('POST', path, body);
