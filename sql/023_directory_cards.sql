-- The directory's result cards and its caches on each host.
--
-- directory_cards: what a search result shows of a published profile (slug, name, the first 240
-- characters of its description, whether it has a logo), written with the directory's other rows
-- by db_directory_sync: one row per profile with country '' (the profile's own description), and
-- one per publish location that has a description of its own (shown to the visitors of that
-- country). A page's 20 results are then read from this narrow table instead of the profiles'
-- wide rows (bench/README.md, "Directory").
CREATE TABLE IF NOT EXISTS directory_cards (
  profile_id  BIGINT UNSIGNED NOT NULL,
  country     CHAR(2) CHARACTER SET ascii NOT NULL,   -- '' for the profile's own description
  slug        VARCHAR(140) NOT NULL,
  name        VARCHAR(100) NOT NULL,
  summary     VARCHAR(240) NOT NULL,
  has_logo    TINYINT(1) NOT NULL,
  PRIMARY KEY (profile_id, country)
) ENGINE=InnoDB;

INSERT IGNORE INTO directory_cards (profile_id, country, slug, name, summary, has_logo)
  SELECT p.id, '', p.slug, p.name, LEFT(p.description, 240), p.logo_type<>'' FROM profiles p
  WHERE p.status='published'
  UNION ALL
  SELECT l.profile_id, l.country, p.slug, p.name, LEFT(l.description, 240), p.logo_type<>''
  FROM profile_locations l JOIN profiles p ON p.id=l.profile_id
  WHERE p.status='published' AND l.description<>'';

-- The match lists and anonymous search pages are kept in files on each host instead
-- (src/core/filecache.h, under <state_dir>/cache/directory): read without a round trip to the
-- database and never replicated. directory_generation stays: a cached file is used only while
-- its country's generation is the one it carries.
DROP TABLE IF EXISTS directory_match_cache;
DROP TABLE IF EXISTS directory_page_cache;
