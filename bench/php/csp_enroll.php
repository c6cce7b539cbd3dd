<?php
// Twin of GET /csp/enroll (src/pages/csp_frame.c, csp_wizard.c, www/templates/csp_enroll.xhtml) for an
// editable draft at step 1 or 2, the states bench/run measures; other states print a marker that
// bench/run's HTML comparison reports.
require __DIR__ . '/lib.php';
$u = pd_session('global_admin');
$c = pd_csp_app($u['tenant_id']);
$accounts = pd_accounts($u['tenant_id'], false, false);
// Enrolled: the live PGA comes first in the list (csp_wizard_load).
$pga = $accounts && $accounts[0]['kind'] === 'global' ? $accounts[0] : null;
// Documents exist only once the application went to staff.
$documents = $c && $c['status'] !== 'draft' ? pd_rows("SELECT id, application_id, size, document_type, filename, content_type, " .
    "sha256, storage_name, DATE_FORMAT(uploaded_at,'%Y-%m-%d %H:%i') FROM csp_documents " .
    "WHERE application_id=? ORDER BY id", [$c['id']]) : [];
$status = $c ? $c['status'] : 'draft';
$editable = !$c || $status === 'draft' || $status === 'rejected';
$done = $c ? (int)$c['step'] : 0;
$step = min($done + 1, 5);
const DOC_TYPES = ['business_registration' => 'Business registration',
    'tax_certificate' => 'Tax certificate', 'proof_of_address' => 'Proof of address'];
$titles = [1 => 'Location', 'Company', 'Address', 'Contacts and model', 'Review'];
$tenant_country = $u['tenant_country'];

function country_options(string $selected): void
{
    foreach (pd_countries() as $code => $name) {
        ?><option value="<?= a($code) ?>"<?= $code === $selected ? ' selected="selected"' : '' ?>><?= h($name) ?></option><?php
    }
}

pd_head($u, 'Become a cloud solution provider (CSP)', '/csp/enroll');
?><section class="wizard">
  <h1>Become a cloud solution provider (CSP)</h1>
  <p class="status"><span>Application status:</span> <strong data-status="<?= a($status) ?>"><?= h(PD_CSP_STATUS[$status] ?? $status) ?></strong></p>

  
  <?php if (!$u['verified']) { ?><div class="notice warn" role="alert">
    <p>Verify your email address before you enroll: open the link we sent you, or ask for a new one from your dashboard.</p>
  </div><?php } ?>

  <?php if (!$pga) { ?><div class="notice warn" role="alert">
    <p>Your company is not in the partner program yet. Join it to get your partner IDs.</p>
    <p><a class="button" href="/enroll">Become a partner</a></p>
  </div><?php } ?>


  <?php if ($c && $status === 'rejected') { ?><div class="notice error" role="alert">
    <p>Your application was rejected. Reason given by the reviewer:</p>
    <blockquote><?= h($c['decision_reason']) ?></blockquote>
    <p>Correct what is needed below and submit again.</p>
  </div><?php } ?>

  

