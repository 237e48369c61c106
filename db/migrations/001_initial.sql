CREATE TABLE tenants (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  alert_email text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE endpoints (
  id              text PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  url             text NOT NULL,
  description     text NOT NULL DEFAULT '',
  event_types     text[] NOT NULL,
  filter          jsonb,
  retry           jsonb NOT NULL,
  timeout_ms      integer NOT NULL,
  signature       jsonb NOT NULL,
  headers         jsonb NOT NULL DEFAULT '{}',
  rate_limit      jsonb,
  ordering        text NOT NULL DEFAULT 'none',
  transform       jsonb,
  status          text NOT NULL,
  disabled_reason text,
  health          text NOT NULL DEFAULT 'healthy',
  metadata        jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX endpoints_by_tenant ON endpoints (tenant_id, id);

-- The current secret has no expiry; rotated-out secrets keep verifying until expires_at.
CREATE TABLE endpoint_secrets (
  id               bigserial PRIMARY KEY,
  endpoint_id      text NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
  secret_encrypted text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz
);
CREATE INDEX endpoint_secrets_by_endpoint ON endpoint_secrets (endpoint_id, created_at DESC);

CREATE TABLE events (
  id              text PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  type            text NOT NULL,
  occurred_at     timestamptz NOT NULL,
  data            jsonb NOT NULL,
  metadata        jsonb,
  idempotency_key text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX events_by_tenant ON events (tenant_id, id);

-- One row per (event, endpoint), written in the same transaction as the event: it is the outbox
-- from which delivery workflows are started, so an API crash after commit loses nothing.
CREATE TABLE deliveries (
  id                  text PRIMARY KEY,
  event_id            text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  endpoint_id         text NOT NULL,
  tenant_id           text NOT NULL,
  event_type          text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  workflow_started_at timestamptz
);
CREATE INDEX deliveries_not_started ON deliveries (created_at) WHERE workflow_started_at IS NULL;
CREATE INDEX deliveries_by_endpoint ON deliveries (endpoint_id, created_at);

CREATE TABLE delivery_attempts (
  delivery_id      text NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
  number           integer NOT NULL,
  trigger          text NOT NULL,
  started_at       timestamptz NOT NULL,
  duration_ms      integer NOT NULL,
  request_url      text NOT NULL,
  request_headers  jsonb NOT NULL,
  response_status  integer,
  response_headers jsonb,
  response_body    text,
  error_code       text,
  error_message    text,
  PRIMARY KEY (delivery_id, number)
);
