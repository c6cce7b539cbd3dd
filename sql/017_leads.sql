-- The history of a lead (CONTRACT "Leads"): one row per change, written in the same transaction
-- as the change of leads.status. user_id NULL: the portal itself (the expiry and the reminder of
-- `partnerdesk-ctl leads`). The reception is the lead's created_at, not a row here.
CREATE TABLE IF NOT EXISTS lead_events (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  lead_id     BIGINT UNSIGNED NOT NULL,
  action      ENUM('accept','decline','won','lost','expire','remind') NOT NULL,
  status_to   ENUM('received','accepted','declined','won','lost','expired') NOT NULL,
  user_id     BIGINT UNSIGNED NULL,
  reason      VARCHAR(500) NOT NULL DEFAULT '',
  created_at  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_lead_events_lead (lead_id, id),
  CONSTRAINT fk_lead_event_lead FOREIGN KEY (lead_id) REFERENCES leads(id),
  CONSTRAINT fk_lead_event_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE SET NULL
) ENGINE=InnoDB;

-- When the referral admins were reminded that the lead has 3 days left (once per lead).
ALTER TABLE leads ADD COLUMN IF NOT EXISTS reminded_at DATETIME(3) NULL AFTER reason;
