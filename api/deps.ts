import type { Herald } from '../composition/herald';

/** What the routes use: the process's dependencies from the composition root (composition/herald.ts). */
export type AppDeps = Pick<
  Herald,
  | 'config'
  | 'logger'
  | 'pool'
  | 'metrics'
  | 'temporal'
  | 'sender'
  | 'tenants'
  | 'apiKeys'
  | 'portalKey'
  | 'eventTypes'
  | 'readPublishingContext'
  | 'endpoints'
  | 'events'
  | 'deliveries'
  | 'starter'
  | 'reader'
  | 'publishEvent'
>;
