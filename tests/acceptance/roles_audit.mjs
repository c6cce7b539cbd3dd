// Roles (DOMAIN §1: referral admins scoped to partner IDs or all; only a global admin grants
// global_admin) through the roles form, every non-admin role against every admin page and form, and
// the append-only audit log (who, when, what, before/after; tenant's rows for its global admins,
// every row for staff; CSV export). One test per scenario.
import {
  test, run, assert, sql, sqlValue, countRows, quote, userId, rolesOf, tenantIdOf,
  enrolledCompany, inviteUser, addLocation, staffMember, partnerIdRows, partnerStatus, tagsWith, errorFields, postForm,
} from './lib.mjs';

// RFC 4180: quoted fields may hold commas, CRLF and doubled quotes.
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') q = false; else cell += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += ch;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

const rowOf = (html, id) => tagsWith(html, 'tr', 'data-user-id').find(a => a['data-user-id'] === String(id)) || {};

const auditRows = html => tagsWith(html, 'tr', 'data-audit').map(a => ({ id: a['data-audit'], action: a['data-action'] }));

test('an invited member made account_admin through the roles form opens the admin pages; made member again, 404', async () => {
  const e = await enrolledCompany();
  const u = await inviteUser(e.client, e.domain, 'member');
  assert.equal((await u.client.get('/account/identifiers')).status, 404, 'a member first');
  await e.client.get('/account/users');
  let r = await postForm(e.client, `/account/users/${u.id}/roles`, [['role', 'account_admin']]);
  assert.equal(r.status, 303, `granting account_admin answered ${r.status}`);
  assert.equal(rowOf((await e.client.get('/account/users')).text, u.id)['data-roles'], 'account_admin');
  const ids = await u.client.get('/account/identifiers');
  assert.equal(ids.status, 200, 'the new account admin opens Identifiers');
  assert.deepEqual(partnerIdRows(ids.text).map(x => x.id).sort(), [e.pga, e.pla].sort());
  for (const path of ['/account/locations', '/account/users', `/account/locations/${e.pla}/delete`])
    assert.equal((await u.client.get(path)).status, 200, `account admin GET ${path}`);
  for (const path of ['/account/audit', '/account/audit.csv'])
    assert.equal((await u.client.get(path)).status, 404, `the audit log stays for global admins (${path})`);
  r = await postForm(e.client, `/account/users/${u.id}/roles`, [['role', 'member']]);
  assert.equal(r.status, 303);
  assert.equal((await u.client.get('/account/identifiers')).status, 404, 'the right goes with the role, at once');
  assert.equal(rolesOf(u.id), 'member:*');
});

test('profile_admin, referral_admin and member get 404 on the account admin pages and on every admin form, which change nothing', async () => {
  const e = await enrolledCompany();
  const extra = await addLocation(e.client, e.email);
  const victim = await inviteUser(e.client, e.domain, 'member');
  const registry = countRows('partner_id_registry', `tenant_id = ${e.tenant}`);
  for (const role of ['profile_admin', 'referral_admin', 'member']) {
    const u = await inviteUser(e.client, e.domain, role);
    const before = rolesOf(u.id);
    for (const path of ['/account/identifiers', '/account/locations', '/account/users', '/account/audit', '/account/audit.csv',
      `/account/locations/${extra}/delete`, '/enroll'])
      assert.equal((await u.client.get(path)).status, 404, `${role} GET ${path}`);
    await u.client.get('/account/legal');
    assert.ok(u.client.csrf, 'a csrf token of its own session');
    const invitee = `x.${role}@${e.domain}`;
    for (const [path, pairs] of [
      ['/account/locations', [['name', 'Rogue'], ['country', 'FR'], ['address_line1', '1 rue'], ['city', 'Paris'], ['contact_name', 'R'], ['contact_email', e.email]]],
      [`/account/locations/${extra}/status`, [['status', 'inactive']]],
      [`/account/locations/${extra}/delete`, [['confirm', extra]]],
      [`/account/locations/${e.pga}/delete`, [['confirm', e.pga]]],
      ['/account/users', [['email', invitee], ['display_name', 'Rogue'], ['role', 'global_admin']]],
      [`/account/users/${u.id}/roles`, [['role', 'global_admin']]],
      [`/account/users/${victim.id}/roles`, [['role', 'account_admin']]],
      ['/account/legal', [['legal_name', 'Rogue SA'], ['address_line1', '1 rue'], ['city', 'Paris'], ['phone', '+33 1 00 00 00 00'], ['website', 'https://rogue.example'], ['contact_name', 'R'], ['contact_email', e.email]]],
    ]) {
      const r = await postForm(u.client, path, pairs);
      assert.equal(r.status, 404, `${role} POST ${path} answered ${r.status}`);
    }
    assert.equal(rolesOf(u.id), before, `${role}: own roles unchanged`);
    assert.equal(countRows('users', `email = ${quote(invitee)}`), 0, `${role}: nobody invited`);
  }
  assert.equal(rolesOf(victim.id), 'member:*');
  assert.equal(countRows('partner_id_registry', `tenant_id = ${e.tenant}`), registry, 'no ID issued');
  for (const id of [e.pga, e.pla, extra]) assert.equal(partnerStatus(id), 'active');
  assert.equal(sqlValue(`SELECT name FROM partner_accounts WHERE partner_id = ${quote(e.pga)}`), 'Northwind Traders SARL');
});

