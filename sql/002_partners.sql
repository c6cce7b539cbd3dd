-- Partner program (DOMAIN §2): partner IDs, the partner global account (PGA)
-- and its locations (PLA), what each ID is linked to, and the audit log.

-- Every partner ID ever issued. Rows are never deleted, so an ID is never
-- issued twice; the primary key settles concurrent draws of the same number.
CREATE TABLE IF NOT EXISTS partner_id_registry (
  partner_id  CHAR(7) NOT NULL PRIMARY KEY,
  tenant_id   BIGINT UNSIGNED NOT NULL,
  issued_at   DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT fk_registry_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id)
) ENGINE=InnoDB;

-- One row per partner ID. kind=global is the PGA (legal entity, holds the
-- legal name, phone and website); kind=location a PLA under it. Deleted rows
-- stay (status 'deleted'). live_pga_tenant is the tenant id on a PGA that is
-- not deleted, NULL otherwise: one live PGA per tenant, even under concurrency.
CREATE TABLE IF NOT EXISTS partner_accounts (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  partner_id      CHAR(7) NOT NULL,
  tenant_id       BIGINT UNSIGNED NOT NULL,
  kind            ENUM('global','location') NOT NULL,
  pga_id          BIGINT UNSIGNED NULL,
  name            VARCHAR(200) NOT NULL,
  country         CHAR(2) NOT NULL,
  address_line1   VARCHAR(200) NOT NULL,
  address_line2   VARCHAR(200) NOT NULL DEFAULT '',
  city            VARCHAR(100) NOT NULL,
  region          VARCHAR(100) NOT NULL DEFAULT '',
  postal_code     VARCHAR(20) NOT NULL DEFAULT '',
  phone           VARCHAR(30) NOT NULL DEFAULT '',
  website         VARCHAR(200) NOT NULL DEFAULT '',
  contact_name    VARCHAR(100) NOT NULL,
  contact_email   VARCHAR(254) NOT NULL,
  status          ENUM('active','inactive','deleted') NOT NULL DEFAULT 'active',
  live_pga_tenant BIGINT UNSIGNED NULL,
  created_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  deleted_at      DATETIME(3) NULL,
  UNIQUE KEY uq_partner_id (partner_id),
  UNIQUE KEY uq_live_pga (live_pga_tenant),
  KEY ix_accounts_tenant (tenant_id, kind, status),
  CONSTRAINT fk_account_registry FOREIGN KEY (partner_id) REFERENCES partner_id_registry(partner_id),
  CONSTRAINT fk_account_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT fk_account_pga FOREIGN KEY (pga_id) REFERENCES partner_accounts(id)
) ENGINE=InnoDB;

-- What an ID is used for beyond the CSP application (which names its
-- location itself): a business profile, another program enrollment. A
-- linked location cannot be deleted (DOMAIN §2).
CREATE TABLE IF NOT EXISTS partner_id_links (
  id                  BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  partner_account_id  BIGINT UNSIGNED NOT NULL,
  purpose             ENUM('csp','profile','program') NOT NULL,
  ref                 VARCHAR(64) NOT NULL DEFAULT '',
  created_at          DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_links_account (partner_account_id, purpose),
  CONSTRAINT fk_link_account FOREIGN KEY (partner_account_id) REFERENCES partner_accounts(id)
) ENGINE=InnoDB;

-- Append-only record of every change to legal info, IDs and roles and of
-- every irreversible action (DOMAIN §8). The code never updates or deletes a
-- row, and the triggers below refuse it to anyone else.
CREATE TABLE IF NOT EXISTS audit_log (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at            DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  tenant_id     BIGINT UNSIGNED NULL,
  actor_id      BIGINT UNSIGNED NULL,
  actor_email   VARCHAR(254) NOT NULL DEFAULT '',
  actor_kind    ENUM('user','staff','system') NOT NULL,
  action        VARCHAR(64) NOT NULL,
  object        VARCHAR(254) NOT NULL DEFAULT '',
  before_json   TEXT NULL,
  after_json    TEXT NULL,
  ip            VARCHAR(45) NOT NULL DEFAULT '',
  KEY ix_audit_tenant (tenant_id, id),
  KEY ix_audit_at (at)
) ENGINE=InnoDB;

CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only';
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only';
