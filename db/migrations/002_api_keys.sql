-- Tenant API keys (README, "API"): only the SHA-256 digest of a key is kept, so a leaked table cannot
-- be replayed. Keys are 256-bit random, so an unsalted digest is enough; the unique index lets a
-- request find its key by digest without comparing secrets one by one.
CREATE TABLE api_keys (
  id         text PRIMARY KEY,
  tenant_id  text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  prefix     text NOT NULL,
  key_digest bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX api_keys_by_tenant ON api_keys (tenant_id, id);
