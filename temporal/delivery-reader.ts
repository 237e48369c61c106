import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import type { Page } from '../db/pagination';
import { stateQuery } from '../workflows/delivery-definitions';
import type { DeliveryState, DeliveryStatus } from '../workflows/delivery-types';
import { createVisibilityCursors } from './visibility-cursor';
import { endpointIdKey, eventIdKey, eventTypeKey, SEARCH_ATTRIBUTES, statusKey, tenantIdKey } from '../workflows/search-attributes';

export interface DeliverySummary {
  id: string;
  eventId: string;
  endpointId: string;
  tenantId: string;
  eventType: string;
  status: DeliveryStatus;
  startedAt: Date | null;
  endedAt: Date | null;
}

export interface DeliveryFilter {
  tenantId?: string | undefined;
  endpointId?: string | undefined;
  eventId?: string | undefined;
  eventType?: string | undefined;
  status?: DeliveryStatus | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
}

// Values reach the visibility query as literals; the API validates them, and this refuses
// anything that could still close the quote.
function literal(value: string): string {
  if (/['"\\]/.test(value)) throw new Error('unsafe visibility query value');
  return `'${value}'`;
}

export function visibilityQuery(filter: DeliveryFilter): string {
  const clauses = [`WorkflowType = 'deliveryWorkflow'`];
  const byKey: [string, string | undefined][] = [
    [SEARCH_ATTRIBUTES.tenantId, filter.tenantId],
    [SEARCH_ATTRIBUTES.endpointId, filter.endpointId],
    [SEARCH_ATTRIBUTES.eventId, filter.eventId],
    [SEARCH_ATTRIBUTES.eventType, filter.eventType],
    [SEARCH_ATTRIBUTES.status, filter.status],
  ];
  for (const [name, value] of byKey) if (value !== undefined) clauses.push(`${name} = ${literal(value)}`);
  if (filter.since) clauses.push(`StartTime >= ${literal(filter.since.toISOString())}`);
  if (filter.until) clauses.push(`StartTime < ${literal(filter.until.toISOString())}`);
  return clauses.join(' AND ');
}

type ListResponse = Awaited<ReturnType<Client['workflowService']['listWorkflowExecutions']>>;

const timestampToDate = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): Date | null =>
  t?.seconds == null ? null : new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6));

/** Reads deliveries back from Temporal: lists from visibility, one delivery's live state by query. */
export function createDeliveryReader(client: Client, namespace: string, cursorSecret: string) {
  const cursors = createVisibilityCursors(cursorSecret);

  /**
   * The newest run of each closed delivery. A manual retry of an ended delivery is a new run of
   * the same workflow id, and visibility lists every run: a listing shows a delivery as its
   * latest run says, never as the earlier run it replaced (a retried failure is not failed).
   */
  async function latestRuns(deliveryIds: string[]): Promise<Map<string, string>> {
    const newest = new Map<string, { runId: string; startedAt: number }>();
    if (deliveryIds.length === 0) return new Map();
    const query = `WorkflowId IN (${[...new Set(deliveryIds)].map(literal).join(', ')})`;
    let nextPageToken: Uint8Array | null = null;
    do {
      const page: ListResponse = await client.workflowService.listWorkflowExecutions({ namespace, pageSize: 1000, query, nextPageToken });
      for (const e of page.executions) {
        const id = e.execution?.workflowId ?? '';
        const startedAt = timestampToDate(e.startTime)?.getTime() ?? 0;
        if (startedAt >= (newest.get(id)?.startedAt ?? -1)) newest.set(id, { runId: e.execution?.runId ?? '', startedAt });
      }
      nextPageToken = page.nextPageToken && page.nextPageToken.length > 0 ? page.nextPageToken : null;
    } while (nextPageToken);
    return new Map([...newest].map(([id, run]) => [id, run.runId]));
  }

  return {
    async list(filter: DeliveryFilter, opts: { limit: number; cursor?: string }): Promise<Page<DeliverySummary>> {
      const query = visibilityQuery(filter);
      const response = await client.workflowService.listWorkflowExecutions({
        namespace,
        pageSize: opts.limit,
        query,
        nextPageToken: opts.cursor ? cursors.open(opts.cursor, query) : null,
      });
      const latest = await latestRuns(response.executions.filter((e) => e.closeTime).map((e) => e.execution?.workflowId ?? ''));
      const current = response.executions.filter((e) => !e.closeTime || latest.get(e.execution?.workflowId ?? '') === e.execution?.runId);
      const data = current.map((execution): DeliverySummary => {
        const attributes = decodeTypedSearchAttributes(execution.searchAttributes?.indexedFields);
        return {
          id: execution.execution?.workflowId ?? '',
          eventId: attributes.get(eventIdKey) ?? '',
          endpointId: attributes.get(endpointIdKey) ?? '',
          tenantId: attributes.get(tenantIdKey) ?? '',
          eventType: attributes.get(eventTypeKey) ?? '',
          status: (attributes.get(statusKey) ?? 'pending') as DeliveryStatus,
          startedAt: timestampToDate(execution.startTime),
          endedAt: timestampToDate(execution.closeTime),
        };
      });
      const token = response.nextPageToken;
      return { data, nextCursor: token && token.length > 0 ? cursors.seal(token, query) : null };
    },

    /** The live state of the latest run, or undefined when no workflow was started yet. */
    async state(deliveryId: string): Promise<DeliveryState | undefined> {
      const handle = client.workflow.getHandle(deliveryId);
      try {
        return await handle.query(stateQuery);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return undefined;
        // A query needs a worker; without one, visibility still knows the status.
        const description = await handle.describe().catch(() => undefined);
        if (!description) throw err;
        const status = (description.typedSearchAttributes.get(statusKey) ?? 'pending') as DeliveryStatus;
        return { deliveryId, status, nextAttemptAt: null, attempts: [] };
      }
    },
  };
}

export type DeliveryReader = ReturnType<typeof createDeliveryReader>;
