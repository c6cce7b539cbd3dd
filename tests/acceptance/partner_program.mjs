// Partner program (DOMAIN §2, CONTRACT "Partner program and IDs"): enrollment, partner IDs, Legal
// info, Settings > Account settings > Identifiers, locations (add, deactivate, delete), tenant
// isolation, both languages. Every test starts from its own company.
import {
  test, run, assert, Client, signUp, verifyEmail, waitMail, linkIn, sql, sqlValue, countRows, quote, fieldErrors,
  uniqueDomain,
} from './lib.mjs';

const idRows = html => [...html.matchAll(/<tr data-partner-id="(\d+)"([^>]*)>/g)].map(m => ({
  id: m[1],
  kind: (m[2].match(/data-kind="([^"]*)"/) || [])[1],
  country: (m[2].match(/data-country="([^"]*)"/) || [])[1],
  status: (m[2].match(/data-status="([^"]*)"/) || [])[1],
  csp: (m[2].match(/data-csp="([^"]*)"/) || [])[1],
}));
const tenantOf = email => sqlValue(`SELECT tenant_id FROM users WHERE email = ${quote(email)}`);
const accountId = pid => sqlValue(`SELECT id FROM partner_accounts WHERE partner_id = ${quote(pid)}`);

function enrollFields(email, over = {}) {
  return {
    legal_name: 'Contoso Conseil SAS', country: 'FR', address_line1: '12 rue de la Paix', address_line2: '',
    city: 'Paris', region: '', postal_code: '75002', phone: '+33 1 23 45 67 89', website: 'https://contoso.example',
    contact_name: 'Ana López', contact_email: email, ...over,
  };
}

// A verified global admin of a new company, signed in (not enrolled).
async function verifiedAdmin(opts = {}) {
  const s = await signUp(opts);
  await verifyEmail(s.email);
  await s.client.get('/dashboard');
  return s;
}

// A verified admin whose company is enrolled: { client, email, pga, pla }.
async function enrolled(opts = {}) {
  const s = await verifiedAdmin(opts);
  await s.client.get('/enroll');
  const r = await s.client.post('/enroll', enrollFields(s.email, opts.fields || {}));
  assert.equal(r.status, 303, `enrollment answered ${r.status}: ${r.text.slice(0, 300)}`);
  const ids = idRows((await s.client.get('/account/identifiers')).text);
  return { ...s, pga: ids.find(i => i.kind === 'global').id, pla: ids.find(i => i.kind === 'location').id };
}

async function addLocation(c, email, over = {}) {
  await c.get('/account/locations');
  const r = await c.post('/account/locations', {
    name: 'Contoso Lyon', country: 'FR', address_line1: '2 quai Saint-Antoine', address_line2: '', city: 'Lyon',
    region: '', postal_code: '69002', contact_name: 'Léa Martin', contact_email: email, ...over,
  });
  assert.equal(r.status, 303, `adding a location answered ${r.status}: ${r.text.slice(0, 300)}`);
  const m = r.location.match(/added=(\d{7})$/);
  assert.ok(m, `redirect names the new ID: ${r.location}`);
  return m[1];
}

// An invited user of c's company with role, signed in.
async function invitee(c, domain, role) {
  const email = `user.${Math.random().toString(36).slice(2, 8)}@${domain}`;
  await c.get('/account/users');
  const r = await c.post('/account/users', { email, display_name: 'Invited User', role });
  assert.equal(r.status, 303, `invite answered ${r.status}`);
  const mail = await waitMail(email, /set-password\?token=/);
  const url = linkIn(mail, '/set-password?token=');
  const u = new Client();
  await u.get(url.pathname + url.search);
  const pw = 'invited password 2026';
  const s = await u.post('/set-password', { token: url.searchParams.get('token'), password: pw, password_confirm: pw });
  assert.equal(s.status, 303);
  await u.get('/dashboard');
  return { client: u, email };
}

