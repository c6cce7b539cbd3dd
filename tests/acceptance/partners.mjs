// Partner program and partner IDs (DOMAIN §2, CONTRACT §4 "Partner program and IDs", the issue 3
// design): enrollment and its rules, partner IDs under concurrency, Legal info, the Identifiers
// page and how to reach it, locations (add, deactivate, delete), closing the account, legal info
// edits, tenant isolation, both languages. Every test starts from its own company.
import {
  test, run, assert, Client, signUp, verifyEmail, sql, sqlValue, countRows, quote, htmlLang, inputValue, selectedOption,
  tagsWith, errorFields, linkByText, partnerIdRows, deletedPartnerIds, tenantIdOf, partnerStatus,
  linkPartnerId, enrollFields, verifiedAdmin, enrolledCompany, addLocation, inviteUser, staffMember,
  configValue, fieldErrors, BASE,
} from './lib.mjs';

const ID7 = /^[1-9]\d{6}$/;
const pathOf = loc => (loc || '').split('?')[0];
const liveIds = html => partnerIdRows(html).map(r => r.id);
// What the enrollment may have created for a tenant.
const created = tenant => ({
  accounts: countRows('partner_accounts', `tenant_id = ${tenant}`),
  registry: countRows('partner_id_registry', `tenant_id = ${tenant}`),
  audit: countRows('audit_log', `tenant_id = ${tenant} AND action = 'partner.enroll'`),
});
const NOTHING = { accounts: 0, registry: 0, audit: 0 };
// Text of the first element with attribute attr (its inner text, tags stripped).
function textOf(html, attr) {
  const m = html.match(new RegExp(`<([a-z0-9]+)\\b[^>]*\\s${attr}(?:=|\\s|>)[^>]*>([\\s\\S]*?)</\\1>`));
  return m ? m[2].replace(/<[^>]*>/g, '').trim() : null;
}
// Is there a form posting to path?
const hasFormTo = (html, path) => tagsWith(html, 'form').some(a => a.action === path);

// ------------------------------------------------------------------------------------- enrollment

test('POST /enroll: 303 to /account/identifiers, a global ID and a location ID in the chosen country, 7 digits, distinct, recorded', async () => {
  const s = await verifiedAdmin({ country: 'FR' });
  const form = await s.client.get('/enroll');
  assert.equal(form.status, 200);
  assert.ok(hasFormTo(form.text, '/enroll'), 'the enrollment form posts to /enroll');
  const r = await s.client.post('/enroll', enrollFields(s.email, { country: 'DE', city: 'Berlin', postal_code: '10115' }));
  assert.equal(r.status, 303, `enroll answered ${r.status}: ${r.text.slice(0, 300)}`);
  assert.equal(pathOf(r.location), '/account/identifiers');
  const page = await s.client.get(r.location);
  assert.equal(page.status, 200);
  const rows = partnerIdRows(page.text);
  assert.equal(rows.length, 2, `two IDs: ${JSON.stringify(rows)}`);
  const g = rows.filter(i => i.kind === 'global'), l = rows.filter(i => i.kind === 'location');
  assert.equal(g.length, 1, 'one global ID');
  assert.equal(l.length, 1, 'one location ID');
  assert.match(g[0].id, ID7);
  assert.match(l[0].id, ID7);
  assert.notEqual(g[0].id, l[0].id);
  assert.equal(l[0].country, 'DE', 'the location is in the country given to the form, not the tenant country');
  assert.equal(l[0].status, 'active');
  assert.equal(g[0].status, 'active');
  const accounts = sql(`SELECT partner_id, kind, country, status, name FROM partner_accounts WHERE tenant_id = ${s.tenant} ORDER BY kind`);
  assert.deepEqual(accounts.map(a => [a[0], a[1], a[2], a[3]]),
    [[g[0].id, 'global', 'DE', 'active'], [l[0].id, 'location', 'DE', 'active']]);
  assert.equal(accounts[0][4], 'Northwind Traders SARL');
  const registry = sql(`SELECT partner_id FROM partner_id_registry WHERE tenant_id = ${s.tenant} ORDER BY partner_id`).map(x => x[0]);
  assert.deepEqual(registry, [g[0].id, l[0].id].sort());
  assert.equal(created(s.tenant).audit, 1, 'enrollment audited once');
});

test('Legal info shows the PGA ID under "Partner ID (formerly MPN ID)", the legal name and a verification status per program; French with ?lang=fr', async () => {
  const name = 'Northwind & "Partners", SARL';
  const e = await enrolledCompany({ fields: { legal_name: name } });
  const en = await e.client.get('/account/legal?lang=en');
  assert.equal(en.status, 200);
  assert.equal(htmlLang(en.text), 'en');
  const ids = tagsWith(en.text, '*', 'data-partner-id').map(a => a['data-partner-id']);
  assert.deepEqual(ids, [e.pga], 'exactly one [data-partner-id], the PGA\'s');
  const legal = tagsWith(en.text, '*', 'data-legal-name');
  assert.equal(legal.length, 1);
  assert.equal(legal[0]['data-legal-name'], name);
  assert.ok(en.text.includes('Partner ID (formerly MPN ID)'), 'the English label');
  const status = Object.fromEntries(tagsWith(en.text, '*', 'data-verification-status').map(a => [a['data-program'], a['data-verification-status']]));
  assert.equal(status.partner, 'verified', `data-program="partner": ${JSON.stringify(status)}`);
  assert.equal(status.csp, 'not_enrolled', `data-program="csp": a company that never applied (${JSON.stringify(status)})`);
  const fr = await e.client.get('/account/legal?lang=fr');
  assert.equal(fr.status, 200);
  assert.equal(htmlLang(fr.text), 'fr');
  assert.ok(fr.text.includes('ID partenaire (anciennement ID MPN)'), 'the French label');
  assert.ok(!fr.text.includes('Partner ID (formerly MPN ID)'), 'no English label left');
  assert.deepEqual(tagsWith(fr.text, '*', 'data-partner-id').map(a => a['data-partner-id']), [e.pga]);
  const frStatus = Object.fromEntries(tagsWith(fr.text, '*', 'data-verification-status').map(a => [a['data-program'], a['data-verification-status']]));
  assert.deepEqual(frStatus, status, 'the data-* facts do not depend on the language');
});

