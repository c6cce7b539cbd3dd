-- Each user's roles also as one SET column of users, so that loading a session is one lookup by
-- primary keys (sessions, users, tenants) with no read of user_roles, no sub-select and no
-- temporary table (bench/README.md). user_roles stays the record of roles (a referral_admin
-- scoped to partner IDs has one row per ID); the triggers below keep users.roles equal to the
-- set of its roles in the statement that changes them, so it commits or rolls back with the
-- change, whoever writes it. A role added to user_roles.role must be added to this SET too (in
-- strict mode the trigger then refuses the role change instead of losing the role).
ALTER TABLE users ADD COLUMN IF NOT EXISTS roles
  SET('global_admin','account_admin','profile_admin','referral_admin','member','reviewer',
      'staff_admin') NOT NULL DEFAULT '' AFTER status;

UPDATE users u SET u.roles =
  COALESCE((SELECT GROUP_CONCAT(DISTINCT r.role) FROM user_roles r WHERE r.user_id = u.id), '');

CREATE TRIGGER IF NOT EXISTS user_roles_set_insert AFTER INSERT ON user_roles FOR EACH ROW
  UPDATE users u SET u.roles =
    COALESCE((SELECT GROUP_CONCAT(DISTINCT r.role) FROM user_roles r WHERE r.user_id = u.id), '')
  WHERE u.id = NEW.user_id;
CREATE TRIGGER IF NOT EXISTS user_roles_set_update AFTER UPDATE ON user_roles FOR EACH ROW
  UPDATE users u SET u.roles =
    COALESCE((SELECT GROUP_CONCAT(DISTINCT r.role) FROM user_roles r WHERE r.user_id = u.id), '')
  WHERE u.id IN (OLD.user_id, NEW.user_id);
CREATE TRIGGER IF NOT EXISTS user_roles_set_delete AFTER DELETE ON user_roles FOR EACH ROW
  UPDATE users u SET u.roles =
    COALESCE((SELECT GROUP_CONCAT(DISTINCT r.role) FROM user_roles r WHERE r.user_id = u.id), '')
  WHERE u.id = OLD.user_id;
