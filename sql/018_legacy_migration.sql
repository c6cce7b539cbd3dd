-- Legacy profiles and their migration (DOMAIN §6). A legacy profile keeps legacy=1 for history;
-- migrated_at is set when the company migrated it (it is then a modern profile under the
-- managing partner ID chosen), linked_at when `partnerdesk-ctl migration expire` linked it to the
-- company's PGA after the window (partner_account_id is then the PGA's account). A legacy profile
-- with neither has no partner ID: its leads go to the company's PGA.
ALTER TABLE profiles
  ADD COLUMN IF NOT EXISTS migrated_at DATETIME(3) NULL,
  ADD COLUMN IF NOT EXISTS linked_at DATETIME(3) NULL,
  ADD KEY IF NOT EXISTS ix_profiles_legacy (legacy, migrated_at, linked_at, tenant_id);
