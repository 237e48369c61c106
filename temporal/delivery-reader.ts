import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
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

const FINAL: readonly DeliveryStatus[] = ['succeeded', 'failed', 'cancelled'];

/**
 * The visibility clause for a status. A delivery that succeeds writes nothing to visibility on its
 * way out (a write per delivery saved): its search attribute keeps the last status it wrote
 * (`pending`, or `retrying`) and its execution status says it completed. Runs begun before that
 * change wrote `succeeded`, and every run writes `failed` and `cancelled`.
 */
function statusClause(status: DeliveryStatus): string {
  const attribute = SEARCH_ATTRIBUTES.status;
  if (status === 'succeeded') {
    return `(${attribute} = 'succeeded' OR (ExecutionStatus = 'Completed' AND ${attribute} IN ('pending', 'delivering', 'retrying')))`;
  }
  if (FINAL.includes(status)) return `${attribute} = ${literal(status)}`;
  return `(${attribute} = ${literal(status)} AND ExecutionStatus = 'Running')`;
}

/** A delivery's status as visibility tells it (see statusClause). */
export function statusOf(attribute: string | undefined, running: boolean, executionStatus: string | undefined): DeliveryStatus {
  const status = (attribute ?? 'pending') as DeliveryStatus;
  if (running || FINAL.includes(status)) return status;
  // Closed without a final status of its own: completed means it succeeded; anything else
  // (terminated, timed out) means it will not be delivered.
  return executionStatus === 'COMPLETED' ? 'succeeded' : 'failed';
}

export function visibilityQuery(filter: DeliveryFilter): string {
  // Both versions of the delivery workflow (README, "Upgrading").
  const clauses = [`WorkflowType IN ('deliveryWorkflow', 'deliveryWorkflowV2')`];
  const byKey: [string, string | undefined][] = [
    [SEARCH_ATTRIBUTES.tenantId, filter.tenantId],
    [SEARCH_ATTRIBUTES.endpointId, filter.endpointId],
    [SEARCH_ATTRIBUTES.eventId, filter.eventId],
    [SEARCH_ATTRIBUTES.eventType, filter.eventType],
  ];
  for (const [name, value] of byKey) if (value !== undefined) clauses.push(`${name} = ${literal(value)}`);
  if (filter.status) clauses.push(statusClause(filter.status));
  if (filter.since) clauses.push(`StartTime >= ${literal(filter.since.toISOString())}`);
  if (filter.until) clauses.push(`StartTime < ${literal(filter.until.toISOString())}`);
  return clauses.join(' AND ');
}

/** `WORKFLOW_EXECUTION_STATUS_COMPLETED` (or its number) as `COMPLETED`. */
function executionStatusName(status: unknown): string | undefined {
  const name = typeof status === 'number' ? temporal.api.enums.v1.WorkflowExecutionStatus[status] : status;
  return typeof name === 'string' ? name.replace('WORKFLOW_EXECUTION_STATUS_', '') : undefined;
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
          status: statusOf(attributes.get(statusKey), !execution.closeTime, executionStatusName(execution.status)),
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
        const status = statusOf(description.typedSearchAttributes.get(statusKey), description.status.name === 'RUNNING', description.status.name);
        return { deliveryId, status, nextAttemptAt: null, attempts: [] };
      }
    },
  };
}

export type DeliveryReader = ReturnType<typeof createDeliveryReader>;
