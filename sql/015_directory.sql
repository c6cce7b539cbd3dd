-- The public directory's keyword search (CONTRACT "Public directory", research/directory_search.md).

-- The stopwords of the full-text index: InnoDB's English list, a few more English words and French
-- ones (src/domain/directory.c drops the same words from a search). Read when the index is created:
-- a change means rebuilding it, with the session variable set as below.
CREATE TABLE IF NOT EXISTS directory_stopwords (
  value VARCHAR(30) NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
DELETE FROM directory_stopwords;
INSERT INTO directory_stopwords (value) VALUES
('a'), ('about'), ('an'), ('are'), ('as'), ('at'), ('be'), ('by'), ('com'), ('de'), ('en'),
('for'), ('from'), ('how'), ('i'), ('in'), ('is'), ('it'), ('la'), ('of'), ('on'), ('or'),
('that'), ('the'), ('this'), ('to'), ('was'), ('what'), ('when'), ('where'), ('who'), ('will'),
('with'), ('und'), ('www'), ('and'), ('our'), ('your'), ('you'), ('we'), ('they'), ('their'),
('has'), ('have'), ('its'), ('into'), ('can'), ('all'), ('any'), ('but'), ('not'), ('also'),
('le'), ('les'), ('des'), ('du'), ('un'), ('une'), ('et'), ('au'), ('aux'), ('pour'), ('avec'),
('dans'), ('sur'), ('par'), ('ce'), ('ces'), ('cet'), ('cette'), ('qui'), ('que'), ('quoi'),
('dont'), ('est'), ('sont'), ('son'), ('sa'), ('ses'), ('leur'), ('leurs'), ('nous'), ('vous'),
('ils'), ('elle'), ('elles'), ('il'), ('mais'), ('ou'), ('où'), ('donc'), ('car'), ('ni'),
('pas'), ('ne'), ('se'), ('si'), ('notre'), ('nos'), ('votre'), ('vos'), ('été'), ('être'),
('avoir'), ('fait'), ('très'), ('aussi'), ('comme'), ('entre'), ('chez'), ('sans'), ('sous'),
('vers'), ('tout'), ('tous'), ('toute'), ('toutes'), ('ainsi'), ('afin'), ('même');

-- One row per published profile: its searchable text (name, default and per-country descriptions),
-- kept by db_directory_sync in the transaction that publishes, edits or deletes the profile. A
-- table of its own keeps the index to published profiles and off the profiles table's writes.
-- utf8mb4_unicode_ci folds case and accents: "securite" finds "Sécurité".
SET SESSION innodb_ft_user_stopword_table = CONCAT(DATABASE(), '/directory_stopwords');
CREATE TABLE IF NOT EXISTS directory_text (
  profile_id  BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  body        MEDIUMTEXT NOT NULL,
  FULLTEXT KEY ft_directory_text (body),
  CONSTRAINT fk_directory_text_profile FOREIGN KEY (profile_id) REFERENCES profiles(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
SET SESSION innodb_ft_user_stopword_table = NULL;

-- The profiles published before this migration.
INSERT IGNORE INTO directory_text (profile_id, body)
  SELECT id, search_text FROM profiles WHERE status = 'published';