test('roles form: only a global admin grants global_admin (an account admin gets 422 data-field="role", even alongside another role, and cannot demote a global admin); nobody drops their own admin role', async () => {
  const e = await enrolledCompany();
  const aa = await inviteUser(e.client, e.domain, 'account_admin');
  const m = await inviteUser(e.client, e.domain, 'member');
  await aa.client.get('/account/users');
  let r = await postForm(aa.client, `/account/users/${m.id}/roles`, [['role', 'global_admin']]);
  assert.equal(r.status, 422);
  assert.ok(errorFields(r.text).has('role'), 'error on role');
  r = await postForm(aa.client, `/account/users/${m.id}/roles`, [['role', 'member'], ['role', 'global_admin']]);
  assert.equal(r.status, 422, 'not even alongside another role');
  assert.equal(rolesOf(m.id), 'member:*');
  const gid = userId(e.email);
  r = await postForm(aa.client, `/account/users/${gid}/roles`, [['role', 'member']]);
  assert.equal(r.status, 422, 'an account admin cannot demote a global admin');
  await e.client.get('/account/users');
  for (const roles of [['member'], ['account_admin'], ['profile_admin', 'referral_admin']]) {
    r = await postForm(e.client, `/account/users/${gid}/roles`, roles.map(x => ['role', x]));
    assert.equal(r.status, 422, `global admin dropping own admin role for ${roles}`);
    assert.ok(errorFields(r.text).has('role'));
  }
  assert.equal(rolesOf(gid), 'global_admin:*');
  for (const role of ['member', 'referral_admin']) {
    r = await postForm(aa.client, `/account/users/${aa.id}/roles`, [['role', role]]);
    assert.equal(r.status, 422, `an account admin cannot drop their own admin role either (${role})`);
  }
  assert.equal(rolesOf(aa.id), 'account_admin:*');
  r = await postForm(aa.client, `/account/users/${m.id}/roles`, [['role', 'profile_admin']]);
  assert.equal(r.status, 303, 'but an account admin manages the other roles');
  assert.equal(rolesOf(m.id), 'profile_admin:*');
  r = await postForm(e.client, `/account/users/${m.id}/roles`, [['role', 'global_admin']]);
  assert.equal(r.status, 303, 'a global admin grants global_admin');
  assert.equal(rolesOf(m.id), 'global_admin:*');
  assert.equal(rolesOf(gid), 'global_admin:*');
});

