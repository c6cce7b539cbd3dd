-- Domain claims expire (issue 10, domain squatting): a tenant's claim on its email domain is
-- dated, so that a claim held only by unverified users ends CLAIM_UNVERIFIED_SECONDS (48 h, the
-- verification link's lifetime) after the sign-up that made it. Existing claims date from their
-- tenant's creation, when the sign-up made them.
ALTER TABLE tenant_domains
  ADD COLUMN IF NOT EXISTS claimed_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  ADD KEY IF NOT EXISTS ix_domains_claimed (claimed_at);
UPDATE tenant_domains d JOIN tenants t ON t.id = d.tenant_id SET d.claimed_at = t.created_at;