test('enrollment creates a global ID and a location ID in the chosen country, both 7 digits and distinct', async () => {
  const s = await verifiedAdmin();
  const tenant = tenantOf(s.email);
  const form = await s.client.get('/enroll');
  assert.equal(form.status, 200);
  const r = await s.client.post('/enroll', enrollFields(s.email, { country: 'BE' }));
  assert.equal(r.status, 303);
  assert.equal(r.location.split('?')[0], '/account/identifiers');
  const ids = idRows((await s.client.get('/account/identifiers')).text);
  assert.equal(ids.length, 2);
  const g = ids.find(i => i.kind === 'global'), l = ids.find(i => i.kind === 'location');
  assert.ok(g && l, 'one global, one location');
  assert.match(g.id, /^\d{7}$/);
  assert.match(l.id, /^\d{7}$/);
  assert.notEqual(g.id, l.id);
  assert.equal(l.country, 'BE');
  assert.equal(l.status, 'active');
  assert.equal(countRows('partner_id_registry', `tenant_id = ${tenant}`), 2);
  assert.equal(countRows('audit_log', `tenant_id = ${tenant} AND action = 'partner.enroll'`), 1);
});

test('Legal info shows the PGA ID as "Partner ID (formerly MPN ID)", the legal name and a status per program, in both languages', async () => {
  const e = await enrolled();
  const en = await e.client.get('/account/legal');
  assert.equal(en.status, 200);
  assert.match(en.text, new RegExp(`data-partner-id="${e.pga}"`));
  assert.doesNotMatch(en.text, new RegExp(`data-partner-id="${e.pla}"`), 'only the PGA ID is the partner ID here');
  assert.match(en.text, /data-legal-name="Contoso Conseil SAS"/);
  assert.match(en.text, /Partner ID \(formerly MPN ID\)/);
  assert.match(en.text, /data-program="partner"[^>]*data-verification-status="verified"/);
  assert.match(en.text, /data-program="csp"[^>]*data-verification-status="not_enrolled"/);
  const fr = await e.client.get('/account/legal?lang=fr');
  assert.match(fr.text, /<html lang="fr"/);
  assert.match(fr.text, /ID partenaire \(anciennement ID MPN\)/);
  assert.match(fr.text, /Informations légales/);
});

test('every missing or invalid enrollment field gets a 422 with data-field, values kept, nothing created', async () => {
  const s = await verifiedAdmin();
  const tenant = tenantOf(s.email);
  await s.client.get('/enroll');
  const cases = [
    ['legal_name', ''], ['country', ''], ['country', 'XX'], ['address_line1', ''], ['city', ''],
    ['phone', ''], ['phone', 'call me'], ['website', ''], ['website', 'ftp://contoso.example'],
    ['website', 'javascript:alert(1)'], ['contact_name', ''], ['contact_email', 'not-an-email'], ['postal_code', '750<02'],
  ];
  for (const [field, value] of cases) {
    const r = await s.client.post('/enroll', enrollFields(s.email, { [field]: value }));
    assert.equal(r.status, 422, `${field}=${value} → ${r.status}`);
    assert.ok(fieldErrors(r.text)[field], `error next to ${field} for "${value}"`);
    if (field !== 'city') assert.match(r.text, /name="city"[^>]*value="Paris"/, 'other values kept');
    else assert.match(r.text, /name="postal_code"[^>]*value="75002"/, 'other values kept');
  }
  assert.equal(countRows('partner_accounts', `tenant_id = ${tenant}`), 0);
  assert.equal(countRows('partner_id_registry', `tenant_id = ${tenant}`), 0);
});