test('each required enrollment field missing gets a 422 with its data-field error, the other values kept, nothing created', async () => {
  const s = await verifiedAdmin();
  await s.client.get('/enroll');
  const full = enrollFields(s.email);
  for (const field of ['legal_name', 'country', 'address_line1', 'city', 'phone', 'website', 'contact_name', 'contact_email']) {
    const r = await s.client.post('/enroll', { ...full, [field]: '' });
    assert.equal(r.status, 422, `${field} empty → ${r.status}`);
    const errs = errorFields(r.text);
    assert.ok(errs.has(field), `error element with data-field="${field}" (got ${[...errs]})`);
    assert.ok(hasFormTo(r.text, '/enroll'), 'the form is shown again');
    for (const other of ['legal_name', 'address_line1', 'address_line2', 'city', 'region', 'postal_code', 'phone', 'website', 'contact_name', 'contact_email']) {
      if (other === field) continue;
      assert.equal(inputValue(r.text, other), full[other], `${other} kept when ${field} is missing`);
    }
    if (field !== 'country') assert.equal(selectedOption(r.text, 'country'), 'FR', `country kept when ${field} is missing`);
  }
  const all = await s.client.post('/enroll', {});
  assert.equal(all.status, 422, 'an empty form');
  for (const f of ['legal_name', 'country', 'address_line1', 'city', 'phone', 'website', 'contact_name', 'contact_email'])
    assert.ok(errorFields(all.text).has(f), `empty form: error for ${f}`);
  assert.deepEqual(created(s.tenant), NOTHING);
});

test('invalid website (not http/https), contact email, phone, postal code and unknown country: 422 on that field, the entered value kept, nothing created', async () => {
  const s = await verifiedAdmin();
  await s.client.get('/enroll');
  const cases = [
    ['website', 'ftp://northwind.example'], ['website', 'javascript:alert(1)'], ['website', 'northwind.example'],
    ['website', 'mailto:ana@northwind.example'],
    ['contact_email', 'not-an-email'], ['contact_email', 'ana@'], ['contact_email', 'ana lopez@northwind.example'],
    ['country', 'XX'], ['country', 'ZZ'], ['country', 'France'],
    ['phone', 'call me'], ['postal_code', '750<02'],
  ];
  for (const [field, value] of cases) {
    const r = await s.client.post('/enroll', enrollFields(s.email, { [field]: value }));
    assert.equal(r.status, 422, `${field}=${value} → ${r.status}`);
    const errs = errorFields(r.text);
    assert.ok(errs.has(field), `error on ${field} for "${value}" (got ${[...errs]})`);
    assert.equal(errs.size, 1, `only ${field} is wrong (got ${[...errs]})`);
    if (field !== 'country') assert.equal(inputValue(r.text, field), value, `the entered ${field} is kept`);
    assert.equal(inputValue(r.text, 'legal_name'), 'Northwind Traders SARL');
  }
  assert.deepEqual(created(s.tenant), NOTHING);
  const ok = await s.client.post('/enroll', enrollFields(s.email, { website: 'http://northwind.example' }));
  assert.equal(ok.status, 303, 'plain http is a valid website');
});

test('an admin whose email is not verified gets 403 with the reason; nothing is created', async () => {
  const s = await signUp();
  const tenant = tenantIdOf(s.email);
  const form = await s.client.get('/enroll');
  assert.ok(form.status === 200 || form.status === 403, `GET /enroll answered ${form.status}`);
  await s.client.get('/dashboard');
  const r = await s.client.post('/enroll', enrollFields(s.email));
  assert.equal(r.status, 403);
  assert.match(r.text, /verify your email/i, 'the page says the email must be verified');
  assert.deepEqual(created(tenant), NOTHING);
  await verifyEmail(s.email);
  await s.client.get('/enroll');
  assert.equal((await s.client.post('/enroll', enrollFields(s.email))).status, 303, 'once verified, the same admin enrolls');
});

test('non-admin members get 404 on GET and POST /enroll; an account admin may enroll', async () => {
  const s = await verifiedAdmin();
  for (const role of ['member', 'profile_admin', 'referral_admin']) {
    const u = await inviteUser(s.client, s.domain, role);
    assert.equal((await u.client.get('/enroll')).status, 404, `${role} GET /enroll`);
    await u.client.get('/dashboard');
    assert.equal((await u.client.post('/enroll', enrollFields(u.email))).status, 404, `${role} POST /enroll`);
  }
  assert.deepEqual(created(s.tenant), NOTHING);
  const aa = await inviteUser(s.client, s.domain, 'account_admin');
  assert.equal((await aa.client.get('/enroll')).status, 200, 'account admin opens the form');
  const r = await aa.client.post('/enroll', enrollFields(aa.email));
  assert.equal(r.status, 303, `account admin enrolls: ${r.status}`);
  assert.equal(countRows('partner_accounts', `tenant_id = ${s.tenant} AND kind = 'global'`), 1);
});

test('signed out: GET and POST /enroll answer 303 /signin', async () => {
  const anon = new Client();
  const g = await anon.get('/enroll');
  assert.equal(g.status, 303);
  assert.equal(pathOf(g.location), '/signin');
  await anon.get('/signin');
  const p = await anon.post('/enroll', enrollFields('ana@northwind.example'));
  assert.equal(p.status, 303, `signed-out POST answered ${p.status}`);
  assert.equal(pathOf(p.location), '/signin');
});