test('referral scope: one ID, two IDs in one POST, all (partner_id empty or absent); shown as data-referral-scope; another company\'s ID, an unknown or malformed ID or a scope on another role → 422 data-field="partner_id", no role → 422 data-field="role"; several roles at once', async () => {
  const a = await enrolledCompany();
  const extra = await addLocation(a.client, a.email);
  const b = await enrolledCompany();
  const u = await inviteUser(a.client, a.domain, 'member');
  await a.client.get('/account/users');
  const users = async () => rowOf((await a.client.get('/account/users')).text, u.id);
  const scope = async () => (await users())['data-referral-scope'];
  let r = await postForm(a.client, `/account/users/${u.id}/roles`, [['role', 'referral_admin'], ['partner_id', extra]]);
  assert.equal(r.status, 303);
  assert.equal(await scope(), extra);
  assert.equal(rolesOf(u.id), `referral_admin:${extra}`);
  r = await postForm(a.client, `/account/users/${u.id}/roles`, [['role', 'referral_admin'], ['partner_id', a.pla], ['partner_id', extra]]);
  assert.equal(r.status, 303);
  assert.deepEqual((await scope()).split(/[\s,]+/).filter(Boolean).sort(), [a.pla, extra].sort(), 'both IDs');
  assert.equal(rolesOf(u.id), [a.pla, extra].sort().map(i => `referral_admin:${i}`).join(' '));
  r = await postForm(a.client, `/account/users/${u.id}/roles`, [['role', 'referral_admin'], ['partner_id', '']]);
  assert.equal(r.status, 303);
  assert.equal(await scope(), 'all', 'an empty partner_id = all IDs');
  assert.equal(rolesOf(u.id), 'referral_admin:*');
  r = await postForm(a.client, `/account/users/${u.id}/roles`, [['role', 'referral_admin'], ['partner_id', a.pla]]);
  assert.equal(r.status, 303);
  assert.equal(await scope(), a.pla);
  assert.equal(rolesOf(u.id), `referral_admin:${a.pla}`);
  r = await postForm(a.client, `/account/users/${u.id}/roles`, [['role', 'referral_admin']]);
  assert.equal(r.status, 303);
  assert.equal(await scope(), 'all', 'no partner_id = all IDs');
  assert.equal(rolesOf(u.id), 'referral_admin:*');
  for (const [what, pairs] of [
    ['another company\'s PGA', [['role', 'referral_admin'], ['partner_id', b.pga]]],
    ['another company\'s location', [['role', 'referral_admin'], ['partner_id', b.pla]]],
    ['another company\'s location beside an own one', [['role', 'referral_admin'], ['partner_id', a.pla], ['partner_id', b.pla]]],
    ['an ID that does not exist', [['role', 'referral_admin'], ['partner_id', '1000000']]],
    ['a malformed ID', [['role', 'referral_admin'], ['partner_id', '12ab567']]],
    ['a scope on member', [['role', 'member'], ['partner_id', a.pla]]],
    ['a scope on profile_admin', [['role', 'profile_admin'], ['partner_id', a.pla]]],
    ['a scope on account_admin', [['role', 'account_admin'], ['partner_id', a.pla]]],
  ]) {
    r = await postForm(a.client, `/account/users/${u.id}/roles`, pairs);
    assert.equal(r.status, 422, `${what}: ${r.status}`);
    assert.ok(errorFields(r.text).has('partner_id'), `${what}: data-field="partner_id"`);
  }
  r = await postForm(a.client, `/account/users/${u.id}/roles`, []);
  assert.equal(r.status, 422, 'no role at all');
  assert.ok(errorFields(r.text).has('role'), 'at least one role: data-field="role"');
  assert.equal(await scope(), 'all', 'the refused changes changed nothing');
  assert.equal(rolesOf(u.id), 'referral_admin:*');
  r = await postForm(a.client, `/account/users/${u.id}/roles`, [['role', 'referral_admin'], ['role', 'profile_admin'], ['partner_id', extra]]);
  assert.equal(r.status, 303, 'several roles at once');
  assert.equal((await users())['data-roles'], 'profile_admin,referral_admin');
});

