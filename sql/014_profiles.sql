-- Business profiles and the public directory (DOMAIN §5).

-- The CSP regions, loaded from data/csp-regions.tsv by `partnerdesk-ctl migrate` (reference data,
-- replaced at each run): a CSP's market is the region of its CSP location's country.
CREATE TABLE IF NOT EXISTS csp_regions (
  country      CHAR(2) NOT NULL PRIMARY KEY,
  region       VARCHAR(40) NOT NULL,
  region_name  VARCHAR(100) NOT NULL,
  currency     VARCHAR(3) NOT NULL,
  KEY ix_regions_region (region, country)
) ENGINE=InnoDB;

-- One row per business profile. partner_account_id is the managing partner ID (NULL only for a
-- legacy profile, which belongs to the company). A deleted profile stays (its leads point to it)
-- without its countries. slug is given at the first publication and never changes.
CREATE TABLE IF NOT EXISTS profiles (
  id                 BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id          BIGINT UNSIGNED NOT NULL,
  partner_account_id BIGINT UNSIGNED NULL,
  type               ENUM('csp','non_csp') NOT NULL,
  status             ENUM('draft','published','deleted') NOT NULL DEFAULT 'draft',
  legacy             TINYINT(1) NOT NULL DEFAULT 0,
  slug               VARCHAR(140) NULL,
  name               VARCHAR(100) NOT NULL DEFAULT '',
  description        TEXT NOT NULL,
  website            VARCHAR(300) NOT NULL DEFAULT '',
  lead_email         VARCHAR(254) NOT NULL DEFAULT '',
  lang               CHAR(2) NOT NULL DEFAULT 'en',
  logo               MEDIUMBLOB NULL,
  logo_type          VARCHAR(20) NOT NULL DEFAULT '',
  logo_width         INT UNSIGNED NOT NULL DEFAULT 0,
  logo_height        INT UNSIGNED NOT NULL DEFAULT 0,
  steps_done         SET('locations','markets','content') NOT NULL DEFAULT '',
  search_text        MEDIUMTEXT NOT NULL,
  created_by         BIGINT UNSIGNED NULL,
  created_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  published_at       DATETIME(3) NULL,
  deleted_at         DATETIME(3) NULL,
  UNIQUE KEY uq_profiles_slug (slug),
  KEY ix_profiles_tenant (tenant_id, status),
  KEY ix_profiles_account (partner_account_id),
  CONSTRAINT fk_profile_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT fk_profile_account FOREIGN KEY (partner_account_id) REFERENCES partner_accounts(id)
) ENGINE=InnoDB;

-- Publish locations: one profile per company and country (draft, published or legacy), held by
-- the primary key even under concurrent wizards. description is the text for that country
-- ('' = the profile's description).
CREATE TABLE IF NOT EXISTS profile_locations (
  tenant_id    BIGINT UNSIGNED NOT NULL,
  country      CHAR(2) NOT NULL,
  profile_id   BIGINT UNSIGNED NOT NULL,
  description  TEXT NOT NULL,
  PRIMARY KEY (tenant_id, country),
  KEY ix_locations_profile (profile_id, country),
  CONSTRAINT fk_location_profile FOREIGN KEY (profile_id) REFERENCES profiles(id)
) ENGINE=InnoDB;

-- Sell markets: the countries chosen, and the regions chosen whole (their countries are in
-- profile_markets too, so that the directory reads one table).
CREATE TABLE IF NOT EXISTS profile_markets (
  profile_id  BIGINT UNSIGNED NOT NULL,
  country     CHAR(2) NOT NULL,
  PRIMARY KEY (profile_id, country),
  CONSTRAINT fk_market_profile FOREIGN KEY (profile_id) REFERENCES profiles(id)
) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS profile_market_regions (
  profile_id  BIGINT UNSIGNED NOT NULL,
  region      VARCHAR(40) NOT NULL,
  PRIMARY KEY (profile_id, region),
  CONSTRAINT fk_market_region_profile FOREIGN KEY (profile_id) REFERENCES profiles(id)
) ENGINE=InnoDB;

-- Industries, solution areas and languages of a profile.
CREATE TABLE IF NOT EXISTS profile_facets (
  profile_id  BIGINT UNSIGNED NOT NULL,
  facet       ENUM('industry','solution_area','language') NOT NULL,
  value       VARCHAR(40) NOT NULL,
  PRIMARY KEY (profile_id, facet, value),
  KEY ix_facets_value (facet, value, profile_id),
  CONSTRAINT fk_facet_profile FOREIGN KEY (profile_id) REFERENCES profiles(id)
) ENGINE=InnoDB;

-- The directory's index: one row per published profile and country where it shows; kind 0 is a
-- publish location, 1 a sell market (publish locations rank first). Rebuilt for a profile in the
-- transaction that publishes, edits or deletes it (db_directory_sync).
CREATE TABLE IF NOT EXISTS directory_countries (
  country     CHAR(2) NOT NULL,
  kind        TINYINT UNSIGNED NOT NULL,
  profile_id  BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (country, kind, profile_id),
  KEY ix_directory_profile (profile_id)
) ENGINE=InnoDB;

-- A customer's contact request (DOMAIN §5): a lead for the managing partner ID (the PGA's for a
-- legacy profile). It stays when the profile is deleted.
CREATE TABLE IF NOT EXISTS leads (
  id                 BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant_id          BIGINT UNSIGNED NOT NULL,
  profile_id         BIGINT UNSIGNED NOT NULL,
  partner_account_id BIGINT UNSIGNED NULL,
  status             ENUM('received','accepted','declined','won','lost','expired') NOT NULL DEFAULT 'received',
  customer_name      VARCHAR(100) NOT NULL,
  customer_email     VARCHAR(254) NOT NULL,
  customer_company   VARCHAR(200) NOT NULL DEFAULT '',
  customer_country   CHAR(2) NOT NULL,
  customer_phone     VARCHAR(30) NOT NULL DEFAULT '',
  message            TEXT NOT NULL,
  lang               CHAR(2) NOT NULL DEFAULT 'en',
  reason             VARCHAR(500) NOT NULL DEFAULT '',
  created_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at         DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_leads_tenant (tenant_id, status, created_at),
  KEY ix_leads_account (partner_account_id, status),
  KEY ix_leads_profile (profile_id),
  CONSTRAINT fk_lead_tenant FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT fk_lead_profile FOREIGN KEY (profile_id) REFERENCES profiles(id),
  CONSTRAINT fk_lead_account FOREIGN KEY (partner_account_id) REFERENCES partner_accounts(id)
) ENGINE=InnoDB;
