-- Programs (CONTRACT "Programs: membership, designations, ISV Success", DOMAIN §7).

-- The metrics of each solution area and their maximum points: data/designation-metrics.tsv,
-- loaded by `partnerdesk-ctl migrate` (replacing what was there). position keeps the file's order.
CREATE TABLE IF NOT EXISTS designation_metrics (
  solution_area  VARCHAR(40) NOT NULL,
  metric         VARCHAR(60) NOT NULL,
  category       VARCHAR(40) NOT NULL,
  max_points     SMALLINT UNSIGNED NOT NULL,
  position       SMALLINT UNSIGNED NOT NULL,
  PRIMARY KEY (solution_area, metric)
) ENGINE=InnoDB;

-- Capability scores as imported by staff (`ctl scores import`): the points of one metric of an
-- area measured on a day, for a PGA. A later line for the same key replaces the earlier one.
CREATE TABLE IF NOT EXISTS capability_scores (
  partner_account_id BIGINT UNSIGNED NOT NULL,
  solution_area      VARCHAR(40) NOT NULL,
  metric             VARCHAR(60) NOT NULL,
  day                DATE NOT NULL,
  points             SMALLINT UNSIGNED NOT NULL,
  tenant_id          BIGINT UNSIGNED NOT NULL,
  imported_at        DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (partner_account_id, solution_area, metric, day),
  KEY ix_scores_tenant (tenant_id, solution_area, day),
  CONSTRAINT fk_scores_account FOREIGN KEY (partner_account_id) REFERENCES partner_accounts(id)
) ENGINE=InnoDB;

-- A PGA's legacy competency level (`ctl competency set`); none = no row.
CREATE TABLE IF NOT EXISTS legacy_competencies (
  partner_account_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  level              ENUM('silver','gold') NOT NULL,
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT fk_competency_account FOREIGN KEY (partner_account_id) REFERENCES partner_accounts(id)
) ENGINE=InnoDB;

-- The Solutions Partner membership of a company: one yearly fee for every area, from the
-- anniversary (the first enrollment's day), paid for `years` years from it (domain/designations.h).
CREATE TABLE IF NOT EXISTS designation_memberships (
  tenant_id    BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  anniversary  DATE NOT NULL,
  years        SMALLINT UNSIGNED NOT NULL DEFAULT 1,
  updated_at   DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT fk_membership_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id)
) ENGINE=InnoDB;

-- An area enrolled (how: the fee paid, included in an active membership, a legacy level).
CREATE TABLE IF NOT EXISTS designations (
  tenant_id     BIGINT UNSIGNED NOT NULL,
  solution_area VARCHAR(40) NOT NULL,
  enrolled_on   DATE NOT NULL,
  how           ENUM('purchase','member','legacy') NOT NULL,
  user_id       BIGINT UNSIGNED NULL,
  PRIMARY KEY (tenant_id, solution_area),
  CONSTRAINT fk_designation_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id)
) ENGINE=InnoDB;

-- Emails sent about designations, once each: kind for an area ('' for the membership), for a
-- period (the paid-through day for a renewal, '1970-01-01' before any membership).
CREATE TABLE IF NOT EXISTS designation_notices (
  tenant_id     BIGINT UNSIGNED NOT NULL,
  solution_area VARCHAR(40) NOT NULL,
  kind          ENUM('qualified','enrolled','renewal_due') NOT NULL,
  period        DATE NOT NULL,
  sent_at       DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (tenant_id, solution_area, kind, period)
) ENGINE=InnoDB;

-- ISV Success enrollment of a company.
CREATE TABLE IF NOT EXISTS isv_enrollments (
  tenant_id      BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  solution_name  VARCHAR(100) NOT NULL,
  solution_url   VARCHAR(300) NOT NULL,
  stage          ENUM('idea','build','publish') NOT NULL,
  user_id        BIGINT UNSIGNED NULL,
  enrolled_at    DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT fk_isv_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id)
) ENGINE=InnoDB;
