-- CSP onboarding (DOMAIN §3): the application and its wizard draft, the
-- documents and questionnaire answers asked by staff, the partner agreement,
-- and the cache of the DUNS and address services' answers.

-- Answers of the remote services by normalised query (SHA-256), so that a
-- repeated lookup costs no call. not_found answers are kept too.
CREATE TABLE IF NOT EXISTS lookup_cache (
  service     ENUM('dnb','address') NOT NULL,
  cache_key   BINARY(32) NOT NULL,
  found       TINYINT(1) NOT NULL,
  body        MEDIUMTEXT NOT NULL,
  created_at  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  expires_at  DATETIME(3) NOT NULL,
  PRIMARY KEY (service, cache_key),
  KEY ix_cache_expiry (expires_at)
) ENGINE=InnoDB;

-- One application per tenant; the draft lives in the same row, so it
-- survives sign-out. step = the last completed wizard step (0–4).
CREATE TABLE IF NOT EXISTS csp_applications (
  id                  BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id           BIGINT UNSIGNED NOT NULL,
  status              ENUM('draft','pending_review','info_requested','approved','rejected','active')
                      NOT NULL DEFAULT 'draft',
  step                TINYINT UNSIGNED NOT NULL DEFAULT 0,
  partner_account_id  BIGINT UNSIGNED NULL,
  company_source      ENUM('lookup','duns','manual') NULL,
  duns                CHAR(9) NULL,
  dnb_name            VARCHAR(200) NULL,
  dnb_confidence      TINYINT UNSIGNED NULL,
  dnb_match_grade     VARCHAR(16) NULL,
  dnb_status          VARCHAR(60) NULL,
  legal_name          VARCHAR(200) NOT NULL DEFAULT '',
  address_line1       VARCHAR(200) NOT NULL DEFAULT '',
  address_line2       VARCHAR(200) NOT NULL DEFAULT '',
  city                VARCHAR(100) NOT NULL DEFAULT '',
  region              VARCHAR(100) NOT NULL DEFAULT '',
  postal_code         VARCHAR(20) NOT NULL DEFAULT '',
  country             CHAR(2) NOT NULL DEFAULT '',
  address_verdict     ENUM('not_checked','verified','corrected','needs_unit','ambiguous','not_found',
                           'unverified') NOT NULL DEFAULT 'not_checked',
  address_choice      ENUM('suggested','entered') NULL,
  entered_address     VARCHAR(700) NULL,
  suggested_address   VARCHAR(700) NULL,
  contact_name        VARCHAR(100) NOT NULL DEFAULT '',
  contact_email       VARCHAR(254) NOT NULL DEFAULT '',
  contact_phone       VARCHAR(30) NOT NULL DEFAULT '',
  support_email       VARCHAR(254) NOT NULL DEFAULT '',
  support_phone       VARCHAR(30) NOT NULL DEFAULT '',
  model               ENUM('indirect_reseller','direct_bill') NOT NULL DEFAULT 'indirect_reseller',
  billing_day         TINYINT UNSIGNED NULL,
  tax_id              VARCHAR(40) NULL,
  lang                CHAR(2) NOT NULL DEFAULT 'en',
  request_kind        ENUM('document','questionnaire') NULL,
  request_note        TEXT NULL,
  decision_reason     TEXT NULL,
  submitted_at        DATETIME(3) NULL,
  decided_at          DATETIME(3) NULL,
  created_at          DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at          DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_csp_tenant (tenant_id),
  UNIQUE KEY uq_csp_location (partner_account_id),
  KEY ix_csp_status (status, submitted_at),
  CONSTRAINT fk_csp_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT fk_csp_location FOREIGN KEY (partner_account_id) REFERENCES partner_accounts(id)
) ENGINE=InnoDB;

-- Documents a partner uploaded; the bytes are files outside the web root.
CREATE TABLE IF NOT EXISTS csp_documents (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  application_id  BIGINT UNSIGNED NOT NULL,
  document_type   ENUM('business_registration','tax_certificate','proof_of_address','other') NOT NULL,
  filename        VARCHAR(255) NOT NULL,
  content_type    VARCHAR(40) NOT NULL,
  size            BIGINT UNSIGNED NOT NULL,
  sha256          CHAR(64) NOT NULL,
  storage_name    VARCHAR(100) NOT NULL,
  uploaded_by     BIGINT UNSIGNED NOT NULL,
  uploaded_at     DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_docs_application (application_id),
  CONSTRAINT fk_doc_application FOREIGN KEY (application_id) REFERENCES csp_applications(id)
) ENGINE=InnoDB;

-- Questionnaire answers (JSON array of strings, in the order of the questions).
CREATE TABLE IF NOT EXISTS csp_answers (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  application_id  BIGINT UNSIGNED NOT NULL,
  answers_json    TEXT NOT NULL,
  answered_by     BIGINT UNSIGNED NOT NULL,
  answered_at     DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_answers_application (application_id),
  CONSTRAINT fk_answers_application FOREIGN KEY (application_id) REFERENCES csp_applications(id)
) ENGINE=InnoDB;

-- The partner agreement accepted after approval (DOMAIN §3.8).
CREATE TABLE IF NOT EXISTS agreement_acceptances (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  application_id  BIGINT UNSIGNED NOT NULL,
  tenant_id       BIGINT UNSIGNED NOT NULL,
  version         VARCHAR(40) NOT NULL,
  signer_name     VARCHAR(100) NOT NULL,
  signer_email    VARCHAR(254) NOT NULL,
  user_id         BIGINT UNSIGNED NOT NULL,
  ip              VARCHAR(45) NOT NULL DEFAULT '',
  accepted_at     DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_agreement_application (application_id),
  CONSTRAINT fk_agreement_application FOREIGN KEY (application_id) REFERENCES csp_applications(id)
) ENGINE=InnoDB;