test('an unverified admin is refused (403), a member gets 404, signed out gets /signin, no CSRF gets 403: nothing created', async () => {
  const s = await signUp();
  const tenant = tenantOf(s.email);
  await s.client.get('/enroll');
  const r = await s.client.post('/enroll', enrollFields(s.email));
  assert.equal(r.status, 403);
  assert.match(r.text, /[Vv]erify your email/);
  await verifyEmail(s.email);
  const m = await invitee(s.client, s.domain, 'member');
  assert.equal((await m.client.get('/enroll')).status, 404);
  assert.equal((await m.client.post('/enroll', enrollFields(m.email))).status, 404);
  const anon = await new Client().get('/enroll');
  assert.equal(anon.status, 303);
  assert.equal(anon.location, '/signin');
  await s.client.get('/dashboard');
  const noCsrf = await s.client.post('/enroll', enrollFields(s.email), { csrf: null });
  assert.equal(noCsrf.status, 403);
  assert.equal(countRows('partner_accounts', `tenant_id = ${tenant}`), 0);
});

test('enrolling twice is refused with a clear message and issues no new ID', async () => {
  const e = await enrolled();
  const tenant = tenantOf(e.email);
  await e.client.get('/enroll');
  const r = await e.client.post('/enroll', enrollFields(e.email));
  assert.equal(r.status, 409);
  assert.match(r.text, /data-error="already_enrolled"/);
  assert.match(r.text, /already enrolled/);
  assert.equal(countRows('partner_id_registry', `tenant_id = ${tenant}`), 2);
});

test('concurrent enrollments never collide: 12 companies at once get 24 distinct IDs; 5 parallel tries of one company make one PGA', async () => {
  const admins = await Promise.all(Array.from({ length: 12 }, () => verifiedAdmin()));
  for (const a of admins) await a.client.get('/enroll');
  const res = await Promise.all(admins.map(a => a.client.post('/enroll', enrollFields(a.email))));
  assert.deepEqual(res.map(r => r.status), Array(12).fill(303));
  const tenants = admins.map(a => tenantOf(a.email)).join(',');
  const ids = sql(`SELECT partner_id FROM partner_accounts WHERE tenant_id IN (${tenants})`).map(r => r[0]);
  assert.equal(ids.length, 24);
  assert.equal(new Set(ids).size, 24, 'all distinct');
  assert.ok(ids.every(i => /^\d{7}$/.test(i)));
  const one = await verifiedAdmin();
  await one.client.get('/enroll');
  const tries = await Promise.all(Array.from({ length: 5 }, () => one.client.post('/enroll', enrollFields(one.email))));
  assert.equal(tries.filter(r => r.status === 303).length, 1, `statuses ${tries.map(r => r.status)}`);
  assert.ok(tries.every(r => r.status === 303 || r.status === 409));
  assert.equal(countRows('partner_accounts', `tenant_id = ${tenantOf(one.email)} AND kind = 'global'`), 1);
});

test('Settings > Account settings > Identifiers is reachable by following the links, in English and in French', async () => {
  const e = await enrolled();
  for (const [lang, account, ids] of [['en', 'Account settings', 'Identifiers'], ['fr', 'Paramètres du compte', 'Identificateurs']]) {
    const d = await e.client.get(`/dashboard?lang=${lang}`);
    assert.match(d.text, /<a href="\/settings"/, 'Settings from the dashboard');
    const s = await e.client.get('/settings');
    const a = s.text.match(new RegExp(`<a href="([^"]+)">${account}</a>`));
    assert.ok(a, `link "${account}" on /settings`);
    const as = await e.client.get(a[1]);
    assert.equal(as.status, 200);
    const i = as.text.match(new RegExp(`<a href="([^"]+)">${ids}</a>`));
    assert.ok(i, `link "${ids}" on ${a[1]}`);
    const page = await e.client.get(i[1]);
    assert.equal(page.status, 200);
    assert.equal(idRows(page.text).length, 2);
    assert.match(page.text, new RegExp(`<html lang="${lang}"`));
  }
});