test('audit: an invitation, a role change, a legal info edit, location add, deactivate, reactivate, delete and closing the account each add one row with who, what and before/after, on the page and in the CSV (one line per row)', async () => {
  const e = await enrolledCompany();
  const u = await inviteUser(e.client, e.domain, 'member');
  await e.client.get('/account/users');
  assert.equal((await postForm(e.client, `/account/users/${u.id}/roles`, [['role', 'referral_admin'], ['partner_id', e.pla]])).status, 303);
  await e.client.get('/account/legal');
  const legalName = 'Fabrikam, "Europe", SAS';
  assert.equal((await e.client.post('/account/legal', {
    legal_name: legalName, address_line1: '1 avenue de France', city: 'Paris', postal_code: '75013',
    phone: '+33 1 00 00 00 00', website: 'https://fabrikam.example', contact_name: 'Ana', contact_email: e.email,
  })).status, 303);
  const loc = await addLocation(e.client, e.email);
  await e.client.get('/account/identifiers');
  assert.equal((await e.client.post(`/account/locations/${loc}/status`, { status: 'inactive' })).status, 303);
  assert.equal((await e.client.post(`/account/locations/${loc}/status`, { status: 'active' })).status, 303);
  assert.equal((await e.client.post(`/account/locations/${loc}/delete`, { confirm: loc })).status, 303);
  const db = () => sql(`SELECT id, action, object, actor_email FROM audit_log WHERE tenant_id = ${e.tenant} ORDER BY id`);
  let rows = db();
  assert.deepEqual(rows.map(x => x[1]), ['partner.enroll', 'user.invite', 'user.roles', 'legal.update',
    'location.add', 'location.deactivate', 'location.reactivate', 'location.delete']);
  for (const x of rows.filter(x => x[1].startsWith('location.'))) {
    assert.ok(x[2].includes(loc), `${x[1]} names the location ID (object=${x[2]})`);
    assert.equal(x[3], e.email, `${x[1]} names who did it`);
  }
  const roles = sql(`SELECT actor_email, actor_kind, object, before_json, after_json, ip FROM audit_log WHERE tenant_id = ${e.tenant} AND action = 'user.roles'`)[0];
  assert.equal(roles[0], e.email);
  assert.equal(roles[1], 'user');
  assert.equal(roles[2], u.email);
  assert.deepEqual(JSON.parse(roles[3]).roles, ['member']);
  assert.deepEqual(JSON.parse(roles[4]), { roles: ['referral_admin'], referral_scope: e.pla });
  assert.ok(roles[5], 'IP recorded');
  assert.equal((await e.client.post(`/account/locations/${e.pga}/delete`, { confirm: e.pga })).status, 303);
  rows = db();
  assert.equal(rows.at(-1)[1], 'account.close');
  assert.equal(rows.filter(x => x[1] === 'account.close').length, 1, 'one account.close row');
  const page = await e.client.get('/account/audit');
  assert.equal(page.status, 200);
  const shown = auditRows(page.text);
  assert.deepEqual(shown.map(x => x.id).sort(), rows.map(x => x[0]).sort(), 'one tr[data-audit] per row, no more');
  for (const [id, action] of rows) assert.equal(shown.find(x => x.id === id).action, action, `data-action of ${id}`);
  const csv = await e.client.get('/account/audit.csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type') || '', /^text\/csv/);
  assert.match(csv.headers.get('content-disposition') || '', /attachment/);
  const lines = parseCsv(csv.text);
  assert.deepEqual(lines[0], ['id', 'at_utc', 'tenant', 'actor', 'actor_kind', 'action', 'object', 'before', 'after', 'ip']);
  assert.equal(lines.length, 1 + rows.length, 'header + one line per row, no blank line');
  assert.ok(lines.every(l => l.length === 10), 'ten cells on every line');
  const ai = lines[0].indexOf('action');
  assert.deepEqual(lines.slice(1).map(l => l[ai]).sort(), rows.map(x => x[1]).sort());
  const legal = lines.find(l => l[ai] === 'legal.update');
  assert.equal(JSON.parse(legal[8]).legal_name, legalName, 'commas and quotes survive the CSV');
  assert.equal(legal[3], e.email, 'the actor column');
});

