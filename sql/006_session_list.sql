-- "Your sessions" (issue 10): each session gets a public id for the page and its forms (random,
-- never the cookie value or its hash), and the browser it was opened from. The client address
-- (ip) and the sign-in time (created_at, the 12 h lifetime) were already kept.
ALTER TABLE sessions
  ADD COLUMN IF NOT EXISTS public_id CHAR(32) NULL AFTER user_id,
  ADD COLUMN IF NOT EXISTS user_agent VARCHAR(255) NOT NULL DEFAULT '' AFTER ip;

UPDATE sessions SET public_id = LOWER(HEX(RANDOM_BYTES(16))) WHERE public_id IS NULL;

ALTER TABLE sessions
  MODIFY public_id CHAR(32) NOT NULL,
  ADD UNIQUE KEY IF NOT EXISTS uq_sessions_public (public_id);