test('a POST /enroll with a missing or wrong CSRF token gets 403 and creates nothing', async () => {
  const s = await verifiedAdmin();
  await s.client.get('/enroll');
  assert.equal((await s.client.post('/enroll', enrollFields(s.email), { csrf: null })).status, 403, 'missing token');
  assert.equal((await s.client.post('/enroll', enrollFields(s.email), { csrf: 'A'.repeat(43) })).status, 403, 'wrong token');
  assert.deepEqual(created(s.tenant), NOTHING);
});

test('enrolling twice answers 409 with a clear message and issues no new ID', async () => {
  const e = await enrolledCompany();
  const before = created(e.tenant);
  await e.client.get('/enroll');
  const r = await e.client.post('/enroll', enrollFields(e.email, { legal_name: 'Another Name SA' }));
  assert.equal(r.status, 409);
  assert.match(r.text, /already enrolled/i, 'says the company is already enrolled');
  assert.deepEqual(tagsWith(r.text, '*', 'data-error').map(a => a['data-error']), ['already_enrolled']);
  assert.deepEqual(created(e.tenant), before);
  assert.deepEqual(liveIds((await e.client.get('/account/identifiers')).text).sort(), [e.pga, e.pla].sort());
  assert.equal(sqlValue(`SELECT name FROM partner_accounts WHERE partner_id = ${quote(e.pga)}`), 'Northwind Traders SARL');
});

test('concurrency: 12 companies enrolling at once get 24 distinct 7-digit IDs; one company posting 5 times at once gets one PGA', async () => {
  const admins = await Promise.all(Array.from({ length: 12 }, () => verifiedAdmin()));
  await Promise.all(admins.map(a => a.client.get('/enroll')));
  const res = await Promise.all(admins.map(a => a.client.post('/enroll', enrollFields(a.email))));
  assert.deepEqual(res.map(r => r.status), Array(12).fill(303));
  const tenants = admins.map(a => a.tenant).join(',');
  const ids = sql(`SELECT partner_id FROM partner_accounts WHERE tenant_id IN (${tenants})`).map(r => r[0]);
  assert.equal(ids.length, 24);
  assert.equal(new Set(ids).size, 24, 'all distinct');
  assert.ok(ids.every(i => ID7.test(i)), `all 7 digits: ${ids}`);
  for (const a of admins) {
    const shown = liveIds((await a.client.get('/account/identifiers')).text);
    assert.equal(shown.length, 2);
    assert.ok(shown.every(i => ids.includes(i)));
  }
  const one = await verifiedAdmin();
  await one.client.get('/enroll');
  const tries = await Promise.all(Array.from({ length: 5 }, () => one.client.post('/enroll', enrollFields(one.email))));
  const statuses = tries.map(r => r.status);
  assert.equal(statuses.filter(s => s === 303).length, 1, `exactly one success: ${statuses}`);
  assert.ok(statuses.every(s => s === 303 || s === 409), `the others are refused as already enrolled: ${statuses}`);
  assert.equal(countRows('partner_accounts', `tenant_id = ${one.tenant} AND kind = 'global'`), 1);
  assert.equal(countRows('partner_accounts', `tenant_id = ${one.tenant}`), 2);
  assert.equal(countRows('partner_id_registry', `tenant_id = ${one.tenant}`), 2, 'refused tries reserve no ID');
});

// ------------------------------------------------------------------------------------ Identifiers

test('Identifiers: one tr[data-partner-id] per ID with data-kind, data-country, data-status; data-csp="yes" only on the CSP-linked location', async () => {
  const e = await enrolledCompany();
  const extra = await addLocation(e.client, e.email, { country: 'BE', city: 'Bruxelles', postal_code: '1000' });
  let rows = partnerIdRows((await e.client.get('/account/identifiers')).text);
  assert.equal(rows.length, 3);
  assert.equal(new Set(rows.map(r => r.id)).size, 3, 'one row per ID');
  for (const r of rows) {
    assert.ok(['global', 'location'].includes(r.kind), `data-kind of ${r.id}: ${r.kind}`);
    assert.match(r.country || '', /^[A-Z]{2}$/, `data-country of ${r.id}`);
    assert.ok(['active', 'inactive'].includes(r.status), `data-status of ${r.id}: ${r.status}`);
    assert.equal(r.csp, undefined, `no CSP link yet on ${r.id}`);
  }
  assert.equal(rows.find(r => r.id === extra).country, 'BE');
  assert.equal(rows.find(r => r.id === e.pga).kind, 'global');
  linkPartnerId(extra, 'csp');
  rows = partnerIdRows((await e.client.get('/account/identifiers')).text);
  assert.equal(rows.find(r => r.id === extra).csp, 'yes');
  assert.deepEqual(rows.filter(r => r.csp !== undefined).map(r => r.id), [extra], 'only the linked one is marked');
});

test('Settings > Account settings > Identifiers: reached by following the links from the dashboard, in English and in French', async () => {
  const e = await enrolledCompany();
  for (const [lang, accountLabel, idsLabel] of [['en', 'Account settings', 'Identifiers'], ['fr', 'Paramètres du compte', 'Identificateurs']]) {
    const d = await e.client.get(`/dashboard?lang=${lang}`);
    assert.equal(d.status, 200);
    assert.equal(htmlLang(d.text), lang);
    assert.ok(tagsWith(d.text, 'a', 'href').some(a => a.href === '/settings'), `${lang}: the dashboard links to /settings`);
    const settings = await e.client.get('/settings');
    assert.equal(settings.status, 200);
    assert.equal(htmlLang(settings.text), lang, 'the language is remembered');
    const toAccount = linkByText(settings.text, accountLabel);
    assert.ok(toAccount, `${lang}: a link "${accountLabel}" on /settings`);
    assert.equal(pathOf(toAccount), '/settings/account');
    const account = await e.client.get(toAccount);
    assert.equal(account.status, 200);
    const toIds = linkByText(account.text, idsLabel);
    assert.ok(toIds, `${lang}: a link "${idsLabel}" on ${toAccount}`);
    const ids = await e.client.get(toIds);
    assert.equal(ids.status, 200);
    assert.equal(htmlLang(ids.text), lang);
    assert.deepEqual(liveIds(ids.text).sort(), [e.pga, e.pla].sort(), `${lang}: the IDs are at the end of the path`);
  }
});

