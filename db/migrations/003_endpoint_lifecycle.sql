-- When the endpoint's health last turned `failing` (null while healthy): auto-disable measures
-- "failing continuously" from here.
ALTER TABLE endpoints ADD COLUMN failing_since timestamptz;
-- Alert mails are rate-limited per endpoint; this row-level timestamp is the limiter.
ALTER TABLE endpoints ADD COLUMN last_alert_at timestamptz;
CREATE INDEX endpoints_failing ON endpoints (failing_since) WHERE failing_since IS NOT NULL;

CREATE INDEX events_by_tenant_created ON events (tenant_id, created_at);
CREATE INDEX events_created ON events (created_at);
