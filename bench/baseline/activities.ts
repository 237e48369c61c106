import { Agent, request } from 'undici';

/** A plain HTTP POST over a keep-alive pool: no database, no signing, no attempt log. */
export function createBaselineActivities(agent: Agent) {
  return {
    async postOnce(url: string, id: string): Promise<number> {
      const res = await request(url, {
        dispatcher: agent,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'herald-delivery-id': id },
        body: JSON.stringify({ type: 'bench.tick', timestamp: new Date().toISOString(), data: { id } }),
      });
      await res.body.dump();
      return res.statusCode;
    },
  };
}

export type BaselineActivities = ReturnType<typeof createBaselineActivities>;
