<?php
// Twin of GET /account/legal (src/pages/enroll.c, www/templates/legal.xhtml).
require __DIR__ . '/lib.php';
$u = pd_session('partner');
$pga = pd_legal($u['tenant_id']);
$can_edit = $pga && $u['admin'];
$cs = $pga ? $pga['csp_status'] : 'not_enrolled';
// name, label, type, autocomplete, required, maxlength (the form of legal.xhtml).
const FIELDS = [
    ['legal_name', 'Legal name', 'text', '', true, 200],
    ['address_line1', 'Address', 'text', 'address-line1', true, 200],
    ['address_line2', 'Address line 2 (optional)', 'text', 'address-line2', false, 200],
    ['city', 'City', 'text', 'address-level2', true, 100],
    ['region', 'State or region (optional)', 'text', 'address-level1', false, 100],
    ['postal_code', 'Postal code (optional)', 'text', 'postal-code', false, 20],
    null,
    ['phone', 'Phone', 'tel', 'tel', true, 30],
    ['website', 'Website', 'url', 'url', true, 200],
    ['contact_name', 'Primary contact name', 'text', 'name', true, 100],
    ['contact_email', 'Primary contact email', 'email', 'email', true, 254],
];
pd_head($u, 'Legal info', '/account/legal');
?><section class="legal">
  <nav class="crumbs" aria-label="Breadcrumb"><a href="/settings">Settings</a> › <a href="/settings/account">Account settings</a> › <span>Legal info</span></nav>
  <h1>Legal info</h1>
  <?php if (!$pga) { ?><div>
    <p>Your company is not in the partner program yet, so it has no partner ID.</p>
    <?php if ($u['admin']) { ?><p><a class="button" href="/enroll">Become a partner</a></p><?php } ?>

  </div><?php } ?>

  <?php if ($pga) { ?><div>
    
    <dl class="facts">
      <dt>Partner ID (formerly MPN ID)</dt>
      <dd><strong data-partner-id="<?= a($pga['partner_id']) ?>"><?= h($pga['partner_id']) ?></strong></dd>
      <dt>Legal name</dt>
      <dd data-legal-name="<?= a($pga['name']) ?>"><?= h($pga['name']) ?></dd>
      <dt>Legal address</dt>
      <dd><address><span><?= h($pga['address_line1']) ?></span><br><?php if ($pga['address_line2'] !== '') { ?><span><span><?= h($pga['address_line2']) ?></span><br></span><?php } ?><span><?= h($pga['postal_code']) ?></span> <span><?= h($pga['city']) ?></span><?php if ($pga['region'] !== '') { ?><span>, <span><?= h($pga['region']) ?></span></span><?php } ?><br><span><?= h(pd_country($pga['country'])) ?></span></address></dd>
      <dt>Phone</dt>
      <dd><?= h($pga['phone']) ?></dd>
      <dt>Website</dt>
      <dd><?= h($pga['website']) ?></dd>
      <dt>Primary contact</dt>
      <dd><span><?= h($pga['contact_name']) ?></span> — <span><?= h($pga['contact_email']) ?></span></dd>
    </dl>
    <?php if ($cs === 'active') { ?><p class="notice ok" data-csp-tenant="yes">Your company is a CSP tenant.</p><?php } ?>

    <h2>Verification status</h2>
    <table>
      <thead><tr><th scope="col">Program</th><th scope="col">Status</th></tr></thead>
      <tbody>
        <tr><td>Partner program</td><td data-program="partner" data-verification-status="verified">Verified</td></tr>
        <tr><td><a href="/csp/enroll">Cloud Solution Provider (CSP)</a></td><td data-program="csp" data-verification-status="<?= a($cs) ?>"><?= h(PD_CSP_STATUS[$cs] ?? $cs) ?></td></tr>
      </tbody>
    </table>
    <?php if ($can_edit) { ?><div>
      <h2>Edit the legal information</h2>
      
      <form method="post" action="/account/legal" novalidate="novalidate">
        <input type="hidden" name="csrf" value="<?= a($u['csrf']) ?>">
<?php foreach (FIELDS as $f) {
    if ($f === null) { ?>
        <p class="hint">The country of the legal address is fixed at enrollment.</p>
<?php continue; }
    [$name, $label, $type, $auto, $required, $max] = $f;
    $value = $name === 'legal_name' ? $pga['name'] : $pga[$name]; ?>
        <div class="field">
          <label for="<?= $name ?>"><?= h($label) ?></label>
          <input type="<?= $type ?>" id="<?= $name ?>" name="<?= $name ?>"<?= $auto !== '' ? ' autocomplete="' . $auto . '"' : '' ?><?= $required ? ' required="required"' : '' ?> maxlength="<?= $max ?>" value="<?= a($value) ?>">
          
        </div>
<?php } ?>
        <p><button type="submit">Save</button></p>
      </form>
    </div><?php } ?>

  </div><?php } ?>

</section><?php
pd_foot();