<?php if (!$editable || !$pga || $step > 2) { ?>  <!-- not in the PHP twin -->
<?php } else { ?>
  <div>
    <div>
      <ol class="progress" aria-label="Progress">
        <?php for ($s = 1; $s <= 5; $s++) { ?><li<?= $s === $step ? ' aria-current="step"' : '' ?>><span class="n"><?= $s ?></span> <?php if ($s <= $done + 1 && $s !== $step) { ?><a href="/csp/enroll?step=<?= $s ?>"><?= h($titles[$s]) ?></a><?php } else { ?><span><?= h($titles[$s]) ?></span><?php } ?> <?php if ($s <= $done) { ?><span class="done">(done)</span><?php } ?></li><?php } ?>

      </ol>

      <?php if ($step === 1) {
          $any = false; ?><div>
        <h2>1. Associate a location partner ID</h2>
        <p>Your CSP account is tied to one active location ID in the country of your CSP account (<?= h(pd_country($tenant_country)) ?>).</p>
        <?php ob_start(); ?>
        <form method="post" action="/csp/enroll/location" novalidate="novalidate">
          <input type="hidden" name="csrf" value="<?= a($u['csrf']) ?>">
          <fieldset>
            <legend>Location partner ID</legend>
            <?php foreach ($accounts as $p) {
                if ($p['kind'][0] === 'g') {
                    continue;
                }
                $reason = $p['status'] !== 'active' ? 'This location is inactive.'
                    : ($p['country'] !== $tenant_country ? 'This location is not in the country of your CSP account.' : null);
                $any = $any || $reason === null;
                ?><label class="choice"><input type="radio" name="partner_id" value="<?= a($p['partner_id']) ?>"<?= $reason !== null ? ' disabled="disabled"' : '' ?><?= $c && (int)$c['partner_account_id'] === (int)$p['id'] ? ' checked="checked"' : '' ?>> <strong><?= h($p['partner_id']) ?></strong> — <span><?= h($p['name']) ?></span> (<span><?= h(pd_country($p['country'])) ?></span>) <?php if ($reason !== null) { ?><span class="reason"><?= h($reason) ?></span><?php } ?></label><?php } ?>

          </fieldset>
          
          <p><button type="submit">Continue</button></p>
        </form>
      </div><?php
          $form = ob_get_clean();
          if (!$any) { ?><p class="notice warn"><span>None of your location IDs can be used.</span> <a href="/account/locations">Add a location</a></p><?php }
          echo $form;
      } ?>


      <?php if ($step === 2) {
          $legal = $c && $c['legal_name'] !== '' ? $c['legal_name'] : $u['tenant_name']; ?><div>
        <h2>2. Company information</h2>
        
        <form method="post" action="/csp/enroll/company" novalidate="novalidate" class="card">
          <input type="hidden" name="csrf" value="<?= a($u['csrf']) ?>">
          <input type="hidden" name="mode" value="lookup">
          <h3>Find your company in the DUNS directory</h3>
          <div class="field">
            <label for="company_name">Company name</label>
            <input type="text" id="company_name" name="company_name" maxlength="200" value="<?= a($legal) ?>">
            
          </div>
          <div class="field">
            <label for="lookup_country">Country</label>
            <select id="lookup_country" name="country">
              <?php country_options($tenant_country); ?>

            </select>
            
          </div>
          <p><button type="submit" class="secondary">Search</button></p>
        </form>
        
        <form method="post" action="/csp/enroll/company" novalidate="novalidate" class="card">
          <input type="hidden" name="csrf" value="<?= a($u['csrf']) ?>">
          <input type="hidden" name="mode" value="duns">
          <h3>Or type your DUNS number</h3>
          <div class="field">
            <label for="duns">DUNS number (9 digits)</label>
            <input type="text" id="duns" name="duns" inputmode="numeric" maxlength="20" value="<?= a($c['duns'] ?? '') ?>">
            
          </div>
          <p><button type="submit" class="secondary">Use this DUNS number</button></p>
        </form>
        <details class="card">
          <summary>Or enter your company manually</summary>
          <form method="post" action="/csp/enroll/company" novalidate="novalidate">
            <input type="hidden" name="csrf" value="<?= a($u['csrf']) ?>">
            <input type="hidden" name="mode" value="manual">
            <div class="field">
              <label for="legal_name">Legal name</label>
              <input type="text" id="legal_name" name="legal_name" maxlength="200" value="<?= a($legal) ?>">
              
            </div>
            <div class="field">
              <label for="m_address_line1">Address</label>
              <input type="text" id="m_address_line1" name="address_line1" maxlength="200" value="<?= a($c['address_line1'] ?? '') ?>">
              
            </div>
            <div class="field">
              <label for="m_address_line2">Address line 2 (optional)</label>
              <input type="text" id="m_address_line2" name="address_line2" maxlength="200" value="<?= a($c['address_line2'] ?? '') ?>">
            </div>
            <div class="field">
              <label for="m_city">City</label>
              <input type="text" id="m_city" name="city" maxlength="100" value="<?= a($c['city'] ?? '') ?>">
              
            </div>
            <div class="field">
              <label for="m_region">State or region (optional)</label>
              <input type="text" id="m_region" name="region" maxlength="100" value="<?= a($c['region'] ?? '') ?>">
            </div>
            <div class="field">
              <label for="m_postal_code">Postal code (optional)</label>
              <input type="text" id="m_postal_code" name="postal_code" maxlength="20" value="<?= a($c['postal_code'] ?? '') ?>">
              
            </div>
            <div class="field">
              <label for="m_country">Country</label>
              <select id="m_country" name="country">
                <?php country_options($tenant_country); ?>

              </select>
            </div>
            <p><button type="submit">Continue</button></p>
          </form>
        </details>
      </div><?php } ?>


      

      

      
    </div>
  </div>
<?php } ?>

  

  <?php if ($documents) { ?><div>
    <h2>Documents sent</h2>
    <ul>
      <?php foreach ($documents as $d) { ?><li><a href="/csp/enroll/documents/<?= (int)$d[0] ?>"><?= h($d[4]) ?></a> — <span><?= h(DOC_TYPES[$d[3]] ?? 'Other document') ?></span> — <span><?= h($d[8]) ?></span></li><?php } ?>

    </ul>
  </div><?php } ?>

</section><?php
pd_foot();
