// Roles (DOMAIN §1: referral admins scoped to partner IDs or all; only a global admin grants
// global_admin) and the append-only audit log (who, when, what, before/after; tenant's rows for its
// global admins, every row for staff; CSV export).
import {
  test, run, assert, Client, signUp, verifyEmail, waitMail, linkIn, sql, sqlValue, countRows, quote, fieldErrors,
  ctl, uniqueDomain, userId,
} from './lib.mjs';

const tenantOf = email => sqlValue(`SELECT tenant_id FROM users WHERE email = ${quote(email)}`);
const rolesOf = id => sql(`SELECT role, COALESCE(partner_id, '*') FROM user_roles WHERE user_id = ${Number(id)} ORDER BY role, partner_id`)
  .map(r => `${r[0]}:${r[1]}`).join(' ');

async function enrolled() {
  const s = await signUp();
  await verifyEmail(s.email);
  await s.client.get('/enroll');
  const r = await s.client.post('/enroll', {
    legal_name: 'Fabrikam, Inc.', country: 'FR', address_line1: '1 avenue de France', city: 'Paris', postal_code: '75013',
    phone: '+33 1 00 00 00 00', website: 'https://fabrikam.example', contact_name: 'Ana', contact_email: s.email,
  });
  assert.equal(r.status, 303);
  const page = (await s.client.get('/account/identifiers')).text;
  const ids = [...page.matchAll(/<tr data-partner-id="(\d+)"/g)].map(m => m[1]);
  return { ...s, ids };
}

async function invitee(c, domain, role) {
  const email = `user.${Math.random().toString(36).slice(2, 8)}@${domain}`;
  await c.get('/account/users');
  assert.equal((await c.post('/account/users', { email, display_name: 'Invited User', role })).status, 303);
  const url = linkIn(await waitMail(email, /set-password\?token=/), '/set-password?token=');
  const u = new Client();
  await u.get(url.pathname + url.search);
  const pw = 'invited password 2026';
  assert.equal((await u.post('/set-password', { token: url.searchParams.get('token'), password: pw, password_confirm: pw })).status, 303);
  await u.get('/dashboard');
  return { client: u, email, id: userId(email) };
}

// POST with repeated fields ([name, value] pairs) and the client's csrf.
async function postPairs(c, path, pairs) {
  const data = new URLSearchParams([['csrf', c.csrf], ...pairs]);
  return c.request('POST', path, { body: data.toString(), contentType: 'application/x-www-form-urlencoded' });
}

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

const rowAttr = (html, id, attr) => {
  const m = html.match(new RegExp(`<tr data-user-id="${id}"[^>]*\\s${attr}="([^"]*)"`));
  return m ? m[1] : null;
};

test('referral admin scoped to one ID, to two IDs in one POST, then to all', async () => {
  const e = await enrolled();
  const extra = await (async () => {
    await e.client.get('/account/locations');
    const r = await e.client.post('/account/locations', { name: 'Fabrikam Lille', country: 'FR', address_line1: '1 rue', city: 'Lille', contact_name: 'B', contact_email: e.email });
    return r.location.match(/added=(\d+)/)[1];
  })();
  const u = await invitee(e.client, e.domain, 'member');
  await e.client.get('/account/users');
  let r = await postPairs(e.client, `/account/users/${u.id}/roles`, [['role', 'referral_admin'], ['partner_id', e.ids[1]]]);
  assert.equal(r.status, 303);
  assert.equal(rolesOf(u.id), `referral_admin:${e.ids[1]}`);
  assert.equal(rowAttr((await e.client.get('/account/users')).text, u.id, 'data-referral-scope'), e.ids[1]);
  r = await postPairs(e.client, `/account/users/${u.id}/roles`, [['role', 'referral_admin'], ['partner_id', e.ids[1]], ['partner_id', extra]]);
  assert.equal(r.status, 303);
  assert.equal(rolesOf(u.id), [e.ids[1], extra].sort().map(i => `referral_admin:${i}`).join(' '));
  r = await postPairs(e.client, `/account/users/${u.id}/roles`, [['role', 'referral_admin'], ['partner_id', '']]);
  assert.equal(r.status, 303);
  assert.equal(rolesOf(u.id), 'referral_admin:*');
  assert.equal(rowAttr((await e.client.get('/account/users')).text, u.id, 'data-referral-scope'), 'all');
  r = await postPairs(e.client, `/account/users/${u.id}/roles`, [['role', 'referral_admin'], ['role', 'profile_admin'], ['partner_id', extra]]);
  assert.equal(r.status, 303, 'several roles at once');
  assert.equal(rowAttr((await e.client.get('/account/users')).text, u.id, 'data-roles'), 'profile_admin,referral_admin');
});

