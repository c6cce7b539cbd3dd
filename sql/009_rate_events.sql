-- Rate limits and sign-in throttling (issue 10): one row per counted event (a failed sign-in, a
-- sign-up, a verification resend, a password reset request), kind naming what is counted and
-- key_hash the SHA-256 of for whom (an email with a client address, an address, a user), so
-- that every host behind the load balancer counts the same events. The mailer's housekeeping
-- deletes rows older than a day (RATE_KEEP_SECONDS). Replaces signin_failures, which counted per
-- email only (five wrong passwords from anywhere locked the owner out).
CREATE TABLE IF NOT EXISTS rate_events (
  id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind      VARCHAR(32) NOT NULL,
  key_hash  BINARY(32) NOT NULL,
  at        DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_rate_events (kind, key_hash, at),
  KEY ix_rate_events_at (at)
) ENGINE=InnoDB;

DROP TABLE IF EXISTS signin_failures;
