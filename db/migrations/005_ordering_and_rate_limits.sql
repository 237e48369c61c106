-- FIFO endpoints: deliveries are attempted one at a time in publish order. `seq` is that order
-- (publishes to one FIFO endpoint are serialised by an advisory lock, so seq follows commit
-- order); `ended_at` marks a delivery that no longer holds the line.
ALTER TABLE deliveries ADD COLUMN seq bigserial;
ALTER TABLE deliveries ADD COLUMN ordered boolean NOT NULL DEFAULT false;
ALTER TABLE deliveries ADD COLUMN ended_at timestamptz;
CREATE INDEX deliveries_fifo_line ON deliveries (endpoint_id, seq) WHERE ordered AND ended_at IS NULL;

-- Rate limits: the next free send slot of each rate-limited endpoint. Reserving a slot is one
-- atomic upsert, so the limit holds across any number of worker processes.
CREATE TABLE endpoint_rate_limits (
  endpoint_id  text PRIMARY KEY REFERENCES endpoints (id) ON DELETE CASCADE,
  next_slot_at timestamptz NOT NULL
);

-- The sends of the last `per` window of each rate-limited endpoint: the check that makes the
-- limit strict even when a reserved slot is used late.
CREATE TABLE endpoint_sends (
  endpoint_id text NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
  sent_at     timestamptz NOT NULL
);
CREATE INDEX endpoint_sends_window ON endpoint_sends (endpoint_id, sent_at);
