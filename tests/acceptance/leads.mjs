// Leads (issue 13 items 1, 2 and 7; CONTRACT "Leads", DOMAIN §5): leads created through the real
// contact form of published profiles built with the wizard routes; the list with one
// tr[data-lead-id] per visible lead, ?status= and the counts per status, the CSV, the detail page
// with the customer's facts and the history; every transition and refusal (409 with the reason,
// 422 without a reason, 403 without csrf); role scoping (a referral admin scoped to one ID never
// sees another ID's lead in the list, the detail, the CSV or by guessing its number; a referral
// admin of all IDs and the global admin see all; member and profile admin 404); another company's
// lead 404 everywhere; the emails of a new lead to the referral admins of its ID and the global
// admins; the 14-day expiry at its boundary (created_at set by SQL: day 14 is the last day to
// answer, day 15 is expired on every page), `ctl leads expire` and `ctl leads remind` (idempotent
// counts), both languages. Runs on a shared database: ctl commands run as of today only.
import {
  test, run, assert, Client, sql, sqlValue, quote, tagsWith, errorFields, fieldErrors, htmlLang,
  enrolledCompany, addLocation, inviteUser, waitMail, mailsTo, freshAddress, postForm, ctl, sleep,
} from './lib.mjs';

const KW = 'lq' + Math.random().toString(36).slice(2, 10).replace(/[0-9]/g, 'x');

// ---------------------------------------------------------------------------------- helpers

// Builds and publishes a profile through the wizard routes; returns { id, slug }.
async function makeProfile(s, { partnerId, publish, name, leadEmail }) {
  const c = s.client;
  await c.get('/profiles/new');
  let r = await c.post('/profiles/new', { partner_id: partnerId, type: 'non_csp' });
  assert.equal(r.status, 303, `POST /profiles/new answered ${r.status}: ${r.text.slice(0, 300)}`);
  const id = (r.location || '').match(/^\/profiles\/(\d+)\/locations/)?.[1];
  assert.ok(id, `303 to /profiles/{id}/locations, got ${r.location}`);
  await c.get(`/profiles/${id}/locations`);
  r = await postForm(c, `/profiles/${id}/locations`, publish.map(cc => ['publish_location', cc]));
  assert.equal(r.status, 303, `locations answered ${r.status}: ${JSON.stringify([...errorFields(r.text)])}`);
  r = await postForm(c, `/profiles/${id}/markets`, []);
  assert.equal(r.status, 303, `markets answered ${r.status}: ${JSON.stringify([...errorFields(r.text)])}`);
  r = await postForm(c, `/profiles/${id}/content`, [
    ['name', name], ['description', `We move finance and sales teams to the cloud and train them. ${KW}`],
    ['website', 'https://leads-suite.example'], ['lead_email', leadEmail], ['email_language', 'en'],
    ['industry', 'retail'], ['solution_area', 'security'], ['language', 'en']]);
  assert.equal(r.status, 303, `content answered ${r.status}: ${JSON.stringify(fieldErrors(r.text))}`);
  await c.get(`/profiles/${id}/review`);
  r = await c.post(`/profiles/${id}/publish`, {});
  assert.equal(r.status, 303, `publish answered ${r.status}: ${r.text.slice(0, 300)}`);
  return { id, slug: sqlValue(`SELECT slug FROM profiles WHERE id = ${Number(id)}`) };
}

// A customer's request through the public contact form, from a new client address; returns the
// lead's id.
let customers = 0;
async function contact(profile, over = {}) {
  const email = `cust${++customers}.${KW}@customer.example`;
  const c = new Client({}, { from: freshAddress() });
  await c.get(`/partners/${profile.slug}`);
  const r = await c.post(`/partners/${profile.slug}/contact`, {
    name: `Client ${customers}`, email, company: 'Client SA', country: 'FR', phone: '+33 1 23 45 67 89',
    message: 'Bonjour,\nnous cherchons un partenaire.', ...over,
  });
  assert.equal(r.status, 303, `contact answered ${r.status}: ${JSON.stringify(fieldErrors(r.text))}`);
  const id = sqlValue(`SELECT id FROM leads WHERE customer_email = ${quote(over.email || email)} ORDER BY id DESC LIMIT 1`);
  assert.ok(id, 'the lead row');
  return id;
}

