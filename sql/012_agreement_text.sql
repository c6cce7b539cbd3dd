-- The partner agreement's own text (issue 11): what a signer accepted is the text of one version in
-- one language, shown before acceptance; its language and the SHA-256 of its exact bytes (lower-case
-- hex) are stored with the acceptance. Acceptances made before this migration have neither ('').
ALTER TABLE agreement_acceptances
  ADD COLUMN IF NOT EXISTS language CHAR(2) NOT NULL DEFAULT '' AFTER version,
  ADD COLUMN IF NOT EXISTS text_sha256 CHAR(64) NOT NULL DEFAULT '' AFTER language;
