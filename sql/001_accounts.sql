-- Tenants, users, sessions, email tokens, sign-in throttling, outbox.
CREATE TABLE IF NOT EXISTS tenants (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(200) NOT NULL,
  country     CHAR(2) NOT NULL,
  created_at  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB;

-- The email domains that identify a tenant: a second sign-up on one is refused.
CREATE TABLE IF NOT EXISTS tenant_domains (
  domain      VARCHAR(253) NOT NULL PRIMARY KEY,
  tenant_id   BIGINT UNSIGNED NOT NULL,
  CONSTRAINT fk_domain_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id)
) ENGINE=InnoDB;

-- Partner users belong to a tenant; staff users (reviewer, staff_admin) to none.
CREATE TABLE IF NOT EXISTS users (
  id                BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id         BIGINT UNSIGNED NULL,
  email             VARCHAR(254) NOT NULL,
  display_name      VARCHAR(100) NOT NULL,
  password_hash     VARCHAR(255) NULL,
  email_verified_at DATETIME(3) NULL,
  status            ENUM('active','invited','disabled') NOT NULL DEFAULT 'active',
  lang              CHAR(2) NOT NULL DEFAULT 'en',
  invited_by        BIGINT UNSIGNED NULL,
  created_at        DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_users_email (email),
  KEY ix_users_tenant (tenant_id),
  CONSTRAINT fk_user_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id)
) ENGINE=InnoDB;

-- Roles of DOMAIN §1. partner_id scopes referral_admin (NULL = all IDs).
CREATE TABLE IF NOT EXISTS user_roles (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id     BIGINT UNSIGNED NOT NULL,
  role        ENUM('global_admin','account_admin','profile_admin','referral_admin','member',
                   'reviewer','staff_admin') NOT NULL,
  partner_id  CHAR(7) NULL,
  UNIQUE KEY uq_user_role (user_id, role, partner_id),
  CONSTRAINT fk_role_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- Signed-in sessions; the cookie holds the token, the table its SHA-256.
CREATE TABLE IF NOT EXISTS sessions (
  token_hash  BINARY(32) NOT NULL PRIMARY KEY,
  user_id     BIGINT UNSIGNED NOT NULL,
  created_at  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  last_seen   DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  ip          VARCHAR(45) NOT NULL DEFAULT '',
  KEY ix_sessions_user (user_id),
  KEY ix_sessions_seen (last_seen),
  CONSTRAINT fk_session_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- One-time links (email verification, set password); only the hash is kept.
CREATE TABLE IF NOT EXISTS email_tokens (
  token_hash  BINARY(32) NOT NULL PRIMARY KEY,
  user_id     BIGINT UNSIGNED NOT NULL,
  purpose     ENUM('verify_email','set_password') NOT NULL,
  expires_at  DATETIME(3) NOT NULL,
  used_at     DATETIME(3) NULL,
  created_at  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_tokens_user (user_id),
  CONSTRAINT fk_token_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- Failed sign-ins per normalised email (also for unknown addresses).
CREATE TABLE IF NOT EXISTS signin_failures (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email       VARCHAR(254) NOT NULL,
  ip          VARCHAR(45) NOT NULL DEFAULT '',
  at          DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_failures_email_at (email, at)
) ENGINE=InnoDB;

-- Outgoing email: pages insert, the mailer delivers (files or SMTP).
CREATE TABLE IF NOT EXISTS outbox (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  to_addr         VARCHAR(254) NOT NULL,
  subject         VARCHAR(300) NOT NULL,
  body            MEDIUMTEXT NOT NULL,
  created_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  next_attempt_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  attempts        INT NOT NULL DEFAULT 0,
  sent_at         DATETIME(3) NULL,
  last_error      VARCHAR(500) NULL,
  KEY ix_outbox_pending (sent_at, next_attempt_at)
) ENGINE=InnoDB;

-- Key material created by the server itself (HMAC key for CSRF tokens).
CREATE TABLE IF NOT EXISTS app_secrets (
  name        VARCHAR(64) NOT NULL PRIMARY KEY,
  value       VARBINARY(64) NOT NULL
) ENGINE=InnoDB;
INSERT IGNORE INTO app_secrets (name, value) VALUES ('csrf_hmac', RANDOM_BYTES(32));

-- Work-email rules (DOMAIN §1), kept as data. A pattern ending in ".*" matches
-- that name under any top-level domain.
CREATE TABLE IF NOT EXISTS freemail_domains (
  pattern     VARCHAR(253) NOT NULL PRIMARY KEY
) ENGINE=InnoDB;
INSERT IGNORE INTO freemail_domains (pattern) VALUES
  ('gmail.com'),('googlemail.com'),('outlook.com'),('outlook.*'),('hotmail.*'),('live.*'),
  ('msn.com'),('yahoo.*'),('ymail.com'),('rocketmail.com'),('icloud.com'),('me.com'),('mac.com'),
  ('aol.com'),('aim.com'),('gmx.*'),('proton.me'),('protonmail.com'),('protonmail.ch'),('pm.me'),
  ('mail.com'),('zoho.com'),('yandex.*'),('mail.ru'),('web.de'),('free.fr'),('orange.fr'),
  ('laposte.net'),('sfr.fr'),('wanadoo.fr'),('tutanota.com'),('tuta.io'),('fastmail.com'),
  ('hey.com'),('qq.com'),('163.com'),('126.com'),('naver.com');

CREATE TABLE IF NOT EXISTS role_mailboxes (
  local_part  VARCHAR(64) NOT NULL PRIMARY KEY
) ENGINE=InnoDB;
INSERT IGNORE INTO role_mailboxes (local_part) VALUES ('info'),('admin'),('marketing'),('email');