test('the location linked to CSP is marked data-csp="yes" on Identifiers', async () => {
  const e = await enrolled();
  sql(`INSERT INTO partner_id_links (partner_account_id, purpose, ref) VALUES (${accountId(e.pla)}, 'csp', 'test')`);
  const ids = idRows((await e.client.get('/account/identifiers')).text);
  assert.equal(ids.find(i => i.id === e.pla).csp, 'yes');
  assert.equal(ids.find(i => i.id === e.pga).csp, undefined);
});

test('adding a location issues a new ID; deactivate and reactivate change its status, audited', async () => {
  const e = await enrolled();
  const id = await addLocation(e.client, e.email);
  assert.ok(![e.pga, e.pla].includes(id));
  let page = await e.client.get(`/account/identifiers?added=${id}`);
  assert.match(page.text, new RegExp(`data-new-partner-id="${id}"`));
  assert.equal(idRows(page.text).find(i => i.id === id).status, 'active');
  let r = await e.client.post(`/account/locations/${id}/status`, { status: 'inactive' });
  assert.equal(r.status, 303);
  page = await e.client.get('/account/identifiers');
  assert.equal(idRows(page.text).find(i => i.id === id).status, 'inactive');
  r = await e.client.post(`/account/locations/${id}/status`, { status: 'active' });
  assert.equal(r.status, 303);
  assert.equal(idRows((await e.client.get('/account/identifiers')).text).find(i => i.id === id).status, 'active');
  const actions = sql(`SELECT action FROM audit_log WHERE object = ${quote(id)} ORDER BY id`).map(x => x[0]);
  assert.deepEqual(actions, ['location.add', 'location.deactivate', 'location.reactivate']);
  const bad = await e.client.post('/account/locations', { name: '', country: 'ZZ', address_line1: '', city: '', contact_name: '', contact_email: 'x' });
  assert.equal(bad.status, 422);
  for (const f of ['name', 'country', 'address_line1', 'city', 'contact_name', 'contact_email']) assert.ok(fieldErrors(bad.text)[f], f);
});

test('the global ID and a CSP-linked location cannot be deactivated (409, reason shown)', async () => {
  const e = await enrolled();
  let r = await e.client.post(`/account/locations/${e.pga}/status`, { status: 'inactive' });
  assert.equal(r.status, 409);
  assert.match(r.text, /data-refusal="global"/);
  sql(`INSERT INTO partner_id_links (partner_account_id, purpose, ref) VALUES (${accountId(e.pla)}, 'csp', 'test')`);
  r = await e.client.post(`/account/locations/${e.pla}/status`, { status: 'inactive' });
  assert.equal(r.status, 409);
  assert.match(r.text, /data-refusal="csp"/);
  assert.equal(sqlValue(`SELECT status FROM partner_accounts WHERE partner_id = ${quote(e.pla)}`), 'active');
});

test('deleting needs the ID typed exactly; the last location and linked locations are refused with the reason', async () => {
  const e = await enrolled();
  let r = await e.client.post(`/account/locations/${e.pla}/delete`, { confirm: e.pla });
  assert.equal(r.status, 409);
  assert.match(r.text, /data-refusal="last_location"/);
  const form = await e.client.get(`/account/locations/${e.pla}/delete`);
  assert.equal(form.status, 200);
  assert.match(form.text, /data-refusal="last_location"/, 'the confirmation page says why at once');
  const extra = await addLocation(e.client, e.email);
  r = await e.client.post(`/account/locations/${extra}/delete`, { confirm: '1234567' });
  assert.equal(r.status, 422);
  assert.ok(fieldErrors(r.text).confirm);
  r = await e.client.post(`/account/locations/${extra}/delete`, { confirm: '' });
  assert.equal(r.status, 422);
  for (const purpose of ['csp', 'profile', 'program']) {
    const linked = await addLocation(e.client, e.email, { name: `Linked ${purpose}` });
    sql(`INSERT INTO partner_id_links (partner_account_id, purpose, ref) VALUES (${accountId(linked)}, '${purpose}', 'test')`);
    r = await e.client.post(`/account/locations/${linked}/delete`, { confirm: linked });
    assert.equal(r.status, 409, purpose);
    assert.match(r.text, new RegExp(`data-refusal="${purpose}"`));
    assert.equal(sqlValue(`SELECT status FROM partner_accounts WHERE partner_id = ${quote(linked)}`), 'active');
  }
  assert.equal(sqlValue(`SELECT status FROM partner_accounts WHERE partner_id = ${quote(extra)}`), 'active');
});