// The rows of the list: { id, partner, profile, status }.
const leadRows = html => tagsWith(html, 'tr', 'data-lead-id').map(a => ({
  id: a['data-lead-id'], partner: a['data-partner-id'], profile: a['data-profile-id'], status: a['data-status'],
}));
const idsOf = html => leadRows(html).map(r => r.id);
const statusOn = async (c, id) => {
  const r = await c.get(`/leads/${id}`);
  assert.equal(r.status, 200, `GET /leads/${id} answered ${r.status}`);
  return tagsWith(r.text, 'section', 'data-lead-id')[0]['data-status'];
};
function countOf(html, status) {
  const m = html.match(new RegExp(`data-count-status="${status}"[^>]*>(\\d+)<`));
  return m ? Number(m[1]) : null;
}
const refusalOf = html => tagsWith(html, 'div', 'data-refusal')[0]?.['data-refusal'];
// CSV lines as arrays (fields without quotes inside; enough for these rows).
const csvIds = text => text.trim().split('\r\n').slice(1).map(l => l.split(',')[0]);

// A UTC date n days before today, "YYYY-MM-DD".
const daysAgo = n => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
const setCreated = (id, at) => sql(`UPDATE leads SET created_at = ${quote(at)} WHERE id = ${Number(id)}`);
const events = id => sql(`SELECT action, status_to, COALESCE(user_id, 0), reason FROM lead_events WHERE lead_id = ${Number(id)} ORDER BY id`);

// ------------------------------------------------------------------------------ the world
// Company A: PGA, FR location (pla), DE location; profile fr (managed by the FR ID) and de
// (managed by the DE ID). Users: global admin, referral admin scoped to the FR ID, referral admin
// of all IDs, member, profile admin. Company B: a global admin and a profile.
let world;
async function theWorld() {
  if (world) return world;
  const a = await enrolledCompany();
  const de = await addLocation(a.client, a.email, { name: 'Northwind Berlin', country: 'DE', city: 'Berlin', postal_code: '10115', address_line1: 'Unter den Linden 1' });
  const fr = await makeProfile(a, { partnerId: a.pla, publish: ['FR'], name: `Alpha ${KW}`, leadEmail: `leads.${KW}@${a.domain}` });
  const deP = await makeProfile(a, { partnerId: de, publish: ['DE'], name: `Beta ${KW}`, leadEmail: `leads.${KW}@${a.domain}` });
  const scoped = await inviteUser(a.client, a.domain, 'referral_admin', { name: 'Rita Scoped' });
  await a.client.get('/account/users');
  const r = await postForm(a.client, `/account/users/${scoped.id}/roles`, [['role', 'referral_admin'], ['partner_id', a.pla]]);
  assert.equal(r.status, 303, `scoping the referral admin answered ${r.status}`);
  assert.deepEqual(sql(`SELECT partner_id FROM user_roles WHERE user_id = ${scoped.id}`).map(x => x[0]), [a.pla]);
  const all = await inviteUser(a.client, a.domain, 'referral_admin', { name: 'Ravi All' });
  const member = await inviteUser(a.client, a.domain, 'member');
  const profileAdmin = await inviteUser(a.client, a.domain, 'profile_admin');
  const b = await enrolledCompany();
  const bP = await makeProfile(b, { partnerId: b.pla, publish: ['FR'], name: `Gamma ${KW}`, leadEmail: `leads.${KW}@${b.domain}` });
  world = { a, b, de, fr, deP, bP, scoped, all, member, profileAdmin };
  return world;
}

// ---------------------------------------------------------------------------------- tests

