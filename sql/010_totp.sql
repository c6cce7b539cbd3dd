-- Two-factor authentication (issue 10): TOTP (RFC 6238) and recovery codes.
-- totp_secret: the 20-byte secret sealed with libsodium's secretbox under the
--   server key 'totp_key' (nonce || box), NULL when 2FA is off;
-- totp_last_step: the last time step whose code was accepted (each code once);
-- tfa_due_at: for staff, when enrolment becomes compulsory (set by
--   `partnerdesk-ctl staff add`, [auth] staff_2fa_grace_hours); a staff user
--   without 2FA and with no deadline, or past it, can only enrol.
ALTER TABLE users
  ADD COLUMN totp_secret VARBINARY(128) NULL,
  ADD COLUMN totp_enabled_at DATETIME(3) NULL,
  ADD COLUMN totp_last_step BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN tfa_due_at DATETIME(3) NULL;

-- Recovery codes: SHA-256 of the 10-character code (50 random bits), each usable once.
CREATE TABLE IF NOT EXISTS recovery_codes (
  user_id    BIGINT UNSIGNED NOT NULL,
  code_hash  BINARY(32) NOT NULL,
  used_at    DATETIME(3) NULL,
  PRIMARY KEY (user_id, code_hash),
  CONSTRAINT fk_recovery_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
) ENGINE=InnoDB;

INSERT IGNORE INTO app_secrets (name, value) VALUES ('totp_key', RANDOM_BYTES(32));

-- Staff who exist already get the default grace period from now.
UPDATE users SET tfa_due_at = NOW(3) + INTERVAL 48 HOUR
 WHERE tenant_id IS NULL AND tfa_due_at IS NULL;