test('Identifiers and Legal info exist in both languages (html lang, French labels)', async () => {
  const e = await enrolledCompany();
  const en = await e.client.get('/account/identifiers?lang=en');
  assert.equal(htmlLang(en.text), 'en');
  assert.ok(en.text.includes('Identifiers'));
  assert.ok(en.text.includes('Partner ID (formerly MPN ID)'));
  const fr = await e.client.get('/account/identifiers?lang=fr');
  assert.equal(fr.status, 200);
  assert.equal(htmlLang(fr.text), 'fr');
  assert.ok(fr.text.includes('Identificateurs'), 'French title');
  assert.ok(fr.text.includes('ID partenaire (anciennement ID MPN)'), 'French column label');
  assert.ok(!/>\s*(Identifiers|Partner ID \(formerly MPN ID\)|Deactivate|Delete)\s*</.test(fr.text), 'no English label left');
  assert.deepEqual(partnerIdRows(fr.text), partnerIdRows(en.text), 'same facts in both languages');
  const legal = await e.client.get('/account/legal');
  assert.equal(htmlLang(legal.text), 'fr', 'the language is remembered in a cookie');
  assert.ok(legal.text.includes('Informations légales'));
  assert.ok(legal.text.includes('ID partenaire (anciennement ID MPN)'));
  const back = await e.client.get('/account/legal?lang=en');
  assert.equal(htmlLang(back.text), 'en', '?lang=en switches back');
  assert.ok(back.text.includes('Partner ID (formerly MPN ID)') && !back.text.includes('Informations légales'));
});

// -------------------------------------------------------------------------------------- locations

test('adding a location issues a new 7-digit ID, shown on Identifiers; deactivate and reactivate change data-status', async () => {
  const e = await enrolledCompany();
  await e.client.get('/account/locations');
  let r = await e.client.post('/account/locations', {
    name: 'Northwind Madrid', country: 'ES', address_line1: 'Calle de Alcalá 1', address_line2: '', city: 'Madrid',
    region: '', postal_code: '28014', contact_name: 'Lucía Pérez', contact_email: e.email,
  });
  assert.equal(r.status, 303);
  const m = (r.location || '').match(/^\/account\/identifiers\?(?:.*&)?added=(\d+)/);
  assert.ok(m, `303 to /account/identifiers?added=<id>: ${r.location}`);
  const id = m[1];
  assert.match(id, ID7);
  assert.ok(![e.pga, e.pla].includes(id), 'a new ID');
  let page = await e.client.get(r.location);
  assert.deepEqual(tagsWith(page.text, '*', 'data-new-partner-id').map(a => a['data-new-partner-id']), [id]);
  let row = partnerIdRows(page.text).find(x => x.id === id);
  assert.deepEqual({ kind: row.kind, country: row.country, status: row.status }, { kind: 'location', country: 'ES', status: 'active' });
  assert.equal(countRows('partner_id_registry', `partner_id = ${quote(id)} AND tenant_id = ${e.tenant}`), 1);
  r = await e.client.post(`/account/locations/${id}/status`, { status: 'inactive' });
  assert.equal(r.status, 303, `deactivate answered ${r.status}`);
  page = await e.client.get('/account/identifiers');
  assert.equal(partnerIdRows(page.text).find(x => x.id === id).status, 'inactive');
  assert.equal(partnerIdRows(page.text).find(x => x.id === e.pla).status, 'active', 'the other location is untouched');
  assert.equal(partnerStatus(id), 'inactive');
  r = await e.client.post(`/account/locations/${id}/status`, { status: 'active' });
  assert.equal(r.status, 303, `reactivate answered ${r.status}`);
  assert.equal(partnerIdRows((await e.client.get('/account/identifiers')).text).find(x => x.id === id).status, 'active');
  const actions = sql(`SELECT action FROM audit_log WHERE object = ${quote(id)} ORDER BY id`).map(x => x[0]);
  assert.deepEqual(actions, ['location.add', 'location.deactivate', 'location.reactivate'], 'each change audited once');
});

test('adding a location validates its fields: 422 with data-field errors, values kept, no ID issued', async () => {
  const e = await enrolledCompany();
  const before = countRows('partner_id_registry', `tenant_id = ${e.tenant}`);
  await e.client.get('/account/locations');
  let r = await e.client.post('/account/locations', {
    name: '', country: 'XX', address_line1: '', address_line2: '', city: '', region: '', postal_code: '',
    contact_name: '', contact_email: 'nobody',
  });
  assert.equal(r.status, 422);
  for (const f of ['name', 'country', 'address_line1', 'city', 'contact_name', 'contact_email'])
    assert.ok(errorFields(r.text).has(f), `error on ${f}`);
  assert.equal(inputValue(r.text, 'contact_email'), 'nobody');
  assert.equal(countRows('partner_id_registry', `tenant_id = ${e.tenant}`), before);
});

test('the global ID cannot be deactivated; a CSP-linked location cannot be deactivated (409 with the reason)', async () => {
  const e = await enrolledCompany();
  await e.client.get('/account/identifiers');
  let r = await e.client.post(`/account/locations/${e.pga}/status`, { status: 'inactive' });
  assert.equal(r.status, 409, `deactivating the PGA answered ${r.status}`);
  assert.ok(tagsWith(r.text, '*', 'class').some(a => a.class.split(/\s+/).includes('error')), 'the reason is shown');
  assert.deepEqual(tagsWith(r.text, '*', 'data-refusal').map(a => a['data-refusal']), ['global']);
  assert.equal(partnerStatus(e.pga), 'active');
  linkPartnerId(e.pla, 'csp');
  r = await e.client.post(`/account/locations/${e.pla}/status`, { status: 'inactive' });
  assert.equal(r.status, 409, `deactivating the CSP location answered ${r.status}`);
  assert.match(r.text, /CSP/, 'the reason names CSP');
  assert.deepEqual(tagsWith(r.text, '*', 'data-refusal').map(a => a['data-refusal']), ['csp']);
  assert.equal(partnerStatus(e.pla), 'active');
  const other = await addLocation(e.client, e.email);
  r = await e.client.post(`/account/locations/${other}/status`, { status: 'inactive' });
  assert.equal(r.status, 303, 'an unlinked location can');
});

