-- The key that signs customer-portal links (README, "Console and portal"). One row at most: the
-- current key. Rotating replaces it, which revokes every link signed with the old one.
CREATE TABLE portal_signing_key (
  singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  key_encrypted text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