// The rows of an audit page (or the review history) as { id, action, sentence, outside, inside }:
// the row's text shown outside its <details> disclosure, and what the disclosure holds.
const auditTexts = html => [...html.matchAll(/<tr\b([^>]*\sdata-audit="[^"]*"[^>]*)>([\s\S]*?)<\/tr>/g)].map(m => {
  const attrs = Object.fromEntries([...m[1].matchAll(/([a-z-]+)="([^"]*)"/g)].map(a => [a[1], a[2]]));
  const details = [...m[2].matchAll(/<details\b[\s\S]*?<\/details>/g)].map(d => d[0]).join(' ');
  const text = h => h.replace(/<[^>]*>/g, ' ').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\s+/g, ' ').trim();
  const sentence = (m[2].match(/<span class="audit-sentence">([\s\S]*?)<\/span>/) || [])[1];
  return { id: attrs['data-audit'], action: attrs['data-action'], sentence: sentence && text(sentence),
    outside: text(m[2].replace(/<details\b[\s\S]*?<\/details>/g, ' ')), inside: text(details) };
});

test('audit page: every entry is a sentence in the page\'s language (English and French) with its details filled in; codes and JSON only behind the "Details" disclosure; the CSV keeps the raw JSON', async () => {
  const e = await enrolledCompany();
  const loc = await addLocation(e.client, e.email, { name: 'Atelier Lyon' });
  await e.client.get('/account/identifiers');
  assert.equal((await e.client.post(`/account/locations/${loc}/status`, { status: 'inactive' })).status, 303);
  const want = {
    en: { 'partner.enroll': `Joined the partner program: global ID ${e.pga}, location ID ${e.pla}`,
      'location.add': `Location ${loc} added: Atelier Lyon`, 'location.deactivate': `Location ${loc} deactivated` },
    fr: { 'partner.enroll': `Adhésion au programme partenaire : ID global ${e.pga}, ID d’emplacement ${e.pla}`,
      'location.add': `Emplacement ${loc} ajouté : Atelier Lyon`, 'location.deactivate': `Emplacement ${loc} désactivé` },
  };
  for (const lang of ['en', 'fr']) {
    const page = await e.client.get(`/account/audit?lang=${lang}`);
    assert.equal(page.status, 200);
    const rows = auditTexts(page.text);
    assert.equal(rows.length, 3, `${lang}: one row per entry`);
    for (const [action, sentence] of Object.entries(want[lang])) {
      const row = rows.find(x => x.action === action);
      assert.ok(row, `${lang}: a row with data-action="${action}"`);
      assert.equal(row.sentence, sentence, `${lang}: ${action} reads as a sentence`);
    }
    for (const row of rows) {
      assert.ok(!row.outside.includes(row.action), `${lang}: the code ${row.action} is not shown outside the details: ${row.outside}`);
      assert.ok(!/[{}]|"[a-z_]+":/.test(row.outside), `${lang}: no JSON outside the details: ${row.outside}`);
      assert.ok(row.inside.includes(row.action), `${lang}: the code is in the details`);
    }
    assert.ok(rows.find(x => x.action === 'location.add').inside.includes('"name":"Atelier Lyon"'), `${lang}: the JSON is in the details`);
  }
  const csv = parseCsv((await e.client.get('/account/audit.csv?lang=fr')).text);
  const add = csv.find(l => l[5] === 'location.add');
  assert.equal(JSON.parse(add[8]).name, 'Atelier Lyon', 'the CSV keeps the raw JSON (and the code), whatever the language');
});