test('Identifiers offers Deactivate and Delete only where allowed: on the CSP location (and the global ID) the choice is disabled or absent with the reason; a refused POST is "409 Conflict" with a page that says what happened', async () => {
  const e = await enrolledCompany();
  const other = await addLocation(e.client, e.email);
  linkPartnerId(e.pla, 'csp');
  const page = await e.client.get('/account/identifiers');
  const rowHtml = id => (page.text.match(new RegExp(`<tr\\b[^>]*data-partner-id="${id}"[^>]*>([\\s\\S]*?)</tr>`)) || [])[1] || '';
  const visible = h => h.replace(/<span>\s*<\/span>/g, '');
  const csp = rowHtml(e.pla);
  assert.ok(csp, 'the CSP location row');
  assert.ok(tagsWith(csp, 'button').every(a => 'disabled' in a), 'its status button is disabled');
  assert.ok(!new RegExp(`href="/account/locations/${e.pla}/delete"`).test(csp), 'no delete link on the CSP location');
  const cspText = csp.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');
  assert.equal((csp.match(/class="reason"/g) || []).length, 2, 'a reason for each refused action');
  assert.ok(cspText.includes('This location is linked to your CSP enrollment: it must stay active.'), `the reason it stays active: ${cspText}`);
  assert.ok(cspText.includes('Cannot be deleted: This location is linked to your CSP enrollment and cannot be deleted.'), `the reason it cannot be deleted: ${cspText}`);
  const free = visible(rowHtml(other));
  assert.ok(tagsWith(free, 'button').some(a => !('disabled' in a)), 'an unlinked location can be deactivated');
  assert.match(free, new RegExp(`href="/account/locations/${other}/delete"`), 'and deleted');
  assert.ok(!/class="reason"/.test(free), 'with no reason shown');
  assert.ok(tagsWith(rowHtml(e.pga), 'button').length === 0, 'the global ID has no status button');
  const fr = await e.client.get('/account/identifiers?lang=fr');
  assert.match(fr.text, /Cet emplacement est lié à votre inscription CSP : il doit rester actif\./, 'the reason in French');
  const res = await fetch(`${BASE}/account/locations/${e.pla}/status`, { method: 'POST', redirect: 'manual',
    headers: { cookie: e.client.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: e.client.csrf, status: 'inactive' }).toString() });
  assert.equal(res.status, 409);
  assert.equal(res.statusText, 'Conflict', 'a real reason phrase, not "Unknown"');
  assert.equal(partnerStatus(e.pla), 'active');
});

test('addresses are laid out by country: a US location reads "street, city, ST ZIP" (region shown), a French one "street, postcode city"', async () => {
  const e = await enrolledCompany();
  await addLocation(e.client, e.email, { name: 'Springfield office', country: 'US', address_line1: '1 Main St', city: 'Springfield', region: 'IL', postal_code: '62701' });
  await addLocation(e.client, e.email, { name: 'Bureau Lyon', country: 'FR', address_line1: '3 quai Saint-Vincent', city: 'Lyon', postal_code: '69001' });
  const text = (await e.client.get('/account/locations')).text.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ');
  assert.ok(text.includes('1 Main St, Springfield, IL 62701, United States'), 'US order with the state and ZIP Code');
  assert.ok(!text.includes('62701 Springfield'), 'never the ZIP Code before a US city');
  assert.ok(text.includes('3 quai Saint-Vincent, 69001 Lyon, France'), 'French order');
});

// --------------------------------------------------------------------------------------- deletion

test('deleting with a wrong confirmation: 422 data-field="confirm", nothing changed', async () => {
  const e = await enrolledCompany();
  const extra = await addLocation(e.client, e.email);
  const page = await e.client.get(`/account/locations/${extra}/delete`);
  assert.equal(page.status, 200);
  assert.ok(hasFormTo(page.text, `/account/locations/${extra}/delete`), 'the confirmation form');
  for (const confirm of ['', e.pla, '1234567', extra.slice(0, 6), `${extra}0`, ' x ']) {
    const r = await e.client.post(`/account/locations/${extra}/delete`, { confirm });
    assert.equal(r.status, 422, `confirm="${confirm}" → ${r.status}`);
    assert.ok(errorFields(r.text).has('confirm'), `data-field="confirm" for "${confirm}"`);
  }
  const noField = await e.client.post(`/account/locations/${extra}/delete`, {});
  assert.equal(noField.status, 422, 'no confirm field at all');
  assert.equal(partnerStatus(extra), 'active');
  assert.equal(partnerStatus(e.pla), 'active');
  assert.equal(countRows('audit_log', `tenant_id = ${e.tenant} AND action = 'location.delete'`), 0);
  assert.ok(liveIds((await e.client.get('/account/identifiers')).text).includes(extra));
});

