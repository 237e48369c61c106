import type { EndpointSecret } from '../../domain/endpoint';
import { publicJwkOf, publicKeyOf } from '../../domain/ed25519-keys';
import { canSignWith, generateSecret, isAsymmetric } from '../../domain/secrets';
import type { AppDeps } from '../deps';
import { conflict, validationFailed } from '../problems';
import type { SecureRouter } from '../routing/secure-router';
import { publicKeysQuery, rotateSecretSchema, secretFault } from '../schemas/endpoint';
import { tenantForWrite } from '../scope';
import { parseInput } from '../validate';
import { loadEndpoint } from './endpoint-loader';

const ED25519 = 'standard-webhooks-ed25519';

const secretsToWire = ([current, ...previous]: EndpointSecret[]) => ({
  secret: current?.secret ?? null,
  previous: previous.map((p) => ({ secret: p.secret, expires_at: p.expiresAt })),
});

/** An Ed25519 endpoint's keys as receivers use them; the private keys never leave Herald. */
const publicKeysToWire = (secrets: EndpointSecret[]) => {
  const [current, ...previous] = secrets.filter((s) => canSignWith(ED25519, s.secret));
  return {
    public_key: current ? publicKeyOf(current.secret) : null,
    jwk: current ? publicJwkOf(current.secret) : null,
    previous: previous.map((p) => ({ public_key: publicKeyOf(p.secret), jwk: publicJwkOf(p.secret), expires_at: p.expiresAt })),
  };
};

/** An endpoint's signing material: HMAC secrets, Ed25519 public keys, and rotation of either. */
export function registerEndpointKeyRoutes(router: SecureRouter, deps: AppDeps): void {
  router.get('/v1/endpoints/:id/secret', 'tenant', async (ctx) => {
    const endpoint = await loadEndpoint(deps, ctx);
    if (isAsymmetric(endpoint.signature.scheme)) {
      throw conflict('this endpoint signs with Ed25519: its private key never leaves Herald; receivers verify with GET /v1/endpoints/:id/public-key');
    }
    ctx.body = secretsToWire(await deps.endpoints.secrets(endpoint.id));
  });

  router.get('/v1/endpoints/:id/public-key', 'tenant', async (ctx) => {
    const endpoint = await loadEndpoint(deps, ctx);
    if (!isAsymmetric(endpoint.signature.scheme)) {
      throw conflict(`this endpoint signs with a shared secret (${endpoint.signature.scheme}): it has no public key; see GET /v1/endpoints/:id/secret`);
    }
    ctx.body = publicKeysToWire(await deps.endpoints.secrets(endpoint.id));
  });

  // A JWKS-style list of every Ed25519 key of a tenant still valid, so one receiver verifies any of its endpoints.
  router.get('/v1/public-keys', 'tenant', async (ctx) => {
    const query = parseInput(publicKeysQuery, ctx.query, 'query');
    const tenantId = tenantForWrite(ctx, query.tenant_id);
    const keys = (await deps.endpoints.signingKeysOf(tenantId))
      .filter((k) => canSignWith(ED25519, k.secret))
      .map((k) => ({ ...publicJwkOf(k.secret), endpoint_id: k.endpointId, expires_at: k.expiresAt }));
    ctx.body = { keys };
  });

  router.post('/v1/endpoints/:id/secret/rotate', 'tenant', async (ctx) => {
    const endpoint = await loadEndpoint(deps, ctx);
    const input = parseInput(rotateSecretSchema, ctx.state.body ?? {});
    const secret = input.secret ?? generateSecret(endpoint.signature.scheme);
    const fault = secretFault(endpoint.signature, secret);
    if (fault) throw validationFailed([{ path: 'secret', message: fault }]);
    await deps.endpoints.rotateSecret(endpoint.id, secret, input.grace_period);
    const secrets = await deps.endpoints.secrets(endpoint.id);
    ctx.body = isAsymmetric(endpoint.signature.scheme) ? publicKeysToWire(secrets) : secretsToWire(secrets);
  });
}