test('a partner ID of another company, or a scope without the referral role, is refused (422) and changes nothing', async () => {
  const a = await enrolled();
  const b = await enrolled();
  const u = await invitee(a.client, a.domain, 'member');
  await a.client.get('/account/users');
  let r = await postPairs(a.client, `/account/users/${u.id}/roles`, [['role', 'referral_admin'], ['partner_id', b.ids[1]]]);
  assert.equal(r.status, 422);
  assert.ok(fieldErrors(r.text).partner_id);
  r = await postPairs(a.client, `/account/users/${u.id}/roles`, [['role', 'profile_admin'], ['partner_id', a.ids[1]]]);
  assert.equal(r.status, 422);
  assert.ok(fieldErrors(r.text).partner_id);
  r = await postPairs(a.client, `/account/users/${u.id}/roles`, [['role', 'referral_admin'], ['partner_id', '12ab567']]);
  assert.equal(r.status, 422);
  r = await postPairs(a.client, `/account/users/${u.id}/roles`, []);
  assert.equal(r.status, 422);
  assert.ok(fieldErrors(r.text).role, 'at least one role');
  assert.equal(rolesOf(u.id), 'member:*');
});

test('only a global admin grants or changes global_admin; nobody drops their own admin role', async () => {
  const e = await enrolled();
  const aa = await invitee(e.client, e.domain, 'account_admin');
  const m = await invitee(e.client, e.domain, 'member');
  await aa.client.get('/account/users');
  let r = await postPairs(aa.client, `/account/users/${m.id}/roles`, [['role', 'global_admin']]);
  assert.equal(r.status, 422);
  assert.ok(fieldErrors(r.text).role);
  const gid = userId(e.email);
  r = await postPairs(aa.client, `/account/users/${gid}/roles`, [['role', 'member']]);
  assert.equal(r.status, 422, 'an account admin cannot demote a global admin');
  r = await postPairs(aa.client, `/account/users/${aa.id}/roles`, [['role', 'member']]);
  assert.equal(r.status, 422, 'nor drop their own admin role');
  r = await postPairs(aa.client, `/account/users/${m.id}/roles`, [['role', 'profile_admin']]);
  assert.equal(r.status, 303, 'but manages other roles');
  await e.client.get('/account/users');
  r = await postPairs(e.client, `/account/users/${gid}/roles`, [['role', 'account_admin']]);
  assert.equal(r.status, 422, 'a global admin keeps their own role');
  r = await postPairs(e.client, `/account/users/${m.id}/roles`, [['role', 'global_admin']]);
  assert.equal(r.status, 303);
  assert.equal(rolesOf(m.id), 'global_admin:*');
  assert.equal(rolesOf(gid), 'global_admin:*');
});

