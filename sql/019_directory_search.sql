-- The directory's keyword search on Mroonga (issue 12 item 7): InnoDB's FULLTEXT index costs
-- ~100 ms and more for a common word at 100,000 profiles, Groonga's index a tenth of it.
--
-- directory_search replaces directory_text: one row per published profile, its facet masks and
-- its searchable text led by one token per directory country, "cc" + the code in lower case +
-- "p" where the profile is published, "s" where it only sells (src/domain/directory.h,
-- directory_country_tokens), so that one full-text query filters by country and keywords at
-- once. Mroonga's wrapper mode keeps the rows in InnoDB (written in the transaction that
-- publishes, edits or deletes the profile; a rolled-back INSERT is never found) and the
-- full-text index in Groonga, which a rollback does not undo: a rolled-back DELETE or UPDATE
-- leaves the index as after the change until the profile's next sync (db_directory_sync writes
-- this table last). The normaliser folds case and accents as utf8mb4_unicode_ci does
-- ("securite" finds "Sécurité"); words are not stopped (src/domain/directory.c still drops the
-- stopwords from a search).
--
-- The Mroonga plugin (Debian's mariadb-plugin-mroonga): scripts/lib.sh starts mariadbd with
-- --plugin-load-add=ha_mroonga; a server started before that installs it here (kept in
-- mysql.plugin; with both, the server notes "already installed" at start and goes on).
BEGIN NOT ATOMIC
  IF NOT EXISTS (SELECT 1 FROM information_schema.ENGINES
                 WHERE ENGINE = 'Mroonga' AND SUPPORT IN ('YES', 'DEFAULT')) THEN
    INSTALL SONAME 'ha_mroonga';
  END IF;
END;
CREATE TABLE IF NOT EXISTS directory_search (
  profile_id  BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  areas       BIGINT UNSIGNED NOT NULL DEFAULT 0,
  industries  BIGINT UNSIGNED NOT NULL DEFAULT 0,
  languages   BIGINT UNSIGNED NOT NULL DEFAULT 0,
  body        MEDIUMTEXT NOT NULL,
  FULLTEXT KEY ft_directory_search (body) COMMENT 'normalizer "NormalizerMySQLUnicodeCI"',
  KEY ix_directory_search_masks (areas, industries, languages)
) ENGINE=Mroonga COMMENT='engine "InnoDB"' DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The rows of directory_text, their country tokens from directory_countries.
SET SESSION group_concat_max_len = 1048576;
INSERT IGNORE INTO directory_search (profile_id, areas, industries, languages, body)
  SELECT t.profile_id, t.areas, t.industries, t.languages,
         CONCAT_WS(' ', (SELECT GROUP_CONCAT(CONCAT('cc', LOWER(d.country), IF(d.kind = 0, 'p', 's'))
                                             ORDER BY d.kind, d.country SEPARATOR ' ')
                         FROM directory_countries d WHERE d.profile_id = t.profile_id), t.body)
  FROM directory_text t;
DROP TABLE IF EXISTS directory_text;