test('the last location cannot be deleted: the confirmation page shows .error[data-refusal="last_location"] and no form; POST 409', async () => {
  const e = await enrolledCompany();
  const page = await e.client.get(`/account/locations/${e.pla}/delete`);
  assert.equal(page.status, 200);
  const refusal = tagsWith(page.text, '*', 'data-refusal');
  assert.equal(refusal.length, 1);
  assert.equal(refusal[0]['data-refusal'], 'last_location');
  assert.ok((refusal[0].class || '').split(/\s+/).includes('error'), '.error[data-refusal]');
  assert.ok(textOf(page.text, 'data-refusal'), 'with the reason in words');
  assert.ok(!hasFormTo(page.text, `/account/locations/${e.pla}/delete`) && inputValue(page.text, 'confirm') === undefined, 'no form');
  await e.client.get('/account/identifiers');
  const r = await e.client.post(`/account/locations/${e.pla}/delete`, { confirm: e.pla });
  assert.equal(r.status, 409);
  assert.deepEqual(tagsWith(r.text, '*', 'data-refusal').map(a => a['data-refusal']), ['last_location']);
  assert.equal(partnerStatus(e.pla), 'active');
  const second = await addLocation(e.client, e.email);
  const r2 = await e.client.post(`/account/locations/${e.pla}/delete`, { confirm: e.pla });
  assert.equal(r2.status, 303, `with a second location the first may go: ${r2.status}`);
  const r3 = await e.client.post(`/account/locations/${second}/delete`, { confirm: second });
  assert.equal(r3.status, 409, 'now the second one is the last');
  assert.deepEqual(tagsWith(r3.text, '*', 'data-refusal').map(a => a['data-refusal']), ['last_location']);
  assert.equal(partnerStatus(second), 'active');
});

test('a location linked to CSP, to a profile or to a program cannot be deleted (409 with data-refusal naming the link)', async () => {
  const e = await enrolledCompany();
  for (const purpose of ['csp', 'profile', 'program']) {
    const id = await addLocation(e.client, e.email, { name: `Northwind ${purpose}` });
    linkPartnerId(id, purpose);
    const page = await e.client.get(`/account/locations/${id}/delete`);
    assert.equal(page.status, 200);
    assert.deepEqual(tagsWith(page.text, '*', 'data-refusal').map(a => a['data-refusal']), [purpose], `${purpose}: confirmation page`);
    assert.ok(inputValue(page.text, 'confirm') === undefined, `${purpose}: no confirmation input`);
    const r = await e.client.post(`/account/locations/${id}/delete`, { confirm: id });
    assert.equal(r.status, 409, `${purpose}: POST answered ${r.status}`);
    assert.deepEqual(tagsWith(r.text, '*', 'data-refusal').map(a => a['data-refusal']), [purpose]);
    assert.ok(textOf(r.text, 'data-refusal'), 'the reason in words');
    assert.equal(partnerStatus(id), 'active', `${purpose}: still there`);
  }
  assert.equal(countRows('audit_log', `tenant_id = ${e.tenant} AND action = 'location.delete'`), 0);
});

test('a normal extra location is deleted: gone from the table, listed as deleted, its ID stays reserved and is never reissued', async () => {
  const e = await enrolledCompany();
  const extra = await addLocation(e.client, e.email);
  await e.client.get(`/account/locations/${extra}/delete`);
  const r = await e.client.post(`/account/locations/${extra}/delete`, { confirm: extra });
  assert.equal(r.status, 303);
  assert.equal(pathOf(r.location), '/account/identifiers');
  assert.match(r.location, new RegExp(`[?&]deleted=${extra}(&|$)`));
  const page = await e.client.get('/account/identifiers');
  assert.ok(!liveIds(page.text).includes(extra), 'no longer a live row');
  assert.deepEqual(liveIds(page.text).sort(), [e.pga, e.pla].sort());
  assert.deepEqual(deletedPartnerIds(page.text), [extra], 'li[data-deleted-partner-id]');
  assert.equal(partnerStatus(extra), 'deleted');
  assert.equal(countRows('partner_id_registry', `partner_id = ${quote(extra)}`), 1, 'the registry keeps the ID');
  assert.equal(countRows('audit_log', `tenant_id = ${e.tenant} AND action = 'location.delete' AND object LIKE ${quote(`%${extra}%`)}`), 1);
  const later = [];
  for (let i = 0; i < 4; i++) later.push(await addLocation(e.client, e.email, { name: `Later ${i}` }));
  assert.ok(!later.includes(extra), 'later additions get other IDs');
  assert.equal(new Set([...later, e.pga, e.pla, extra]).size, 7);
  const status = await e.client.post(`/account/locations/${extra}/status`, { status: 'active' });
  assert.ok(status.status === 404 || status.status === 409, `POST status on a deleted ID answered ${status.status}`);
  assert.equal((await e.client.post(`/account/locations/${extra}/delete`, { confirm: extra })).status, 404, 'a deleted ID is gone');
  assert.equal(partnerStatus(extra), 'deleted', 'a deleted ID cannot come back');
});