test('every change is in the audit log with who, what and before/after; the page and its CSV', async () => {
  const e = await enrolled();
  const tenant = tenantOf(e.email);
  const u = await invitee(e.client, e.domain, 'member');
  await e.client.get('/account/users');
  await postPairs(e.client, `/account/users/${u.id}/roles`, [['role', 'referral_admin'], ['partner_id', e.ids[1]]]);
  await e.client.get('/account/legal');
  await e.client.post('/account/legal', {
    legal_name: 'Fabrikam, "Europe", SAS', address_line1: '1 avenue de France', city: 'Paris', postal_code: '75013',
    phone: '+33 1 00 00 00 00', website: 'https://fabrikam.example', contact_name: 'Ana', contact_email: e.email,
  });
  const actions = sql(`SELECT action FROM audit_log WHERE tenant_id = ${tenant} ORDER BY id`).map(r => r[0]);
  assert.deepEqual(actions, ['partner.enroll', 'user.invite', 'user.roles', 'legal.update']);
  const roles = sql(`SELECT actor_email, actor_kind, object, before_json, after_json, ip FROM audit_log WHERE tenant_id = ${tenant} AND action = 'user.roles'`)[0];
  assert.equal(roles[0], e.email);
  assert.equal(roles[1], 'user');
  assert.equal(roles[2], u.email);
  assert.deepEqual(JSON.parse(roles[3]).roles, ['member']);
  assert.deepEqual(JSON.parse(roles[4]), { roles: ['referral_admin'], referral_scope: e.ids[1] });
  assert.ok(roles[5], 'IP recorded');
  const page = await e.client.get('/account/audit');
  assert.equal(page.status, 200);
  for (const a of actions) assert.match(page.text, new RegExp(`<tr data-audit="\\d+" data-action="${a.replace('.', '\\.')}"`));
  const csv = await e.client.get('/account/audit.csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition') || '', /attachment/);
  const rows = parseCsv(csv.text);
  assert.deepEqual(rows[0], ['id', 'at_utc', 'tenant', 'actor', 'actor_kind', 'action', 'object', 'before', 'after', 'ip']);
  assert.equal(rows.length, 1 + actions.length);
  assert.ok(rows.every(r => r.length === 10), 'ten cells on every line');
  const legal = rows.find(r => r[5] === 'legal.update');
  assert.equal(JSON.parse(legal[8]).legal_name, 'Fabrikam, "Europe", SAS', 'commas and quotes survive the CSV');
  assert.equal(legal[3], e.email);
});

test('the audit page is for global admins: account admins and members get 404; another company sees none of these rows', async () => {
  const a = await enrolled();
  const aa = await invitee(a.client, a.domain, 'account_admin');
  const m = await invitee(a.client, a.domain, 'member');
  for (const u of [aa, m]) {
    assert.equal((await u.client.get('/account/audit')).status, 404);
    assert.equal((await u.client.get('/account/audit.csv')).status, 404);
  }
  const b = await enrolled();
  const other = await b.client.get('/account/audit');
  assert.equal(other.status, 200);
  assert.doesNotMatch(other.text, new RegExp(a.email.replace('.', '\\.')));
  assert.doesNotMatch((await b.client.get('/account/audit.csv')).text, new RegExp(a.ids[0]));
});

test('staff see every company\'s rows at /staff/audit, filter by company, export CSV; partners get 404 there', async () => {
  const a = await enrolled();
  const b = await enrolled();
  const email = `auditor@${uniqueDomain('staff')}`;
  assert.equal(ctl(['staff', 'add', email, '--role', 'staff_admin'], { input: 'staff password 2026\n' }).status, 0);
  assert.equal(countRows('audit_log', `action = 'staff.add' AND object = ${quote(email)} AND actor_kind = 'system'`), 1);
  const s = new Client();
  await s.get('/signin');
  assert.equal((await s.post('/signin', { email, password: 'staff password 2026' })).status, 303);
  const all = await s.get('/staff/audit');
  assert.equal(all.status, 200);
  assert.match(all.text, new RegExp(a.ids[0]));
  assert.match(all.text, new RegExp(b.ids[0]));
  const ta = tenantOf(a.email);
  const one = await s.get(`/staff/audit?tenant=${ta}`);
  assert.match(one.text, new RegExp(a.ids[0]));
  assert.doesNotMatch(one.text, new RegExp(b.ids[0]));
  const csv = await s.get(`/staff/audit.csv?tenant=${ta}`);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.ok(csv.text.includes(a.ids[0]) && !csv.text.includes(b.ids[0]));
  assert.equal((await a.client.get('/staff/audit')).status, 404);
  assert.equal((await a.client.get('/staff/audit.csv')).status, 404);
});

test('the audit log is append-only: the database refuses UPDATE and DELETE', async () => {
  const e = await enrolled();
  const id = sqlValue(`SELECT MAX(id) FROM audit_log WHERE tenant_id = ${tenantOf(e.email)}`);
  assert.throws(() => sql(`UPDATE audit_log SET action = 'forged' WHERE id = ${id}`), /append-only/);
  assert.throws(() => sql(`DELETE FROM audit_log WHERE id = ${id}`), /append-only/);
  assert.equal(sqlValue(`SELECT action FROM audit_log WHERE id = ${id}`), 'partner.enroll');
});

await run();