test('a lead through the contact form: the detail page shows the customer and the history; emails to the referral admins of its ID and the global admins', async () => {
  const w = await theWorld();
  const id = await contact(w.fr, { name: 'Jeanne Client', company: 'Client & Fils', phone: '+33 6 00 00 00 00', message: 'Ligne un\nLigne deux <b>' });
  const [row] = sql(`SELECT l.status, a.partner_id, l.profile_id, l.tenant_id FROM leads l JOIN partner_accounts a ON a.id = l.partner_account_id WHERE l.id = ${id}`);
  assert.deepEqual(row, ['received', w.a.pla, String(w.fr.id), String(w.a.tenant)]);
  const r = await w.a.client.get(`/leads/${id}`);
  assert.equal(r.status, 200);
  const sec = tagsWith(r.text, 'section', 'data-lead-id')[0];
  assert.equal(sec['data-status'], 'received');
  assert.equal(sec['data-partner-id'], w.a.pla);
  assert.equal(sec['data-profile-id'], String(w.fr.id));
  for (const text of ['Jeanne Client', 'Client &amp; Fils', '+33 6 00 00 00 00', 'France', 'Ligne un', 'Ligne deux &lt;b&gt;'])
    assert.ok(r.text.includes(text), `the page shows ${text}`);
  assert.match(r.text, /data-customer="email"><a href="mailto:cust\d+\./);
  assert.ok(tagsWith(r.text, 'tr', 'data-event').some(e => e['data-event'] === 'received'), 'the history starts with the request');
  assert.ok(tagsWith(r.text, 'span', 'data-days-left').some(e => e['data-days-left'] === '14'), '14 days left on the first day');
  // The emails: the lead contact, the global admin, both referral admins of the FR ID; not the member.
  const link = new RegExp(`/leads/${id}\\b`);
  for (const to of [`leads.${KW}@${w.a.domain}`, w.a.email, w.scoped.email, w.all.email])
    assert.match((await waitMail(to, link)).body, /Jeanne Client/, `mail to ${to}`);
  await sleep(300);
  assert.equal(mailsTo(w.member.email).filter(m => link.test(m.body)).length, 0, 'no mail to a member');
  assert.equal(mailsTo(w.profileAdmin.email).filter(m => link.test(m.body)).length, 0, 'no mail to a profile admin');
  // A lead of the DE ID: not to the referral admin scoped to the FR ID.
  const deId = await contact(w.deP);
  const deLink = new RegExp(`/leads/${deId}\\b`);
  await waitMail(w.all.email, deLink);
  await waitMail(w.a.email, deLink);
  await sleep(300);
  assert.equal(mailsTo(w.scoped.email).filter(m => deLink.test(m.body)).length, 0, 'the scoped referral admin gets no mail of another ID');
});

test('transitions: accept then won; accept then lost with its reason; decline with its reason; the history records who, when and why', async () => {
  const w = await theWorld();
  const c = w.a.client;
  // accept → won
  const l1 = await contact(w.fr);
  await c.get(`/leads/${l1}`);
  let r = await c.post(`/leads/${l1}`, { action: 'accept' });
  assert.equal(r.status, 303);
  assert.equal(r.location, `/leads/${l1}?done=accept`);
  assert.match((await c.get(r.location)).text, /class="notice ok"/);
  assert.equal(await statusOn(c, l1), 'accepted');
  r = await c.post(`/leads/${l1}`, { action: 'won' });
  assert.equal(r.status, 303);
  assert.equal(await statusOn(c, l1), 'won');
  const admin = sqlValue(`SELECT id FROM users WHERE email = ${quote(w.a.email)}`);
  assert.deepEqual(events(l1), [['accept', 'accepted', admin, ''], ['won', 'won', admin, '']]);
  // accept → lost (reason)
  const l2 = await contact(w.fr);
  await c.get(`/leads/${l2}`);
  assert.equal((await c.post(`/leads/${l2}`, { action: 'accept' })).status, 303);
  r = await c.post(`/leads/${l2}`, { action: 'lost', reason: 'They chose another partner.' });
  assert.equal(r.status, 303);
  assert.equal(await statusOn(c, l2), 'lost');
  assert.equal(sqlValue(`SELECT reason FROM leads WHERE id = ${l2}`), 'They chose another partner.');
  // decline (reason), by the scoped referral admin
  const l3 = await contact(w.fr);
  const s = w.scoped.client;
  await s.get(`/leads/${l3}`);
  r = await s.post(`/leads/${l3}`, { action: 'decline', reason: 'Outside our region.' });
  assert.equal(r.status, 303);
  const page = await s.get(`/leads/${l3}`);
  assert.equal(tagsWith(page.text, 'section', 'data-lead-id')[0]['data-status'], 'declined');
  const hist = tagsWith(page.text, 'tr', 'data-event').map(e => e['data-event']);
  assert.deepEqual(hist, ['received', 'decline']);
  assert.match(page.text, /Rita Scoped &lt;/, 'who');
  assert.match(page.text, /Outside our region\./, 'why');
  assert.match(page.text, /\d{4}-\d\d-\d\d \d\d:\d\d/, 'when');
  assert.deepEqual(events(l3).map(e => [e[0], e[1], e[2], e[3]]), [['decline', 'declined', String(w.scoped.id), 'Outside our region.']]);
  // No answer form once closed.
  assert.doesNotMatch(page.text, /name="action"/);
});

test('refusals: any other transition → 409 with the page and the reason; decline and lost without a reason → 422 next to the field; bad action → 422; no csrf → 403; nothing changes', async () => {
  const w = await theWorld();
  const c = w.a.client;
  const l = await contact(w.fr);
  await c.get(`/leads/${l}`);
  for (const action of ['won', 'lost']) {
    const r = await c.post(`/leads/${l}`, { action, reason: 'x' });
    assert.equal(r.status, 409, `${action} from received`);
    assert.equal(refusalOf(r.text), 'not_accepted');
    assert.match(r.text, /Only an accepted lead can be marked as won or lost\./);
    assert.equal(tagsWith(r.text, 'section', 'data-lead-id')[0]['data-status'], 'received', 'the page of the lead');
  }
  let r = await c.post(`/leads/${l}`, { action: 'decline', reason: '   ' });
  assert.equal(r.status, 422);
  assert.deepEqual([...errorFields(r.text)], ['reason']);
  assert.match(fieldErrors(r.text).reason, /Say why you decline the lead\./);
  r = await c.post(`/leads/${l}`, { action: 'expire' });
  assert.equal(r.status, 409, 'expire is the portal\'s');
  assert.equal(refusalOf(r.text), 'portal_only');
  for (const action of ['reopen', '']) {
    r = await c.post(`/leads/${l}`, { action });
    assert.equal(r.status, 422, `action=${action}`);
    assert.deepEqual([...errorFields(r.text)], ['action']);
  }
  assert.equal((await c.post(`/leads/${l}`, { action: 'accept' }, { csrf: null })).status, 403);
  assert.equal((await c.post(`/leads/${l}`, { action: 'accept' }, { csrf: 'forged' })).status, 403);
  assert.equal(sqlValue(`SELECT status FROM leads WHERE id = ${l}`), 'received');
  assert.equal(events(l).length, 0, 'no event for a refusal');
  assert.equal((await c.post(`/leads/${l}`, { action: 'accept' })).status, 303);
  for (const action of ['accept', 'decline']) {
    r = await c.post(`/leads/${l}`, { action, reason: 'late' });
    assert.equal(r.status, 409, `${action} from accepted`);
    assert.equal(refusalOf(r.text), 'answered');
  }
  r = await c.post(`/leads/${l}`, { action: 'lost' });
  assert.equal(r.status, 422);
  assert.match(fieldErrors(r.text).reason, /Say why the lead was lost\./);
  assert.equal((await c.post(`/leads/${l}`, { action: 'won' })).status, 303);
  for (const action of ['accept', 'decline', 'won', 'lost']) {
    r = await c.post(`/leads/${l}`, { action, reason: 'again' });
    assert.equal(r.status, 409, `${action} from won`);
  }
  assert.equal(sqlValue(`SELECT status FROM leads WHERE id = ${l}`), 'won');
  assert.deepEqual(events(l).map(e => e[0]), ['accept', 'won']);
});

test('the list: one row per visible lead with its partner ID, profile and status; ?status= filters; counts per status; the CSV has the same rows', async () => {
  const w = await theWorld();
  const c = w.a.client;
  const extra = await contact(w.fr);
  let r = await c.get('/leads');
  assert.equal(r.status, 200);
  const rows = leadRows(r.text);
  const all = sql(`SELECT id FROM leads WHERE tenant_id = ${w.a.tenant} ORDER BY id DESC`).map(x => x[0]);
  assert.deepEqual(rows.map(x => x.id), all, 'every lead of the company, newest first');
  const mine = rows.find(x => x.id === extra);
  assert.deepEqual(mine, { id: extra, partner: w.a.pla, profile: String(w.fr.id), status: 'received' });
  const byStatus = {};
  for (const x of rows) byStatus[x.status] = (byStatus[x.status] || 0) + 1;
  for (const s of ['received', 'accepted', 'declined', 'won', 'lost', 'expired'])
    assert.equal(countOf(r.text, s), byStatus[s] || 0, `count of ${s}`);
  assert.equal(countOf(r.text, 'all'), rows.length);
  r = await c.get('/leads?status=won');
  assert.ok(leadRows(r.text).length >= 1 && leadRows(r.text).every(x => x.status === 'won'));
  assert.equal(countOf(r.text, 'received'), byStatus.received, 'the counts stay those of all');
  assert.equal((await c.get('/leads?status=bogus')).status, 200, 'an unknown status shows all');
  const csv = await c.get('/leads.csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.text, /^id,received_at_utc,status,partner_id,profile_id,/);
  assert.deepEqual(csvIds(csv.text), all);
  const won = await c.get('/leads.csv?status=won');
  assert.deepEqual(csvIds(won.text), leadRows(r.text).map(x => x.id));
});

test('role scoping: a referral admin scoped to one ID never sees another ID\'s lead (list, detail, CSV, guessing its number, POST); all-IDs referral admin and global admin see all; member and profile admin 404', async () => {
  const w = await theWorld();
  const frLead = await contact(w.fr), deLead = await contact(w.deP);
  const s = w.scoped.client;
  let r = await s.get('/leads');
  assert.equal(r.status, 200);
  assert.ok(r.text.includes(w.a.pla), 'the scope is named');
  assert.ok(leadRows(r.text).length > 0 && leadRows(r.text).every(x => x.partner === w.a.pla), 'only leads of the FR ID');
  assert.ok(idsOf(r.text).includes(frLead) && !idsOf(r.text).includes(deLead));
  r = await s.get('/leads?status=received');
  assert.ok(!idsOf(r.text).includes(deLead));
  const csv = await s.get('/leads.csv');
  assert.ok(csvIds(csv.text).includes(frLead) && !csvIds(csv.text).includes(deLead));
  assert.ok(!csv.text.includes(w.de), 'no DE lead in the CSV');
  assert.equal((await s.get(`/leads/${deLead}`)).status, 404);
  await s.get(`/leads/${frLead}`);
  assert.equal((await s.post(`/leads/${deLead}`, { action: 'accept' })).status, 404);
  assert.equal(sqlValue(`SELECT status FROM leads WHERE id = ${deLead}`), 'received');
  for (const guess of [Number(deLead) + 1000000, 0, -1, 'abc', `${deLead}x`])
    assert.equal((await s.get(`/leads/${guess}`)).status, 404, `/leads/${guess}`);
  // Referral admin of all IDs, global admin: both leads.
  for (const u of [w.all.client, w.a.client]) {
    const ids = idsOf((await u.get('/leads')).text);
    assert.ok(ids.includes(frLead) && ids.includes(deLead));
    assert.equal((await u.get(`/leads/${deLead}`)).status, 200);
  }
  // The navigation shows Leads to them, not to the others.
  assert.match((await s.get('/dashboard')).text, /href="\/leads"/);
  for (const u of [w.member, w.profileAdmin]) {
    assert.doesNotMatch((await u.client.get('/dashboard')).text, /href="\/leads"/);
    for (const path of ['/leads', '/leads.csv', `/leads/${frLead}`]) assert.equal((await u.client.get(path)).status, 404, `${path} for ${u.email}`);
    await u.client.get('/dashboard');
    assert.equal((await u.client.post(`/leads/${frLead}`, { action: 'accept' })).status, 404);
  }
  // Narrowing the scope to the DE ID takes effect at once.
  await w.a.client.get('/account/users');
  assert.equal((await postForm(w.a.client, `/account/users/${w.scoped.id}/roles`, [['role', 'referral_admin'], ['partner_id', w.de]])).status, 303);
  assert.equal((await s.get(`/leads/${frLead}`)).status, 404);
  assert.equal((await s.get(`/leads/${deLead}`)).status, 200);
  await postForm(w.a.client, `/account/users/${w.scoped.id}/roles`, [['role', 'referral_admin'], ['partner_id', w.a.pla]]);
  // Signed out: to the sign-in page.
  assert.equal((await new Client().get('/leads')).status, 303);
});

test('another company\'s lead: 404 on the detail, the POST, and never in the list or the CSV', async () => {
  const w = await theWorld();
  const theirs = await contact(w.bP);
  const c = w.a.client;
  assert.equal((await c.get(`/leads/${theirs}`)).status, 404);
  await c.get('/leads');
  assert.equal((await c.post(`/leads/${theirs}`, { action: 'accept' })).status, 404);
  assert.ok(!idsOf((await c.get('/leads')).text).includes(theirs));
  assert.ok(!csvIds((await c.get('/leads.csv')).text).includes(theirs));
  assert.equal(sqlValue(`SELECT status FROM leads WHERE id = ${theirs}`), 'received');
  assert.equal((await w.b.client.get(`/leads/${theirs}`)).status, 200, 'its own company sees it');
});

test('expiry: received on day D, still answerable on D+14, expired on every page from D+15 before the ctl runs; ctl leads expire stores it, idempotent; a bad date → non-zero', async () => {
  const w = await theWorld();
  const c = w.a.client;
  const last = await contact(w.fr), past = await contact(w.fr), answered = await contact(w.fr);
  setCreated(last, `${daysAgo(14)} 00:00:01`);     // day 14: the last day
  setCreated(past, `${daysAgo(15)} 23:59:59`);     // day 15: expired
  setCreated(answered, `${daysAgo(30)} 12:00:00`);
  sql(`UPDATE leads SET status = 'accepted' WHERE id = ${answered}`);
  assert.equal(await statusOn(c, last), 'received');
  const lastPage = await c.get(`/leads/${last}`);
  assert.ok(tagsWith(lastPage.text, 'span', 'data-days-left').some(e => e['data-days-left'] === '0'), '0 days left on the last day');
  assert.equal(await statusOn(c, past), 'expired');
  assert.equal(sqlValue(`SELECT status FROM leads WHERE id = ${past}`), 'received', 'not stored yet');
  const rows = leadRows((await c.get('/leads')).text);
  assert.equal(rows.find(x => x.id === past).status, 'expired');
  assert.equal(rows.find(x => x.id === last).status, 'received');
  assert.ok(idsOf((await c.get('/leads?status=expired')).text).includes(past));
  assert.ok(!idsOf((await c.get('/leads?status=received')).text).includes(past));
  const csvLine = (await c.get('/leads.csv')).text.split('\r\n').find(l => l.startsWith(`${past},`));
  assert.equal(csvLine.split(',')[2], 'expired');
  await c.get(`/leads/${past}`);
  let r = await c.post(`/leads/${past}`, { action: 'accept' });
  assert.equal(r.status, 409);
  assert.equal(refusalOf(r.text), 'expired');
  assert.match(r.text, /This lead expired: it was not answered within 14 days\./);
  // The ctl: the day-15 lead, not the day-14 one nor the accepted one; then nothing.
  const first = ctl(['leads', 'expire']);
  assert.equal(first.status, 0, first.stderr);
  const n = Number(first.stdout.match(/^(\d+) lead\(s\) expired as of (\d{4}-\d\d-\d\d)/)?.[1]);
  assert.ok(n >= 1, first.stdout);
  assert.equal(sqlValue(`SELECT status FROM leads WHERE id = ${past}`), 'expired');
  assert.equal(sqlValue(`SELECT status FROM leads WHERE id = ${last}`), 'received');
  assert.equal(sqlValue(`SELECT status FROM leads WHERE id = ${answered}`), 'accepted');
  assert.deepEqual(events(past).map(e => [e[0], e[1], e[2]]), [['expire', 'expired', '0']]);
  const again = ctl(['leads', 'expire']);
  assert.equal(again.status, 0);
  assert.match(again.stdout, /^0 lead\(s\) expired/);
  const page = await c.get(`/leads/${past}`);
  assert.ok(tagsWith(page.text, 'tr', 'data-event').some(e => e['data-event'] === 'expire'), 'the expiry in the history');
  // --as-of: a day before the lead's day 15 leaves the day-14 lead alone; bad dates are refused.
  const asOf = ctl(['leads', 'expire', '--as-of', daysAgo(0)]);
  assert.equal(asOf.status, 0);
  assert.equal(sqlValue(`SELECT status FROM leads WHERE id = ${last}`), 'received');
  for (const bad of [['--as-of', '2026-02-30'], ['--as-of', 'tomorrow'], ['--as-of'], ['--when', '2026-01-01']]) {
    const x = ctl(['leads', 'expire', ...bad]);
    assert.notEqual(x.status, 0, `expire ${bad.join(' ')}`);
    assert.match(x.stderr, /YYYY-MM-DD/);
  }
  // The day-14 lead is still answerable.
  await c.get(`/leads/${last}`);
  assert.equal((await c.post(`/leads/${last}`, { action: 'accept' })).status, 303);
});

test('ctl leads remind: the referral admins of the ID get one email when 3 days are left; once; not at 4 days left', async () => {
  const w = await theWorld();
  const due = await contact(w.fr, { name: 'Rémi Rappel' }), early = await contact(w.fr, { name: 'Ève Tôt' });
  setCreated(due, `${daysAgo(11)} 08:00:00`);   // 3 days left
  setCreated(early, `${daysAgo(10)} 08:00:00`); // 4 days left
  const first = ctl(['leads', 'remind']);
  assert.equal(first.status, 0, first.stderr);
  assert.ok(Number(first.stdout.match(/^(\d+) lead\(s\) reminded/)?.[1]) >= 1, first.stdout);
  const link = new RegExp(`/leads/${due}\\b`);
  for (const to of [w.scoped.email, w.all.email]) {
    const m = await waitMail(to, /Answer the lead of Rémi Rappel/);
    assert.match(m.body, link);
    assert.match(m.headers.subject, /Answer the lead of Rémi Rappel by \d{4}-\d\d-\d\d/);
  }
  assert.ok(sqlValue(`SELECT reminded_at FROM leads WHERE id = ${due}`) !== 'NULL');
  assert.equal(sqlValue(`SELECT reminded_at IS NULL FROM leads WHERE id = ${early}`), '1');
  assert.deepEqual(events(due).map(e => e[0]), ['remind']);
  const again = ctl(['leads', 'remind']);
  assert.equal(again.status, 0);
  assert.match(again.stdout, /^0 lead\(s\) reminded/);
  await sleep(300);
  assert.equal(mailsTo(w.scoped.email).filter(m => /Rémi Rappel/.test(m.body) && /Answer the lead/.test(m.headers.subject)).length, 1, 'one reminder');
  assert.equal(mailsTo(w.member.email).filter(m => /Rémi Rappel/.test(m.body)).length, 0);
  const page = await w.a.client.get(`/leads/${due}`);
  assert.ok(tagsWith(page.text, 'tr', 'data-event').some(e => e['data-event'] === 'remind'));
  assert.notEqual(ctl(['leads', 'remind', '--as-of', '2026-13-01']).status, 0);
  // A company without referral admins: its global admin is reminded.
  const theirs = await contact(w.bP, { name: 'Béa Sansréf' });
  setCreated(theirs, `${daysAgo(12)} 08:00:00`);
  assert.equal(ctl(['leads', 'remind']).status, 0);
  const gm = await waitMail(w.b.email, /Answer the lead of Béa Sansréf/);
  assert.match(gm.body, new RegExp(`/leads/${theirs}\\b`));
});

test('both languages: the list, the detail, a 409 reason and a 422 error in French', async () => {
  const w = await theWorld();
  const c = w.a.client;
  const l = await contact(w.fr);
  let r = await c.get('/leads?lang=fr');
  assert.equal(htmlLang(r.text), 'fr');
  assert.match(r.text, /<h1[^>]*>Prospects<\/h1>/);
  assert.match(r.text, /Reçu/);
  r = await c.get(`/leads/${l}?lang=fr`);
  assert.equal(htmlLang(r.text), 'fr');
  assert.match(r.text, /Répondre au prospect/);
  r = await c.post(`/leads/${l}?lang=fr`, { action: 'won' });
  assert.equal(r.status, 409);
  assert.match(r.text, /Seul un prospect accepté peut être marqué comme gagné ou perdu\./);
  r = await c.post(`/leads/${l}?lang=fr`, { action: 'decline' });
  assert.equal(r.status, 422);
  assert.match(fieldErrors(r.text).reason, /Indiquez pourquoi vous refusez ce prospect\./);
  r = await c.get(`/leads/${l}?lang=en`);
  assert.equal(htmlLang(r.text), 'en');
  assert.match(r.text, /Answer the lead/);
});

run();
