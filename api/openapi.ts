import type { ZodTypeAny } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';
import { HERALD_VERSION } from '../domain/version';
import { listDeliveriesQuery } from './schemas/delivery';
import { createEndpointSchema, patchEndpointSchema, publicKeysQuery, replaySchema, rotateSecretSchema, testEventSchema } from './schemas/endpoint';
import { createEventTypeSchema, listEventTypesQuery, patchEventTypeSchema } from './schemas/event-type';
import { listEventsQuery, publishBatchSchema, publishEventSchema } from './schemas/event';
import { listQuery, tenantListQuery } from './schemas/common';
import { createTenantSchema, patchTenantSchema, portalLinkSchema } from './schemas/tenant';

interface Operation {
  summary: string;
  body?: ZodTypeAny;
  query?: ZodTypeAny;
  /** The success status; errors are problem+json. */
  status?: number;
}

type Routes = Record<string, Partial<Record<'get' | 'post' | 'patch' | 'delete', Operation>>>;

// The request schemas are the very zod schemas the routes validate with, so this cannot drift.
const endpointPolicy = { allowPrivateTargets: false };
const ROUTES: Routes = {
  '/v1/tenants': { post: { summary: 'Create a tenant (admin)', body: createTenantSchema, status: 201 }, get: { summary: 'List tenants (admin)', query: listQuery } },
  '/v1/tenants/{id}': { get: { summary: 'Get a tenant' }, patch: { summary: 'Change a tenant', body: patchTenantSchema }, delete: { summary: 'Delete a tenant and all it owns', status: 204 } },
  '/v1/tenants/{id}/api-keys': { post: { summary: 'Issue a tenant API key (shown once)', status: 201 }, get: { summary: 'List a tenant’s keys (no secrets)' } },
  '/v1/tenants/{id}/api-keys/{keyId}': { delete: { summary: 'Revoke a key', status: 204 } },
  '/v1/me': { get: { summary: 'Who the credential belongs to: admin, a tenant key or a portal session' } },
  '/v1/tenants/{id}/portal-links': { post: { summary: 'A short-lived customer-portal link for one tenant (admin)', body: portalLinkSchema, status: 201 } },
  '/v1/portal-signing-key/rotate': { post: { summary: 'Rotate the portal signing key: every portal link stops working (admin)' } },
  '/v1/event-types': { post: { summary: 'Add an event type (admin)', body: createEventTypeSchema, status: 201 }, get: { summary: 'The event type catalog', query: listEventTypesQuery } },
  '/v1/event-types/{name}': { get: { summary: 'Get an event type' }, patch: { summary: 'Change an event type (admin)', body: patchEventTypeSchema }, delete: { summary: 'Remove an event type (admin)', status: 204 } },
  '/v1/endpoints': { post: { summary: 'Create an endpoint', body: createEndpointSchema(endpointPolicy), status: 201 }, get: { summary: 'List endpoints', query: tenantListQuery } },
  '/v1/endpoints/{id}': { get: { summary: 'Get an endpoint' }, patch: { summary: 'Change an endpoint', body: patchEndpointSchema(endpointPolicy) }, delete: { summary: 'Delete an endpoint', status: 204 } },
  '/v1/endpoints/{id}/secret': { get: { summary: 'The current secret and unexpired previous ones (HMAC schemes)' } },
  '/v1/endpoints/{id}/secret/rotate': { post: { summary: 'Rotate the secret or key pair with a grace period', body: rotateSecretSchema } },
  '/v1/endpoints/{id}/public-key': { get: { summary: 'The Ed25519 public key (whpk_ and JWK) and unexpired previous ones' } },
  '/v1/public-keys': { get: { summary: 'Every valid Ed25519 public key of a tenant, JWKS-style', query: publicKeysQuery } },
  '/v1/endpoints/{id}/enable': { post: { summary: 'Enable an endpoint' } },
  '/v1/endpoints/{id}/disable': { post: { summary: 'Disable an endpoint (its deliveries end cancelled at their next attempt)' } },
  '/v1/endpoints/{id}/verify': { post: { summary: 'Send the verification request again' } },
  '/v1/endpoints/{id}/test': { post: { summary: 'Send a sample event now and return the attempt', body: testEventSchema } },
  '/v1/endpoints/{id}/replay': { post: { summary: 'Re-deliver the endpoint’s events of a window', body: replaySchema, status: 202 } },
  '/v1/endpoints/{id}/deliveries': { get: { summary: 'The endpoint’s deliveries', query: listDeliveriesQuery.omit({ tenant_id: true, endpoint_id: true }) } },
  '/v1/events': { post: { summary: 'Publish an event (Idempotency-Key header)', body: publishEventSchema, status: 202 }, get: { summary: 'List events', query: listEventsQuery } },
  '/v1/events/batch': { post: { summary: 'Publish up to 100 events, all or none', body: publishBatchSchema, status: 202 } },
  '/v1/events/{id}': { get: { summary: 'Get an event and its deliveries' } },
  '/v1/deliveries': { get: { summary: 'List deliveries (Temporal visibility)', query: listDeliveriesQuery } },
  '/v1/deliveries/{id}': { get: { summary: 'A delivery’s status, attempt log and Temporal UI link' } },
  '/v1/deliveries/{id}/retry': { post: { summary: 'Attempt now, or run an ended delivery again', status: 202 } },
  '/v1/deliveries/{id}/cancel': { post: { summary: 'Stop a delivery', status: 202 } },
  '/healthz': { get: { summary: 'Liveness (public)' } },
  '/readyz': { get: { summary: 'Readiness: PostgreSQL and Temporal answer (public)' } },
  '/metrics': { get: { summary: 'Prometheus metrics, aggregates only (public)' } },
};

// Typed loosely on purpose: zod-to-json-schema's generics recurse too deep for our schemas.
const toJsonSchema = zodToJsonSchema as (schema: unknown, options: Record<string, unknown>) => Record<string, unknown>;
const jsonSchema = (schema: ZodTypeAny) => toJsonSchema(schema, { target: 'openApi3', effectStrategy: 'input', $refStrategy: 'none' });

function queryParameters(schema: ZodTypeAny) {
  const properties = (jsonSchema(schema) as { properties?: Record<string, unknown> }).properties ?? {};
  return Object.entries(properties).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
}

function operation(path: string, op: Operation) {
  const pathParameters = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  return {
    summary: op.summary,
    parameters: [...pathParameters, ...(op.query ? queryParameters(op.query) : [])],
    ...(op.body && { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } }),
    responses: {
      [String(op.status ?? 200)]: { description: 'Success' },
      default: { description: 'An error', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    },
  };
}

/** The OpenAPI 3 description of the API, served at /openapi.json. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, methods] of Object.entries(ROUTES)) {
    paths[path] = Object.fromEntries(Object.entries(methods).map(([method, op]) => [method, operation(path, op)]));
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Herald', version: HERALD_VERSION, description: 'Durable webhook delivery on Temporal. See the README for semantics.' },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Problem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
    paths,
  };
}
