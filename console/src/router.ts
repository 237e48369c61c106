import { useEffect, useState } from 'preact/hooks';

// Hash routing: the server serves one page at /console, and every view is a fragment such as
// #/endpoints/ep_… or #/deliveries?status=failed, so a view can be linked and reloaded.

export type Route =
  | { name: 'endpoints' }
  | { name: 'new-endpoint' }
  | { name: 'endpoint'; id: string }
  | { name: 'deliveries'; query: URLSearchParams }
  | { name: 'delivery'; id: string }
  | { name: 'event-types' }
  | { name: 'not-found'; path: string };

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [section, id, extra] = parts;
  if (parts.length === 0 || (section === 'endpoints' && parts.length === 1)) return { name: 'endpoints' };
  if (section === 'endpoints' && id === 'new' && extra === undefined) return { name: 'new-endpoint' };
  if (section === 'endpoints' && id && extra === undefined) return { name: 'endpoint', id };
  if (section === 'deliveries' && id === undefined) return { name: 'deliveries', query: new URLSearchParams(search) };
  if (section === 'deliveries' && id && extra === undefined) return { name: 'delivery', id };
  if (section === 'event-types' && id === undefined) return { name: 'event-types' };
  return { name: 'not-found', path };
}

export const href = {
  endpoints: () => '#/endpoints',
  newEndpoint: () => '#/endpoints/new',
  endpoint: (id: string) => `#/endpoints/${encodeURIComponent(id)}`,
  deliveries: (query: Record<string, string> = {}) => {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== ''));
    const text = params.toString();
    return text ? `#/deliveries?${text}` : '#/deliveries';
  },
  delivery: (id: string) => `#/deliveries/${encodeURIComponent(id)}`,
  eventTypes: () => '#/event-types',
};

export const navigate = (to: string): void => {
  location.hash = to;
};

/** The current route, following hashchange. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    // Effects run after paint: catch a change made between the first render and now.
    update();
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}