test('a deleted location leaves the table, is listed as deleted, stays reserved and is never issued again', async () => {
  const e = await enrolled();
  const extra = await addLocation(e.client, e.email);
  const r = await e.client.post(`/account/locations/${extra}/delete`, { confirm: extra });
  assert.equal(r.status, 303);
  assert.match(r.location, new RegExp(`deleted=${extra}`));
  const page = await e.client.get('/account/identifiers');
  assert.ok(!idRows(page.text).some(i => i.id === extra), 'not in the live table');
  assert.match(page.text, new RegExp(`data-deleted-partner-id="${extra}"`));
  assert.equal(countRows('partner_id_registry', `partner_id = ${quote(extra)}`), 1, 'still reserved');
  assert.equal(countRows('audit_log', `object = ${quote(extra)} AND action = 'location.delete'`), 1);
  const again = await addLocation(e.client, e.email);
  assert.notEqual(again, extra);
  assert.equal((await e.client.post(`/account/locations/${extra}/delete`, { confirm: extra })).status, 404, 'a deleted ID is gone');
});

test('deleting the global ID closes the account (global admin only); the company may enroll again with new IDs', async () => {
  const e = await enrolled();
  const extra = await addLocation(e.client, e.email);
  const aa = await invitee(e.client, e.domain, 'account_admin');
  let r = await aa.client.post(`/account/locations/${e.pga}/delete`, { confirm: e.pga });
  assert.equal(r.status, 409);
  assert.match(r.text, /data-refusal="global_admin_only"/);
  await e.client.get('/account/identifiers');
  r = await e.client.post(`/account/locations/${e.pga}/delete`, { confirm: e.pga });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/dashboard?closed=1');
  const tenant = tenantOf(e.email);
  assert.equal(countRows('partner_accounts', `tenant_id = ${tenant} AND status <> 'deleted'`), 0);
  assert.equal(countRows('audit_log', `tenant_id = ${tenant} AND action = 'account.close'`), 1);
  const legal = await e.client.get('/account/legal');
  assert.doesNotMatch(legal.text, /data-partner-id=/);
  await e.client.get('/enroll');
  r = await e.client.post('/enroll', enrollFields(e.email));
  assert.equal(r.status, 303, 'enrolls again');
  const ids = idRows((await e.client.get('/account/identifiers')).text).map(i => i.id);
  assert.equal(ids.length, 2);
  for (const old of [e.pga, e.pla, extra]) assert.ok(!ids.includes(old), `${old} not reissued`);
});

test('legal info is edited by global and account admins, audited with before and after; a member gets 404', async () => {
  const e = await enrolled();
  await e.client.get('/account/legal');
  let r = await e.client.post('/account/legal', { ...enrollFields(e.email), legal_name: 'Contoso Groupe SA' });
  assert.equal(r.status, 303);
  assert.match((await e.client.get('/account/legal')).text, /data-legal-name="Contoso Groupe SA"/);
  const row = sql(`SELECT before_json, after_json FROM audit_log WHERE object = ${quote(e.pga)} AND action = 'legal.update'`);
  assert.equal(row.length, 1);
  assert.equal(JSON.parse(row[0][0]).legal_name, 'Contoso Conseil SAS');
  assert.equal(JSON.parse(row[0][1]).legal_name, 'Contoso Groupe SA');
  const aa = await invitee(e.client, e.domain, 'account_admin');
  await aa.client.get('/account/legal');
  r = await aa.client.post('/account/legal', { ...enrollFields(e.email), legal_name: 'Contoso Holding' });
  assert.equal(r.status, 303);
  const bad = await aa.client.post('/account/legal', { ...enrollFields(e.email), legal_name: '', website: 'contoso' });
  assert.equal(bad.status, 422);
  assert.ok(fieldErrors(bad.text).legal_name && fieldErrors(bad.text).website);
  const m = await invitee(e.client, e.domain, 'member');
  const view = await m.client.get('/account/legal');
  assert.equal(view.status, 200, 'members may read the legal info');
  assert.doesNotMatch(view.text, /action="\/account\/legal"/, 'but get no edit form');
  assert.equal((await m.client.post('/account/legal', { ...enrollFields(e.email), legal_name: 'Hijack' })).status, 404);
  assert.match((await e.client.get('/account/legal')).text, /data-legal-name="Contoso Holding"/);
});

