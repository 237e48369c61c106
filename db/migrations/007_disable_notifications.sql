-- When Herald disabled an endpoint (failing for too long, or 410 Gone), and whether its owner has
-- been told (mail and endpoint.disabled event). A disable is recorded first and notified after, so
-- a failed mail is retried instead of lost (README, "When things go wrong").
ALTER TABLE endpoints ADD COLUMN disabled_at timestamptz;
ALTER TABLE endpoints ADD COLUMN disable_notified_at timestamptz;
UPDATE endpoints SET disabled_at = updated_at, disable_notified_at = updated_at WHERE status = 'disabled';
CREATE INDEX endpoints_disable_unnotified ON endpoints (disabled_at) WHERE status = 'disabled' AND disable_notified_at IS NULL;
