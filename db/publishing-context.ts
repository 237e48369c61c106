import type { Pool } from 'pg';
import type { Endpoint } from '../domain/endpoint';
import type { JsonSchema } from '../domain/event-schema';
import { ENDPOINT_ROW_COLUMNS, toEndpoint, type EndpointRow } from './endpoint-rows';
import { columnList, preparedStatement } from './prepared-statement';

export interface PublishingContext {
  tenantExists: boolean;
  /** The JSON Schema of the event type: null when the type has none or is not in the catalog. */
  schema: JsonSchema | null;
  /** The tenant's endpoints that may receive new events now; left empty when not asked for. */
  receiving: Endpoint[];
}

type ContextRow = Partial<EndpointRow> & { pc_tenant_id: string | null; pc_schema: JsonSchema | null };

const readContext = preparedStatement(
  'publishing-context',
  `SELECT t.id AS pc_tenant_id,
     CASE WHEN row_number() OVER () = 1 THEN (SELECT schema FROM event_types WHERE name = $2) END AS pc_schema,
     ${columnList(ENDPOINT_ROW_COLUMNS, 'ep')}
   FROM (SELECT 1) AS one
   LEFT JOIN tenants t ON t.id = $1
   LEFT JOIN endpoints ep ON ep.tenant_id = $3 AND ep.tenant_id = t.id AND ep.status = 'active'`,
);

/**
 * What publishing an event reads before it stores anything, in one round trip: whether its tenant
 * exists, the schema of its type, and (with `withEndpoints`) the tenant's receiving endpoints, one
 * row each. The schema comes on one row only, so a large schema is not sent once per endpoint.
 */
export function createPublishingContextReader(pool: Pool) {
  return async function readPublishingContext(tenantId: string, type: string, opts: { withEndpoints: boolean }): Promise<PublishingContext> {
    // $3 is the tenant again, or null to skip its endpoints: a prepared statement's generic plan
    // skips the endpoints scan on `= NULL`, where a boolean flag would be tested row by row.
    const { rows } = await pool.query<ContextRow>(readContext([tenantId, type, opts.withEndpoints ? tenantId : null]));
    return {
      tenantExists: rows[0]!.pc_tenant_id !== null,
      // One row carries it, not necessarily the first one returned.
      schema: rows.find((row) => row.pc_schema !== null)?.pc_schema ?? null,
      receiving: rows.filter((row) => row.id != null).map((row) => toEndpoint(row as EndpointRow)),
    };
  };
}

export type PublishingContextReader = ReturnType<typeof createPublishingContextReader>;