test('audit CSV: a value holding a comma and quotes is quoted (RFC 4180) and reads back intact', async () => {
  const e = await enrolledCompany();
  const name = 'Northwind, "Nord" & Fils';
  await addLocation(e.client, e.email, { name });
  const csv = await e.client.get('/account/audit.csv');
  assert.equal(csv.status, 200);
  const lines = parseCsv(csv.text).filter(l => !(l.length === 1 && l[0] === ''));
  assert.ok(lines.every(l => l.length === lines[0].length), 'the comma did not split a cell');
  const add = lines.find(l => l.includes('location.add'));
  assert.ok(add, 'the location.add line');
  const decoded = add.map(cell => { try { return JSON.parse(cell); } catch { return null; } }).filter(Boolean);
  assert.ok(decoded.some(j => j.name === name), `the JSON cell of the row reads back with the name intact: ${add}`);
  const raw = csv.text.split(/\r?\n/).find(l => l.includes('location.add'));
  assert.match(raw, /,"\{""/, 'the JSON cell is quoted and its quotes doubled');
});

test('staff (reviewer and staff_admin) see the rows of several companies at /staff/audit, exactly one company\'s rows per company, its CSV; staff add is audited as a system action; partners get 404 there', async () => {
  const a = await enrolledCompany();
  const b = await enrolledCompany();
  await addLocation(b.client, b.email);
  const lastOf = t => sqlValue(`SELECT MAX(id) FROM audit_log WHERE tenant_id = ${t}`);
  for (const role of ['reviewer', 'staff_admin']) {
    const { client: s, email } = await staffMember(role);
    assert.equal(countRows('audit_log', `action = 'staff.add' AND object = ${quote(email)} AND actor_kind = 'system'`), 1, `${role}: staff add audited once, by the system`);
    const all = await s.get('/staff/audit');
    assert.equal(all.status, 200, role);
    const ids = auditRows(all.text).map(x => x.id);
    assert.ok(ids.includes(lastOf(a.tenant)), `${role}: a row of company A`);
    assert.ok(ids.includes(lastOf(b.tenant)), `${role}: a row of company B`);
    assert.ok(all.text.includes(a.pga) && all.text.includes(b.pga), `${role}: both companies' IDs shown`);
    for (const [t, other] of [[a, b], [b, a]]) {
      const one = await s.get(`/staff/audit?tenant=${t.tenant}`);
      assert.equal(one.status, 200);
      const got = auditRows(one.text).map(x => x.id).sort();
      const want = sql(`SELECT id FROM audit_log WHERE tenant_id = ${t.tenant}`).map(x => x[0]).sort();
      assert.deepEqual(got, want, `${role}: exactly that company's rows`);
      assert.ok(one.text.includes(t.pga) && !one.text.includes(other.pga), `${role}: one company's IDs on its page`);
      const csv = await s.get(`/staff/audit.csv?tenant=${t.tenant}`);
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') || '', /^text\/csv/);
      assert.ok(csv.text.includes(t.pga) && !csv.text.includes(other.pga), `${role}: one company's CSV`);
    }
  }
  const aa = await inviteUser(a.client, a.domain, 'account_admin');
  for (const c of [a.client, aa.client])
    for (const path of ['/staff/audit', `/staff/audit?tenant=${b.tenant}`, '/staff/audit.csv'])
      assert.equal((await c.get(path)).status, 404, `partner GET ${path}`);
});

test('company B\'s global admin never sees company A\'s audit rows, on the page or in the CSV', async () => {
  const a = await enrolledCompany();
  await addLocation(a.client, a.email, { name: 'Secret Site A' });
  const b = await enrolledCompany();
  const page = await b.client.get('/account/audit');
  assert.equal(page.status, 200);
  const bIds = sql(`SELECT id FROM audit_log WHERE tenant_id = ${b.tenant}`).map(x => x[0]).sort();
  assert.deepEqual(auditRows(page.text).map(x => x.id).sort(), bIds, 'only B\'s rows');
  for (const text of [page.text, (await b.client.get('/account/audit.csv')).text, (await b.client.get(`/account/audit?tenant=${a.tenant}`)).text]) {
    for (const secret of [a.pga, a.pla, a.email, 'Secret Site A']) assert.ok(!text.includes(secret), `B sees ${secret}`);
  }
});

test('the audit log is append-only: the database refuses UPDATE and DELETE', async () => {
  const e = await enrolledCompany();
  const id = sqlValue(`SELECT MAX(id) FROM audit_log WHERE tenant_id = ${tenantIdOf(e.email)}`);
  assert.throws(() => sql(`UPDATE audit_log SET action = 'forged' WHERE id = ${id}`), /append-only/);
  assert.throws(() => sql(`DELETE FROM audit_log WHERE id = ${id}`), /append-only/);
  assert.equal(sqlValue(`SELECT action FROM audit_log WHERE id = ${id}`), 'partner.enroll');
});

await run();
