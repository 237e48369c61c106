// A small client of Herald's public API over one keep-alive connection pool.
import { Agent, request } from 'undici';

export interface Published {
  eventId: string;
  deliveryIds: string[];
}

export function createHeraldApi(baseUrl: string, adminKey: string, connections: number) {
  const agent = new Agent({ connections, keepAliveTimeout: 30_000 });
  const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };

  async function post<T>(path: string, body: unknown, expected: number): Promise<T> {
    const res = await request(baseUrl + path, { dispatcher: agent, method: 'POST', headers, body: JSON.stringify(body) });
    const text = await res.body.text();
    if (res.statusCode !== expected) throw new Error(`POST ${path} answered ${res.statusCode}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }

  return {
    async createTenant(name: string): Promise<string> {
      return (await post<{ id: string }>('/v1/tenants', { name, alert_email: 'bench@example.com' }, 201)).id;
    },

    /** An active endpoint (no verification handshake) subscribed to every event type. */
    async createEndpoint(tenantId: string, url: string, retry: unknown): Promise<string> {
      return (await post<{ id: string }>('/v1/endpoints', { tenant_id: tenantId, url, event_types: ['*'], verify: false, retry }, 201)).id;
    },

    async publish(tenantId: string, data: unknown): Promise<Published> {
      const body = await post<{ id: string; deliveries: { id: string }[] }>('/v1/events', { tenant_id: tenantId, type: 'bench.tick', data }, 202);
      return { eventId: body.id, deliveryIds: body.deliveries.map((d) => d.id) };
    },

    /**
     * Publishes several events in one request (POST /v1/events/batch); undefined when this Herald
     * has no batch endpoint, so the caller can fall back to one request per event.
     */
    async publishBatch(tenantId: string, data: unknown[]): Promise<Published[] | undefined> {
      const events = data.map((d) => ({ tenant_id: tenantId, type: 'bench.tick', data: d }));
      const res = await request(`${baseUrl}/v1/events/batch`, { dispatcher: agent, method: 'POST', headers, body: JSON.stringify({ events }) });
      const text = await res.body.text();
      if (res.statusCode === 404 || res.statusCode === 405) return undefined;
      if (res.statusCode !== 202) throw new Error(`POST /v1/events/batch answered ${res.statusCode}: ${text.slice(0, 500)}`);
      const body = JSON.parse(text) as { data: { id: string; deliveries: { id: string }[] }[] };
      return body.data.map((e) => ({ eventId: e.id, deliveryIds: e.deliveries.map((d) => d.id) }));
    },

    close: () => agent.close(),
  };
}

export type HeraldApi = ReturnType<typeof createHeraldApi>;
