-- The reviewer's console (issue 11): the company as the partner entered it, the D&B record and
-- the standard address, field by field. entered_name: the legal name typed by hand, the name
-- searched, or the company account's name for a DUNS number typed; dnb_*: the D&B record's
-- address; entered_*: the address as typed at the address step; std_*: the address service's
-- standard form (verdict verified or corrected). NULL on rows written before this migration.
ALTER TABLE csp_applications
  ADD COLUMN entered_name        VARCHAR(200) NULL,
  ADD COLUMN dnb_line1           VARCHAR(200) NULL,
  ADD COLUMN dnb_line2           VARCHAR(200) NULL,
  ADD COLUMN dnb_city            VARCHAR(100) NULL,
  ADD COLUMN dnb_region          VARCHAR(100) NULL,
  ADD COLUMN dnb_postal_code     VARCHAR(20) NULL,
  ADD COLUMN dnb_country         CHAR(2) NULL,
  ADD COLUMN entered_line1       VARCHAR(200) NULL,
  ADD COLUMN entered_line2       VARCHAR(200) NULL,
  ADD COLUMN entered_city        VARCHAR(100) NULL,
  ADD COLUMN entered_region      VARCHAR(100) NULL,
  ADD COLUMN entered_postal_code VARCHAR(20) NULL,
  ADD COLUMN std_line1           VARCHAR(200) NULL,
  ADD COLUMN std_line2           VARCHAR(200) NULL,
  ADD COLUMN std_city            VARCHAR(100) NULL,
  ADD COLUMN std_region          VARCHAR(100) NULL,
  ADD COLUMN std_postal_code     VARCHAR(20) NULL;
