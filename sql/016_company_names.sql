-- Other companies' legal names in a profile's text (CONTRACT "Business profiles": no other
-- company's legal name). name_norm is the name as profile_name_normalize() writes it: dashes,
-- slashes and underscores are spaces, other punctuation and symbols are dropped ("L.L.C." is
-- "llc"), spaces collapse; the utf8mb4 collation then ignores case and accents. Indexed, so that
-- db_company_names_in looks each word sequence of a description up by the index.
ALTER TABLE partner_accounts
  ADD COLUMN IF NOT EXISTS name_norm VARCHAR(200) AS (TRIM(REGEXP_REPLACE(REGEXP_REPLACE(
    REGEXP_REPLACE(name, '[-/_\\x{2010}-\\x{2015}]', ' '), '[^\\p{L}\\p{N}\\p{M}\\s]', ''),
    '\\s+', ' '))) PERSISTENT,
  ADD KEY IF NOT EXISTS ix_accounts_name_norm (name_norm);
ALTER TABLE tenants
  ADD COLUMN IF NOT EXISTS name_norm VARCHAR(200) AS (TRIM(REGEXP_REPLACE(REGEXP_REPLACE(
    REGEXP_REPLACE(name, '[-/_\\x{2010}-\\x{2015}]', ' '), '[^\\p{L}\\p{N}\\p{M}\\s]', ''),
    '\\s+', ' '))) PERSISTENT,
  ADD KEY IF NOT EXISTS ix_tenants_name_norm (name_norm);
