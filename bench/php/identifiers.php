<?php
// Twin of GET /account/identifiers (src/pages/identifiers.c, www/templates/identifiers.xhtml).
require __DIR__ . '/lib.php';
$u = pd_session('admin');
$rows = pd_accounts($u['tenant_id'], true, true);
$live = $deleted = [];
foreach ($rows as $p) {
    if ($p['status'] === 'deleted') {
        $deleted[] = $p;
    } else {
        $live[] = $p;
    }
}
$enrolled = $rows && $rows[0]['status'] !== 'deleted';
const STATUS_LABELS = ['active' => 'Active', 'inactive' => 'Inactive'];
function kind_label(array $p): string
{
    return $p['kind'][0] === 'g' ? 'Global' : 'Location';
}
pd_head($u, 'Identifiers', '/account/identifiers');
?><section class="identifiers">
  <nav class="crumbs" aria-label="Breadcrumb"><a href="/settings">Settings</a> › <a href="/settings/account">Account settings</a> › <span>Identifiers</span></nav>
  <h1>Identifiers</h1>
  
  
  
  
  
  <?php if (!$enrolled) { ?><div>
    <p>Your company is not in the partner program yet, so it has no partner ID.</p>
    <p><a class="button" href="/enroll">Become a partner</a></p>
  </div><?php } ?>

  <?php if ($enrolled) { ?><div>
    <h2>Partner IDs</h2>
    <p class="hint">Use the partner ID of type Location that matches the country of your CSP account for CSP, incentives and the marketplace.</p>
    <table>
      <thead>
        <tr><th scope="col">Partner ID (formerly MPN ID)</th><th scope="col">Type</th><th scope="col">Name</th><th scope="col">Country</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col">CSP</th><th scope="col">Actions</th></tr>
      </thead>
      <tbody>
        <?php foreach ($live as $p) {
            $location = $p['kind'][0] !== 'g';
            $active = $p['status'] === 'active';
            $created = substr($p['created_at'], 0, 10);
            ?><tr data-partner-id="<?= a($p['partner_id']) ?>" data-kind="<?= a($p['kind']) ?>" data-country="<?= a($p['country']) ?>" data-status="<?= a($p['status']) ?>"<?php if ($p['linked_csp']) { ?> data-csp="yes"<?php } ?>>
          <td><strong><?= h($p['partner_id']) ?></strong></td>
          <td><?= h(kind_label($p)) ?></td>
          <td><?= h($p['name']) ?></td>
          <td><?= h(pd_country($p['country'])) ?></td>
          <td><?= h(STATUS_LABELS[$p['status']] ?? 'Deleted') ?></td>
          <td><time datetime="<?= a($created) ?>"><?= h($created) ?></time></td>
          <td><?php if ($p['linked_csp']) { ?><span>Linked to CSP</span><?php } ?></td>
          <td class="actions">
            <?php if ($location) { ?><form method="post" class="inline" action="/account/locations/<?= a($p['partner_id']) ?>/status">
              <input type="hidden" name="csrf" value="<?= a($u['csrf']) ?>">
              <?php if ($active) { ?><input type="hidden" name="status" value="inactive"><?php } ?>

              <?php if (!$active) { ?><input type="hidden" name="status" value="active"><?php } ?>

              <?php if ($active) { ?><button type="submit" class="secondary">Deactivate</button><?php } ?>

              <?php if (!$active) { ?><button type="submit" class="secondary">Reactivate</button><?php } ?>

            </form><?php } ?>

            <?php if ($location) { ?><a href="/account/locations/<?= a($p['partner_id']) ?>/delete">Delete</a><?php } ?>

            <?php if (!$location) { ?><a href="/account/locations/<?= a($p['partner_id']) ?>/delete">Close the account</a><?php } ?>

          </td>
        </tr><?php } ?>

      </tbody>
    </table>
    <p><a href="/account/locations">Add a location</a></p>
  </div><?php } ?>

  <?php if ($deleted) { ?><div>
    <h2>Deleted partner IDs</h2>
    <p class="hint">Deleted IDs stay reserved: they are never issued again.</p>
    <ul>
      <?php foreach ($deleted as $p) { ?><li data-deleted-partner-id="<?= a($p['partner_id']) ?>"><strong><?= h($p['partner_id']) ?></strong> — <span><?= h(kind_label($p)) ?></span>, <span><?= h($p['name']) ?></span> (<span><?= h(pd_country($p['country'])) ?></span>) — <span>deleted on <?= h($p['deleted_at']) ?></span></li><?php } ?>

    </ul>
  </div><?php } ?>

</section><?php
pd_foot();
