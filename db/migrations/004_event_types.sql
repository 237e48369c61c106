-- The event type catalog (README, "API"): shared by all tenants, it is the public list of what Herald
-- delivers. Names sort bytewise (COLLATE "C") so list cursors do not depend on the server's locale.
CREATE TABLE event_types (
  name        text COLLATE "C" PRIMARY KEY,
  description text NOT NULL DEFAULT '',
  grp         text,
  schema      jsonb,
  deprecated  boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_types_by_group ON event_types (grp, name);

-- Herald raises these itself; endpoints receive them only when they name them.
INSERT INTO event_types (name, description, grp) VALUES
  ('webhook.failed', 'A delivery to one of your endpoints failed its last attempt.', 'webhook'),
  ('webhook.verification', 'Sent to a new endpoint to verify it: answer 2xx within 3 seconds.', 'webhook'),
  ('endpoint.disabled', 'Herald disabled one of your endpoints (failing for too long, or 410 Gone).', 'endpoint');