test('deleting the global ID: an account admin is refused (global_admin_only); the global admin closes the account; re-enrolling gives new IDs', async () => {
  const e = await enrolledCompany();
  const extra = await addLocation(e.client, e.email);
  const old = [e.pga, e.pla, extra];
  const aa = await inviteUser(e.client, e.domain, 'account_admin');
  const refusedPage = await aa.client.get(`/account/locations/${e.pga}/delete`);
  assert.equal(refusedPage.status, 200);
  assert.deepEqual(tagsWith(refusedPage.text, '*', 'data-refusal').map(a => a['data-refusal']), ['global_admin_only']);
  const refused = await aa.client.post(`/account/locations/${e.pga}/delete`, { confirm: e.pga });
  assert.equal(refused.status, 409);
  assert.deepEqual(tagsWith(refused.text, '*', 'data-refusal').map(a => a['data-refusal']), ['global_admin_only']);
  for (const id of old) assert.equal(partnerStatus(id), 'active');
  await e.client.get(`/account/locations/${e.pga}/delete`);
  const wrong = await e.client.post(`/account/locations/${e.pga}/delete`, { confirm: e.pla });
  assert.equal(wrong.status, 422, 'the global ID must be typed too');
  assert.equal(partnerStatus(e.pga), 'active');
  const r = await e.client.post(`/account/locations/${e.pga}/delete`, { confirm: e.pga });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/dashboard?closed=1');
  for (const id of old) assert.equal(partnerStatus(id), 'deleted', `${id} deleted with the account`);
  assert.equal(countRows('audit_log', `tenant_id = ${e.tenant} AND action = 'account.close'`), 1, 'closing audited once');
  assert.equal(countRows('partner_id_registry', `tenant_id = ${e.tenant}`), 3, 'the IDs stay reserved');
  const legal = await e.client.get('/account/legal');
  assert.equal(legal.status, 200);
  assert.equal(tagsWith(legal.text, '*', 'data-partner-id').length, 0, 'Legal info: no partner ID any more');
  assert.equal(tagsWith(legal.text, '*', 'data-legal-name').length, 0, 'Legal info: not enrolled');
  const ids = await e.client.get('/account/identifiers');
  assert.equal(partnerIdRows(ids.text).length, 0, 'no live ID');
  assert.deepEqual(deletedPartnerIds(ids.text).sort(), [...old].sort(), 'all three listed as deleted');
  await e.client.get('/enroll');
  const again = await e.client.post('/enroll', enrollFields(e.email));
  assert.equal(again.status, 303, `re-enrolling answered ${again.status}`);
  const fresh = liveIds((await e.client.get('/account/identifiers')).text);
  assert.equal(fresh.length, 2);
  for (const id of fresh) { assert.match(id, ID7); assert.ok(!old.includes(id), `${id} is new`); }
  assert.equal(countRows('partner_id_registry', `tenant_id = ${e.tenant}`), 5);
});

test('the global ID cannot be deleted while a location is linked (data-refusal="linked_locations"); nothing changes', async () => {
  const e = await enrolledCompany();
  const extra = await addLocation(e.client, e.email);
  linkPartnerId(extra, 'profile');
  await e.client.get('/account/identifiers');
  const r = await e.client.post(`/account/locations/${e.pga}/delete`, { confirm: e.pga });
  assert.equal(r.status, 409);
  assert.deepEqual(tagsWith(r.text, '*', 'data-refusal').map(a => a['data-refusal']), ['linked_locations']);
  for (const id of [e.pga, e.pla, extra]) assert.equal(partnerStatus(id), 'active');
});

// ------------------------------------------------------------------------------------- legal info

test('legal info edited by the global admin and by an account admin: 303, new name shown, audited with before and after; a member gets 404', async () => {
  const e = await enrolledCompany();
  const legalForm = fields => ({
    legal_name: fields.legal_name, address_line1: '8 rue du Faubourg', address_line2: '', city: 'Paris', region: '',
    postal_code: '75008', phone: '+33 1 40 00 00 00', website: 'https://northwind.example', contact_name: 'Ana López',
    contact_email: e.email,
  });
  await e.client.get('/account/legal');
  let r = await e.client.post('/account/legal', legalForm({ legal_name: 'Northwind Groupe SA' }));
  assert.equal(r.status, 303);
  assert.equal(pathOf(r.location), '/account/legal');
  let page = await e.client.get(r.location);
  assert.equal(tagsWith(page.text, '*', 'data-legal-name')[0]['data-legal-name'], 'Northwind Groupe SA');
  let audit = sql(`SELECT before_json, after_json, actor_email, object FROM audit_log WHERE tenant_id = ${e.tenant} AND action = 'legal.update' ORDER BY id`);
  assert.equal(audit.length, 1, 'one legal.update row');
  assert.equal(audit[0][3], e.pga, 'the object is the global ID');
  assert.equal(JSON.parse(audit[0][0]).legal_name, 'Northwind Traders SARL', 'before: legal_name');
  assert.equal(JSON.parse(audit[0][1]).legal_name, 'Northwind Groupe SA', 'after: legal_name');
  assert.ok(audit[0][0].includes('Northwind Traders SARL'), `before holds the old name: ${audit[0][0]}`);
  assert.ok(audit[0][1].includes('Northwind Groupe SA'), `after holds the new name: ${audit[0][1]}`);
  assert.ok(!audit[0][1].includes('Northwind Traders SARL'), 'after no longer holds the old name');
  JSON.parse(audit[0][0]); JSON.parse(audit[0][1]);
  assert.equal(audit[0][2], e.email);
  const aa = await inviteUser(e.client, e.domain, 'account_admin');
  await aa.client.get('/account/legal');
  r = await aa.client.post('/account/legal', legalForm({ legal_name: 'Northwind Holding' }));
  assert.equal(r.status, 303, `account admin answered ${r.status}`);
  page = await e.client.get('/account/legal');
  assert.equal(tagsWith(page.text, '*', 'data-legal-name')[0]['data-legal-name'], 'Northwind Holding');
  audit = sql(`SELECT before_json, after_json, actor_email FROM audit_log WHERE tenant_id = ${e.tenant} AND action = 'legal.update' ORDER BY id`);
  assert.equal(audit.length, 2);
  assert.ok(audit[1][0].includes('Northwind Groupe SA') && audit[1][1].includes('Northwind Holding'));
  assert.equal(audit[1][2], aa.email);
  const bad = await aa.client.post('/account/legal', { ...legalForm({ legal_name: '' }), website: 'northwind' });
  assert.equal(bad.status, 422);
  assert.ok(errorFields(bad.text).has('legal_name'));
  assert.ok(errorFields(bad.text).has('website'));
  const m = await inviteUser(e.client, e.domain, 'member');
  const view = await m.client.get('/account/legal');
  assert.equal(view.status, 200, 'members read the legal info');
  assert.ok(!hasFormTo(view.text, '/account/legal'), 'but get no edit form');
  r = await m.client.post('/account/legal', legalForm({ legal_name: 'Hijacked Ltd' }));
  assert.equal(r.status, 404);
  assert.equal(sqlValue(`SELECT name FROM partner_accounts WHERE partner_id = ${quote(e.pga)}`), 'Northwind Holding');
  assert.equal(countRows('audit_log', `tenant_id = ${e.tenant} AND action = 'legal.update'`), 2);
});

