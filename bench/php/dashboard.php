<?php
// Twin of GET /dashboard (src/pages/dashboard.c, www/templates/dashboard.xhtml).
require __DIR__ . '/lib.php';
$u = pd_session('user');
// The session row carries the PGA's ID (db_session_load): no query of its own.
$pga = $u['tenant_id'] && $u['pga_partner_id'] !== '' ? ['partner_id' => $u['pga_partner_id']] : null;
$partner = !$u['staff'];
$can_enroll = $u['tenant_id'] && !$pga && $u['admin'];
pd_head($u, 'Dashboard', '/dashboard');
?><section class="dashboard">
  <h1>Dashboard</h1>
  <p>Welcome, <?= h($u['display_name']) ?>.</p>
  <?php if (!$u['verified'] && $u['tenant_id']) { ?><div class="notice warn" data-email-verified="no">
    <p>Your email address is not verified yet: open the link we sent to <?= h($u['email']) ?>. Until then you can look around but not enroll or submit anything.</p>
    
    <form method="post" action="/verify-email/resend" class="inline">
      <input type="hidden" name="csrf" value="<?= a($u['csrf']) ?>">
      <button type="submit" class="secondary">Send the link again</button>
    </form>
  </div><?php } ?>

  <?php if ($partner) { ?><dl class="facts">
    <dt>Company</dt>
    <dd data-tenant="<?= a($u['tenant_name']) ?>"><?= h($u['tenant_name']) ?></dd>
    <dt>Country</dt>
    <dd><?= h(pd_country($u['tenant_country'])) ?></dd>
    <dt>Your roles</dt>
    <dd><?php foreach (PD_ROLES as $role => $label) { if (isset($u['roles'][$role])) { ?><span class="role" data-role="<?= a($role) ?>"><?= h($label) ?></span><?php } } ?></dd>
    <?php if ($pga) { ?><dt>Partner ID (formerly MPN ID)</dt>
    <dd><a href="/account/legal"><?= h($pga['partner_id']) ?></a></dd><?php } else { ?>

    <?php } ?>

  </dl><?php } ?>

  
  <?php if ($can_enroll) { ?><div class="notice">
    <p>Your company is not in the partner program yet. Join it to get your partner IDs.</p>
    <p><a class="button" href="/enroll">Become a partner</a></p>
  </div><?php } ?>

  <?php if ($u['staff']) { ?><dl class="facts">
    <dt>Your roles</dt>
    <dd><?php foreach (PD_ROLES as $role => $label) { if (isset($u['roles'][$role])) { ?><span class="role" data-role="<?= a($role) ?>"><?= h($label) ?></span><?php } } ?></dd>
  </dl><?php } ?>

  <?php if ($u['staff']) { ?><ul class="cards">
    <li><a href="/review">CSP applications to review</a></li>
    <li><a href="/staff/audit">Audit log</a></li>
  </ul><?php } ?>

  <?php if ($partner) { ?><ul class="cards">
    <li><a href="/settings">Settings</a></li>
    <?php if ($u['admin']) { ?><li><a href="/account/identifiers">Partner IDs</a></li><?php } ?>

    <?php if ($u['global_admin']) { ?><li><a href="/csp/enroll">Cloud Solution Provider (CSP)</a></li><?php } ?>

    <?php if ($u['admin']) { ?><li><a href="/account/users">Manage users and roles</a></li><?php } ?>

  </ul><?php } ?>

</section><?php
pd_foot();
