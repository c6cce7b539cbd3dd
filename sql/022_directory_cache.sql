-- The directory's match lists, kept between requests (issue 12 item 7): a search reads every
-- match of its country and keywords to give the exact total and facet counts; the list (ids and
-- packed facet masks, src/domain/directory.h) is cached here per country and keywords, and every
-- facet filter, page and count of that search is read from it. A search without facet filters
-- reads only its row's total, counts and page of ids.
--
-- directory_generation holds a number per country ('' for the searches without one) that changes
-- in every transaction that changes the directory's rows there (db_directory_sync, last; a
-- country without a row is at 0), so a list is used only while its country's generation is the
-- one it was built under, and a change in one country leaves the other countries' lists alone.
-- The cache is a bounded table: DIRECTORY_CACHE_SLOTS slots in sets of DIRECTORY_CACHE_WAYS, a list
-- taking a free slot of its set, else the one written longest ago.
CREATE TABLE IF NOT EXISTS directory_generation (
  country     CHAR(2) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  generation  BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS directory_match_cache (
  slot        SMALLINT UNSIGNED NOT NULL PRIMARY KEY,
  search_key  VARBINARY(3072) NOT NULL,
  generation  BIGINT UNSIGNED NOT NULL,
  total       INT UNSIGNED NOT NULL,      -- matches
  npublish    INT UNSIGNED NOT NULL,      -- the first ones, published in the country
  counts      VARBINARY(256) NOT NULL,    -- per packed facet bit (directory_counts_encode)
  others      VARCHAR(4096) NOT NULL,     -- the other languages' counts: "code=n,…"
  matches     LONGBLOB NOT NULL,          -- directory_matches_encode
  stored_at   TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)  -- the oldest of a set goes first
) ENGINE=InnoDB;

-- The directory's search pages as an anonymous visitor gets them (src/pages/directory.c), under
-- the same generations and slots: the key holds what the page was rendered from (the binary, the
-- templates and catalogs, the language) and the normalised search.
CREATE TABLE IF NOT EXISTS directory_page_cache (
  slot        SMALLINT UNSIGNED NOT NULL PRIMARY KEY,
  page_key    VARBINARY(3072) NOT NULL,
  generation  BIGINT UNSIGNED NOT NULL,
  body        MEDIUMBLOB NOT NULL,
  stored_at   TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB;
