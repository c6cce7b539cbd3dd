-- CSP market, customers and offers (DOMAIN §4, CONTRACT "CSP market and eligibility").
--
-- A CSP company's customers: a customer is known by its tenant domain and its TENANT country (not
-- where the company sits). Any customer may be recorded, in or out of the market: the eligibility
-- check is what says no. One row per tenant domain per company.
CREATE TABLE IF NOT EXISTS csp_customers (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id     BIGINT UNSIGNED NOT NULL,
  name          VARCHAR(200) NOT NULL,
  tenant_domain VARCHAR(253) NOT NULL,
  country       CHAR(2) NOT NULL,
  relationship  ENUM('customer','affiliate') NOT NULL,
  created_by    BIGINT UNSIGNED NULL,
  created_at    DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_csp_customer_domain (tenant_id, tenant_domain),
  CONSTRAINT fk_csp_customer_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT fk_csp_customer_user FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
) ENGINE=InnoDB;

-- The offers catalog, loaded by `partnerdesk-ctl offers import FILE.tsv` (CONTRACT §6 Offers).
-- The file is the whole catalog: an import upserts every offer by offer_id and removes the offers
-- the file no longer lists, in one transaction. countries is "*" (every country) or the
-- comma-separated ISO 3166-1 alpha-2 codes, upper case, as the file lists them.
CREATE TABLE IF NOT EXISTS offers (
  offer_id    VARCHAR(64) NOT NULL PRIMARY KEY,
  name        VARCHAR(200) NOT NULL,
  countries   VARCHAR(1000) NOT NULL,
  imported_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB;