test('tenant isolation: another company gets 404 on this company\'s IDs and never sees them', async () => {
  const a = await enrolled();
  const b = await enrolled();
  const extra = await addLocation(a.client, a.email);
  await b.client.get('/account/identifiers');
  for (const [method, path, fields] of [
    ['GET', `/account/locations/${extra}/delete`],
    ['POST', `/account/locations/${extra}/delete`, { confirm: extra }],
    ['POST', `/account/locations/${extra}/status`, { status: 'inactive' }],
    ['POST', `/account/locations/${a.pga}/delete`, { confirm: a.pga }],
  ]) {
    const r = method === 'GET' ? await b.client.get(path) : await b.client.post(path, fields);
    assert.equal(r.status, 404, `${method} ${path}`);
  }
  const page = (await b.client.get('/account/identifiers')).text;
  for (const id of [a.pga, a.pla, extra]) assert.doesNotMatch(page, new RegExp(id));
  assert.equal(sqlValue(`SELECT status FROM partner_accounts WHERE partner_id = ${quote(extra)}`), 'active');
  assert.equal(countRows('partner_accounts', `partner_id = ${quote(a.pga)} AND status = 'active'`), 1);
});

test('roles other than global and account admin get 404 on the ID pages and forms', async () => {
  const e = await enrolled();
  for (const role of ['profile_admin', 'referral_admin', 'member']) {
    const u = await invitee(e.client, e.domain, role);
    for (const path of ['/account/identifiers', '/account/locations', `/account/locations/${e.pla}/delete`, '/account/users'])
      assert.equal((await u.client.get(path)).status, 404, `${role} GET ${path}`);
    await u.client.get('/dashboard');
    for (const [path, fields] of [['/account/locations', { name: 'X' }], [`/account/locations/${e.pla}/status`, { status: 'inactive' }],
      [`/account/locations/${e.pla}/delete`, { confirm: e.pla }]])
      assert.equal((await u.client.post(path, fields)).status, 404, `${role} POST ${path}`);
  }
  const aa = await invitee(e.client, e.domain, 'account_admin');
  assert.equal((await aa.client.get('/account/identifiers')).status, 200, 'account admin may');
  assert.equal(idRows((await aa.client.get('/account/identifiers')).text).length, 2);
});

test('staff users cannot act as a partner: 404 on the partner pages', async () => {
  const email = `staff.${uniqueDomain('st')}`.replace('staff.', 'staff@');
  const { ctl } = await import('./lib.mjs');
  const out = ctl(['staff', 'add', email, '--role', 'reviewer'], { input: 'reviewer password 2026\n' });
  assert.equal(out.status, 0, out.stderr);
  const s = new Client();
  await s.get('/signin');
  assert.equal((await s.post('/signin', { email, password: 'reviewer password 2026' })).status, 303);
  for (const path of ['/enroll', '/account/identifiers', '/account/legal', '/settings', '/account/audit'])
    assert.equal((await s.get(path)).status, 404, path);
});

await run();