// -------------------------------------------------------------------------------------- isolation

test('tenant isolation: company B gets 404 on A\'s location pages and forms, and never sees A\'s IDs', async () => {
  const a = await enrolledCompany();
  const b = await enrolledCompany();
  const extra = await addLocation(a.client, a.email);
  const aIds = [a.pga, a.pla, extra];
  await b.client.get('/account/identifiers');
  for (const id of aIds) {
    assert.equal((await b.client.get(`/account/locations/${id}/delete`)).status, 404, `GET delete ${id}`);
    assert.equal((await b.client.post(`/account/locations/${id}/delete`, { confirm: id })).status, 404, `POST delete ${id}`);
    assert.equal((await b.client.post(`/account/locations/${id}/status`, { status: 'inactive' })).status, 404, `POST status ${id}`);
    const getStatus = await b.client.get(`/account/locations/${id}/status`);
    const getStatusUnknown = await b.client.get('/account/locations/1000000/status');
    assert.equal(getStatus.status, getStatusUnknown.status, 'GET status answers as for an ID that does not exist');
    assert.ok(getStatus.status >= 400, `GET status ${id} answered ${getStatus.status}`);
  }
  for (const path of ['/account/identifiers', '/account/locations', '/account/legal', '/account/users', '/dashboard']) {
    const page = (await b.client.get(path)).text;
    for (const id of aIds) assert.ok(!page.includes(id), `${path} of B shows A's ${id}`);
  }
  for (const id of aIds) assert.equal(partnerStatus(id), 'active');
  const aa = await inviteUser(b.client, b.domain, 'account_admin');
  assert.equal((await aa.client.post(`/account/locations/${extra}/delete`, { confirm: extra })).status, 404, 'B\'s account admin too');
  assert.equal(partnerStatus(extra), 'active');
});

// -------------------------------------------------------------------------------------------- staff

test('staff users cannot act as a partner: 404 on the partner pages', async () => {
  const s = await staffMember('reviewer');
  for (const path of ['/enroll', '/account/identifiers', '/account/legal', '/settings', '/account/audit'])
    assert.equal((await s.client.get(path)).status, 404, path);
});

// ---- the quota on partner IDs per company (issue 10): [partners] max_ids, default 200 ----

const maxIds = () => Number(configValue('partners', 'max_ids', '200'));
// Reserves IDs for the tenant straight in the registry until it holds n (the quota counts every
// ID ever issued, deleted ones included).
function fillRegistry(tenant, n) {
  for (let i = 0; i < 50 && countRows('partner_id_registry', `tenant_id = ${tenant}`) < n; i++) {
    const missing = n - countRows('partner_id_registry', `tenant_id = ${tenant}`);
    sql(`INSERT IGNORE INTO partner_id_registry (partner_id, tenant_id) SELECT LPAD(FLOOR(1000000 + RAND() * 9000000), 7, '0'), ${tenant} FROM seq_1_to_${missing}`);
  }
  assert.equal(countRows('partner_id_registry', `tenant_id = ${tenant}`), n);
}

test('quota: a company adds locations up to [partners] max_ids partner IDs; the next one → 422 with the reason on the page, in both languages, nothing issued', async () => {
  const max = maxIds();
  assert.ok(max >= 3, `max_ids ${max}`);
  const e = await enrolledCompany();
  fillRegistry(e.tenant, max - 1);
  const last = await addLocation(e.client, e.email, { name: 'The last one' });
  assert.ok(ID7.test(last));
  assert.equal(countRows('partner_id_registry', `tenant_id = ${e.tenant}`), max);
  const adds = countRows('audit_log', `tenant_id = ${e.tenant} AND action = 'location.add'`);
  await e.client.get('/account/locations');
  const fields = { name: 'One too many', country: 'FR', address_line1: '3 quai Saint-Vincent', address_line2: '', city: 'Lyon', region: '', postal_code: '69001', contact_name: 'Léa Martin', contact_email: e.email };
  const r = await e.client.post('/account/locations', fields);
  assert.equal(r.status, 422);
  assert.match(fieldErrors(r.text).quota || '', /reached its limit of partner IDs/);
  assert.match(r.text, new RegExp(`data-quota-max="${max}"`));
  assert.equal(inputValue(r.text, 'name'), 'One too many', 'the entered values are kept');
  const fr = await e.client.post('/account/locations?lang=fr', fields);
  assert.equal(fr.status, 422);
  assert.match(fieldErrors(fr.text).quota || '', /a atteint sa limite d’ID partenaire/);
  await e.client.get('/account/locations?lang=en');
  assert.equal(countRows('partner_id_registry', `tenant_id = ${e.tenant}`), max, 'no ID issued');
  assert.equal(countRows('partner_accounts', `tenant_id = ${e.tenant} AND name = 'One too many'`), 0);
  assert.equal(countRows('audit_log', `tenant_id = ${e.tenant} AND action = 'location.add'`), adds);
});

test('quota: deleted IDs count (they stay reserved), and another company is not affected', async () => {
  const max = maxIds();
  const e = await enrolledCompany();
  const extra = await addLocation(e.client, e.email);
  fillRegistry(e.tenant, max);
  await e.client.get(`/account/locations/${extra}/delete`);
  assert.equal((await e.client.post(`/account/locations/${extra}/delete`, { confirm: extra })).status, 303);
  await e.client.get('/account/locations');
  const r = await e.client.post('/account/locations', { name: 'After a deletion', country: 'FR', address_line1: '3 quai Saint-Vincent', address_line2: '', city: 'Lyon', region: '', postal_code: '69001', contact_name: 'Léa Martin', contact_email: e.email });
  assert.equal(r.status, 422, 'a deletion frees no room in the quota');
  assert.ok(fieldErrors(r.text).quota);
  const other = await enrolledCompany();
  assert.ok(ID7.test(await addLocation(other.client, other.email)), 'the quota is per company');
});


await run();
