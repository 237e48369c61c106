import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import { isInfrastructureFault } from '../app/faults';
import type { Metrics } from '../observability/metrics';
import { PERMANENT_ATTEMPT_FAULT, type AttemptOutcome, type AttemptRequest } from '../workflows/delivery-types';
import { withHeartbeats } from './heartbeat';

/**
 * Runs an attempt as an activity. An infrastructure fault is thrown as it is, so Temporal retries
 * it with backoff (and a long run of them shows in logs and metrics); any other error can never
 * succeed, so it becomes a non-retryable failure that ends the delivery `failed` with its reason.
 */
export function attemptActivity(attempt: (req: AttemptRequest) => Promise<AttemptOutcome>, deps: { logger: Logger; metrics: Pick<Metrics, 'infrastructureFaults'> }) {
  return async (req: AttemptRequest): Promise<AttemptOutcome> => {
    const { info } = Context.current();
    try {
      // A remote attempt heartbeats, so a lost worker is noticed in seconds; a local one runs
      // inside its workflow task, whose own timeout covers that.
      return await (info.isLocal ? attempt(req) : withHeartbeats(() => attempt(req)));
    } catch (err) {
      const ids = { deliveryId: req.deliveryId, attempt: req.attemptNumber, try: info.attempt };
      if (isInfrastructureFault(err)) {
        deps.metrics.infrastructureFaults.inc();
        deps.logger.warn({ err, ...ids }, 'delivery attempt could not run (infrastructure fault); Temporal retries it');
        throw err;
      }
      deps.logger.error({ err, ...ids }, 'delivery attempt failed permanently');
      throw ApplicationFailure.create({ type: PERMANENT_ATTEMPT_FAULT, message: `permanent error: ${(err as Error).message ?? String(err)}`.slice(0, 500), nonRetryable: true });
    }
  };
}
