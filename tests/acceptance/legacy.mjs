// Legacy profiles and their migration (issue 13 items 3–5 and 7; CONTRACT "Legacy profiles and
// migration", §6 legacy TSV; DOMAIN §6): `partnerdesk-ctl legacy import` (each bad line with its
// number, nothing imported; progress on a large file; a good file published in its country and in
// the directory), GET /profiles/migrate and its days left, the migration of one profile (the
// wizard's greyed-out rules, content, slug and leads kept), the banner in both languages, and
// `migration expire --as-of` (links to the PGA, idempotent, companies without a PGA counted).
// Lead routing is read from the leads table: the PGA before migration, the chosen ID after, the
// PGA after linking. The test stack's [migration] ga_date must open the window today (scripts/test
// sets it 30 days back). `migration expire` links every company's legacy profiles: its test runs last.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  test, run, assert, Client, sql, sqlValue, quote, htmlLang, tagsWith, fieldErrors, enrolledCompany, signUp,
  addLocation, postForm, ctl, configValue, cspLabelOf, cspText, inviteUser,
} from './lib.mjs';

// ------------------------------------------------------------------------------------------ helpers

const DIR = mkdtempSync(join(tmpdir(), 'pd-legacy-'));
process.on('exit', () => rmSync(DIR, { recursive: true, force: true }));
const HEADER = 'tenant_domain\tname\tdescription\twebsite\tcountry\tcreated_on';
const word = () => 'zl' + Array.from({ length: 8 }, () => 'bcdfghjklmnpqrstvwxz'[Math.floor(Math.random() * 20)]).join('');
let files = 0;

// Runs `legacy import` on a file of the header and lines (arrays are joined with tabs).
function importLines(lines) {
  const file = join(DIR, `import-${++files}.tsv`);
  writeFileSync(file, [HEADER, ...lines.map(l => Array.isArray(l) ? l.join('\t') : l)].join('\n') + '\n');
  return { file, ...ctl(['legacy', 'import', file]) };
}
const line = (domain, name, country, { description = `${name} helps customers since 2012.`, website = 'https://legacy.example', created = '2023-03-15' } = {}) =>
  [domain, name, description, website, country, created];

// The day arithmetic of the window, in UTC, as the portal counts it.
const DAY = 86400000;
const dayOf = s => Date.parse(`${s}T00:00:00Z`) / DAY;
const fmt = d => new Date(d * DAY).toISOString().slice(0, 10);
const today = () => Math.floor(Date.now() / DAY);
function windowFacts() {
  const ga = configValue('migration', 'ga_date', '2024-02-29');
  const days = Number(configValue('migration', 'window_days', '120'));
  const first = dayOf(ga), closed = first + days;
  return { ga, days, first, lastOpen: closed - 1, firstClosed: closed, open: today() >= first && today() < closed };
}

const CITY = {
  DE: { city: 'Berlin', postal_code: '10115', address_line1: 'Unter den Linden 5' },
  ES: { city: 'Madrid', postal_code: '28013', address_line1: 'Calle Mayor 10' },
};
// An enrolled company (PGA and a FR location) with more location IDs: { ...s, locs: { CC: id } }.
async function company({ lang = 'en', countries = [] } = {}) {
  const s = await enrolledCompany({ lang, country: 'FR' });
  const locs = { FR: s.pla };
  for (const cc of countries)
    locs[cc] = await addLocation(s.client, s.email, { name: `Northwind ${cc}`, country: cc, ...CITY[cc] });
  return { ...s, locs };
}

// Imports one legacy profile per [name, country] for the company; returns { name: { id, slug } }.
function importFor(s, profiles) {
  const r = importLines(profiles.map(([name, cc, opts]) => line(s.domain, name, cc, opts)));
  assert.equal(r.status, 0, `import failed: ${r.stderr}`);
  const out = {};
  for (const [name] of profiles) {
    const row = sql(`SELECT id, slug FROM profiles WHERE tenant_id = ${Number(s.tenant)} AND name = ${quote(name)}`);
    assert.equal(row.length, 1, `${name} imported once`);
    out[name] = { id: row[0][0], slug: row[0][1] };
  }
  return out;
}

// True when the directory lists slug for customers in country cc (searched by a word of its name,
// so that other suites' profiles do not push it to a later page).
async function inDirectory(cc, slug, name) {
  const q = name.split(' ').pop();
  const r = await new Client().get(`/partners?country=${cc}&q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200);
  return tagsWith(r.text, 'a', 'data-profile-slug').some(a => a['data-profile-slug'] === slug);
}
const profileRows = html => tagsWith(html, 'tr', 'data-profile-id');
const rowOf = (html, id) => profileRows(html).find(a => a['data-profile-id'] === String(id));
const inputOf = (html, name, value) => tagsWith(html, 'input').find(a => a.name === name && a.value === value);
const isDisabled = a => a && 'disabled' in a;
function reasonOf(html, name, value) {
  const label = cspLabelOf(html, name, value);
  if (label === null) return null;
  const m = label.match(/<([a-z]+)\b[^>]*\sclass="(?:[^"]*\s)?reason(?:\s[^"]*)?"[^>]*>([\s\S]*?)<\/\1>/);
  return m ? cspText(m[2]) : '';
}
const daysLeftOf = html => (tagsWith(html, '*', 'data-window-days-left')[0] || {})['data-window-days-left'];
const refusalOf = html => (tagsWith(html, '*', 'data-refusal').find(a => /\berror\b/.test(a.class || '')) || {})['data-refusal'];

// POST /profiles/{id}/migrate with [name, value] pairs, the form loaded first for its token.
async function migrate(c, id, pairs) {
  await c.get(`/profiles/${id}/migrate`);
  return postForm(c, `/profiles/${id}/migrate`, pairs);
}

// A customer's contact request on a public page; returns the lead's partner ID (via SQL).
async function contact(slug) {
  const c = new Client();
  await c.get(`/partners/${slug}`);
  const email = `cust.${word()}@customer.example`;
  const r = await c.post(`/partners/${slug}/contact`, {
    name: 'Jeanne Client', email, company: 'Client SA', country: 'FR', phone: '', message: 'Bonjour, un projet cloud.',
  });
  assert.equal(r.status, 303, `contact answered ${r.status}: ${JSON.stringify(fieldErrors(r.text))}`);
  return sql(`SELECT a.partner_id, l.profile_id FROM leads l JOIN partner_accounts a ON a.id = l.partner_account_id
              WHERE l.customer_email = ${quote(email)}`)[0];
}

// ------------------------------------------------------------------------------------------- import

test('the test stack opens the migration window today ([migration] ga_date)', () => {
  const w = windowFacts();
  assert.ok(w.open, `[migration] ga_date=${w.ga}, window_days=${w.days}: the window must be open on ${fmt(today())}`);
});

test('legacy import: each bad line reported with its number (header line 1, comments count), nothing imported, non-zero exit', async () => {
  const s = await signUp({ country: 'FR' });
  const taken = importLines([line(s.domain, 'Already Here', 'DE')]);
  assert.equal(taken.status, 0, taken.stderr);
  const before = Number(sqlValue('SELECT COUNT(*) FROM profiles'));
  const d = s.domain;
  const r = importLines([
    line(d, 'Good One', 'FR'),                                     // 2
    '# a comment line',                                            // 3
    line(`unknown-${word()}.example`, 'Nobody', 'FR'),             // 4 unknown tenant domain
    line(d, 'Bad Country', 'XX'),                                  // 5 bad country
    line(d, 'Too Late', 'IT', { created: '2024-02-29' }),          // 6 on the cut-off day
    line(d, 'Bad Date', 'ES', { created: '2023-02-30' }),          // 7 no such day
    [d, 'Missing', 'x', '', 'PT'].join('\t'),                      // 8 five fields
    line(d, 'Taken', 'DE'),                                        // 9 the company has a profile in DE
    line(d, 'Twice', 'FR'),                                        // 10 line 2 already gives FR
    line(d, 'Last Good', 'BE', { created: '2024-02-28' }),         // 11 the last legacy day: good
  ]);
  assert.notEqual(r.status, 0, 'non-zero exit');
  const bad = [...r.stderr.matchAll(/:(\d+): /g)].map(m => Number(m[1]));
  assert.deepEqual(bad, [4, 5, 6, 7, 8, 9, 10], `bad lines reported: ${r.stderr}`);
  assert.match(r.stderr, /:4: unknown tenant domain/);
  assert.match(r.stderr, /:5: bad country/);
  assert.match(r.stderr, /:6: date too late/);
  assert.match(r.stderr, /:7: bad date/);
  assert.match(r.stderr, /:8: missing field/);
  assert.match(r.stderr, /:9: country taken/);
  assert.match(r.stderr, /:10: country taken: line 2/);
  assert.match(r.stderr, /nothing imported/);
  assert.equal(Number(sqlValue('SELECT COUNT(*) FROM profiles')), before, 'no profile imported');
  const tenant = sqlValue(`SELECT tenant_id FROM tenant_domains WHERE domain = ${quote(d)}`);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM profiles WHERE tenant_id = ${tenant}`), '1', 'only the profile imported before');
  const empty = importLines([]);
  assert.equal(empty.status, 0, 'a file of the header alone imports nothing and succeeds');
  assert.match(empty.stdout, /^0 legacy profile\(s\) imported/);
  const missing = ctl(['legacy', 'import', join(DIR, 'no-such-file.tsv')]);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /cannot open/);
});

test('legacy import: progress on stderr for a large file; all or nothing holds for a bad last line', async () => {
  const countries = sql('SELECT DISTINCT country FROM csp_regions ORDER BY country').map(r => r[0]).slice(0, 220);
  const domains = [];
  for (let i = 0; i < 5; i++) domains.push((await signUp({ country: 'FR' })).domain);
  const lines = [];
  for (const d of domains) for (const cc of countries) lines.push(line(d, `Bulk ${cc}`, cc, { description: '' }));
  assert.ok(lines.length >= 1100, `${lines.length} lines`);
  const before = Number(sqlValue('SELECT COUNT(*) FROM profiles'));
  const bad = importLines([...lines, line(domains[0], 'Late', 'ZW', { created: '2025-01-01' })]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /checked 1000 lines/, 'progress while checking');
  assert.match(bad.stderr, new RegExp(`:${lines.length + 2}: date too late`));
  assert.equal(Number(sqlValue('SELECT COUNT(*) FROM profiles')), before, 'nothing imported');
  const good = importLines(lines);
  assert.equal(good.status, 0, good.stderr.slice(-500));
  assert.match(good.stderr, /imported 1000 of \d+ profiles/, 'progress while storing');
  assert.match(good.stdout, new RegExp(`^${lines.length} legacy profile\\(s\\) imported`));
  assert.equal(Number(sqlValue('SELECT COUNT(*) FROM profiles')), before + lines.length);
}, { timeoutMs: 240000 });

test('legacy import: published in its country with no partner ID, slug, content and creation date from the file; in the directory; data-legacy on /profiles', async () => {
  const s = await company();
  const name = `Legacy ${word()}`;
  const p = importFor(s, [[name, 'BE', { description: 'Nous accompagnons les PME belges depuis 2010.', website: 'https://old.example/fr', created: '2021-06-30' }]])[name];
  const row = sql(`SELECT status, legacy, partner_account_id IS NULL, type, website, description, DATE(created_at), migrated_at IS NULL, linked_at IS NULL
                   FROM profiles WHERE id = ${p.id}`)[0];
  assert.deepEqual(row, ['published', '1', '1', 'non_csp', 'https://old.example/fr', 'Nous accompagnons les PME belges depuis 2010.', '2021-06-30', '1', '1']);
  assert.deepEqual(sql(`SELECT country FROM profile_locations WHERE profile_id = ${p.id}`), [['BE']]);
  assert.match(p.slug, /^legacy-zl[a-z]+-[a-z]{6}$/, `a slug from the name: ${p.slug}`);
  assert.ok(await inDirectory('BE', p.slug, name), 'in the directory for BE');
  assert.ok(!(await inDirectory('FR', p.slug, name)), 'not for FR');
  const pub = await new Client().get(`/partners/${p.slug}`);
  assert.equal(pub.status, 200);
  assert.match(pub.text, /Nous accompagnons les PME belges depuis 2010\./);
  const list = await s.client.get('/profiles');
  const tr = rowOf(list.text, p.id);
  assert.equal(tr['data-legacy'], 'yes');
  assert.equal(tr['data-status'], 'published');
  assert.ok(!('data-linked' in tr), 'not linked inside the window');
  assert.equal(tr['data-managing-partner-id'], s.pga, 'its leads\' partner ID: the PGA');
  // A legacy profile can be deleted like any (confirmed by its name): it leaves the directory.
  await s.client.get(`/profiles/${p.id}/delete`);
  const del = await s.client.post(`/profiles/${p.id}/delete`, { confirm: name });
  assert.equal(del.status, 303);
  assert.ok(!(await inDirectory('BE', p.slug, name)), 'gone from the directory');
  assert.equal(profileRows((await s.client.get('/profiles/migrate')).text).length, 0, 'nothing left to migrate');
  assert.equal(tagsWith((await s.client.get('/dashboard')).text, 'div', 'data-window-days-left').length, 0, 'no banner');
});

// ----------------------------------------------------------------------------------- the window

test('GET /profiles/migrate: the legacy profiles not migrated, the days left; the banner on the dashboard and the profiles list in both languages', async () => {
  const s = await company();
  const names = [`Alpha ${word()}`, `Beta ${word()}`];
  const p = importFor(s, [[names[0], 'FR'], [names[1], 'IT']]);
  const w = windowFacts();
  const left = String(w.firstClosed - today());
  const r = await s.client.get('/profiles/migrate');
  assert.equal(r.status, 200);
  assert.deepEqual(profileRows(r.text).map(a => a['data-profile-id']).sort(), [p[names[0]].id, p[names[1]].id].sort());
  assert.equal(daysLeftOf(r.text), left, `${left} days left (window ${w.ga} + ${w.days})`);
  assert.match(cspText(r.text), new RegExp(`${left} day\\(s\\) left`));
  for (const path of ['/dashboard', '/profiles']) {
    const en = await s.client.get(`${path}?lang=en`);
    const banner = tagsWith(en.text, 'div', 'data-window-days-left')[0];
    assert.ok(banner, `a banner on ${path}`);
    assert.equal(banner['data-window-days-left'], left);
    assert.equal(banner['data-legacy-profiles'], '2');
    assert.match(cspText(en.text), new RegExp(`2 legacy profile\\(s\\) to migrate to a managing partner ID: ${left} day\\(s\\) left, until ${fmt(w.lastOpen)}`));
    const fr = await s.client.get(`${path}?lang=fr`);
    assert.equal(htmlLang(fr.text), 'fr');
    assert.match(cspText(fr.text), new RegExp(`2 profil\\(s\\) hérité\\(s\\) à migrer vers un ID partenaire gestionnaire : il reste ${left} jour\\(s\\), jusqu’au ${fmt(w.lastOpen)}`));
  }
  const frList = await s.client.get('/profiles/migrate?lang=fr');
  assert.match(cspText(frList.text), new RegExp(`il reste ${left} jour\\(s\\)`));
  assert.equal((await s.client.get('/profiles/new')).status, 200, 'the wizard\'s first step is still routed');
  // A member neither sees the banner nor reaches the migration; a profile admin does.
  const member = await inviteUser(s.client, s.domain, 'member');
  assert.equal(tagsWith((await member.client.get('/dashboard')).text, 'div', 'data-window-days-left').length, 0);
  assert.equal((await member.client.get('/profiles/migrate')).status, 404);
  assert.equal((await member.client.get(`/profiles/${p[names[0]].id}/migrate`)).status, 404);
  const admin = await inviteUser(s.client, s.domain, 'profile_admin');
  assert.equal(tagsWith((await admin.client.get('/dashboard')).text, 'div', 'data-window-days-left')[0]['data-window-days-left'], left);
  assert.equal(profileRows((await admin.client.get('/profiles/migrate')).text).length, 2);
  // A company without legacy profiles has no banner.
  const plain = await company();
  assert.equal(tagsWith((await plain.client.get('/dashboard')).text, 'div', 'data-window-days-left').length, 0);
  assert.equal(profileRows((await plain.client.get('/profiles/migrate')).text).length, 0);
  // Another company's legacy profile: 404.
  assert.equal((await plain.client.get(`/profiles/${p[names[0]].id}/migrate`)).status, 404);
  await plain.client.get('/profiles');
  assert.equal((await postForm(plain.client, `/profiles/${p[names[0]].id}/migrate`, [['partner_id', plain.pla], ['publish_location', 'FR']])).status, 404);
});

test('migrate: greyed-out publish locations (a profile of the company is there) and sell markets (a publish location); 422 per field; the wizard steps send to the migration', async () => {
  const s = await company({ countries: ['DE', 'ES'] });
  const a = `Gamma ${word()}`, b = `Delta ${word()}`;
  const p = importFor(s, [[a, 'FR'], [b, 'ES']]);
  const id = p[a].id;
  const form = await s.client.get(`/profiles/${id}/migrate`);
  assert.equal(form.status, 200);
  assert.ok(inputOf(form.text, 'partner_id', s.pga) && inputOf(form.text, 'partner_id', s.locs.DE), 'the active IDs offered');
  assert.ok(inputOf(form.text, 'publish_location', 'FR') && !isDisabled(inputOf(form.text, 'publish_location', 'FR')), 'its own country stays open');
  assert.ok(!isDisabled(inputOf(form.text, 'publish_location', 'DE')));
  assert.ok(isDisabled(inputOf(form.text, 'publish_location', 'ES')), 'ES (the other legacy profile) is disabled');
  assert.match(reasonOf(form.text, 'publish_location', 'ES'), /Another profile of your company already uses this country/);
  assert.ok(!inputOf(form.text, 'publish_location', 'IT'), 'no location ID in IT: not offered');
  assert.ok(tagsWith(form.text, 'input').filter(x => x.name === 'publish_location').every(x => !('checked' in x)), 'none checked at first');
  const frForm = await s.client.get(`/profiles/${id}/migrate?lang=fr`);
  assert.match(reasonOf(frForm.text, 'publish_location', 'ES'), /Un autre profil de votre entreprise utilise déjà ce pays/);
  await s.client.get('/profiles/migrate?lang=en');

  let r = await migrate(s.client, id, [['partner_id', s.locs.DE], ['publish_location', 'ES']]);
  assert.equal(r.status, 422);
  assert.ok(fieldErrors(r.text).publish_location, 'a taken country');
  r = await migrate(s.client, id, [['partner_id', s.locs.DE]]);
  assert.equal(r.status, 422);
  assert.ok(fieldErrors(r.text).publish_location, 'no publish location');
  r = await migrate(s.client, id, [['partner_id', s.locs.DE], ['publish_location', 'DE'], ['sell_market', 'DE'], ['sell_market', 'IT']]);
  assert.equal(r.status, 422);
  assert.match(fieldErrors(r.text).sell_market, /Already a publish location of this profile/);
  assert.ok(isDisabled(inputOf(r.text, 'sell_market', 'DE')), 'DE greyed out in sell markets once chosen as a publish location');
  assert.match(reasonOf(r.text, 'sell_market', 'DE'), /Already a publish location/);
  assert.ok('checked' in inputOf(r.text, 'publish_location', 'DE') && 'checked' in inputOf(r.text, 'sell_market', 'IT'), 'the choices kept');
  const other = await company();
  r = await migrate(s.client, id, [['partner_id', other.pla], ['publish_location', 'DE']]);
  assert.equal(r.status, 422);
  assert.ok(fieldErrors(r.text).partner_id, 'another company\'s partner ID');
  r = await migrate(s.client, id, [['partner_id', s.locs.DE], ['publish_location', 'DE'], ['sell_market', 'QQ']]);
  assert.equal(r.status, 422);
  assert.ok(fieldErrors(r.text).sell_market, 'an unknown country');
  const fr = await s.client.get(`/profiles/${id}/migrate?lang=fr`);
  r = await postForm(s.client, `/profiles/${id}/migrate`, [['partner_id', s.locs.DE], ['publish_location', 'ES']]);
  assert.equal(htmlLang(r.text), 'fr');
  assert.match(fieldErrors(r.text).publish_location, /Un autre profil/);
  assert.ok(fr.status === 200);
  r = await s.client.post(`/profiles/${id}/migrate`, { partner_id: s.locs.DE, publish_location: 'DE' }, { csrf: null });
  assert.equal(r.status, 403, 'no csrf');
  assert.equal(sqlValue(`SELECT migrated_at IS NULL FROM profiles WHERE id = ${id}`), '1', 'nothing changed');
  for (const stepName of ['type', 'locations', 'markets']) {
    const g = await s.client.get(`/profiles/${id}/${stepName}`);
    assert.equal(g.status, 303, `the wizard's ${stepName} step of a legacy profile`);
    assert.equal(g.location, `/profiles/${id}/migrate`);
  }
  await s.client.get(`/profiles/${id}/migrate`);
  const post = await postForm(s.client, `/profiles/${id}/locations`, [['publish_location', 'DE']]);
  assert.equal(post.status, 303);
  assert.deepEqual(sql(`SELECT country FROM profile_locations WHERE profile_id = ${id}`), [['FR']], 'the wizard changed nothing');
});

test('migrate: the profile becomes a modern one under the chosen ID, keeping content, slug and leads; leads go to the PGA before and to the chosen ID after; migrating again → 422', async () => {
  const s = await company({ countries: ['DE'] });
  const name = `Epsilon ${word()}`;
  const p = importFor(s, [[name, 'FR', { description: 'Conseil et migration vers le cloud depuis 2011.', website: 'https://epsilon.example' }]])[name];
  const [before, leadProfile] = await contact(p.slug);
  assert.equal(before, s.pga, 'a legacy profile\'s lead goes to the PGA');
  assert.equal(leadProfile, p.id);
  const r = await migrate(s.client, p.id, [['partner_id', s.locs.DE], ['publish_location', 'DE'], ['publish_location', 'FR'], ['sell_market', 'IT']]);
  assert.equal(r.status, 303, `migrate answered ${r.status}: ${JSON.stringify(fieldErrors(r.text))}`);
  assert.equal(r.location, '/profiles?done=migrate');
  const row = sql(`SELECT slug, name, description, website, status, legacy, migrated_at IS NOT NULL, linked_at IS NULL, type FROM profiles WHERE id = ${p.id}`)[0];
  assert.deepEqual(row, [p.slug, name, 'Conseil et migration vers le cloud depuis 2011.', 'https://epsilon.example', 'published', '1', '1', '1', 'non_csp']);
  assert.deepEqual(sql(`SELECT country FROM profile_locations WHERE profile_id = ${p.id} ORDER BY country`), [['DE'], ['FR']]);
  assert.deepEqual(sql(`SELECT country FROM profile_markets WHERE profile_id = ${p.id}`), [['IT']]);
  const list = await s.client.get(r.location);
  const tr = rowOf(list.text, p.id);
  assert.equal(tr['data-managing-partner-id'], s.locs.DE);
  assert.ok(!('data-legacy' in tr) && !('data-linked' in tr), 'a modern profile now');
  assert.match(cspText(list.text), /The legacy profile was migrated/);
  assert.equal(tagsWith(list.text, 'div', 'data-window-days-left').length, 0, 'no banner once no legacy profile remains');
  assert.equal(profileRows((await s.client.get('/profiles/migrate')).text).length, 0, 'no longer to migrate');
  for (const cc of ['DE', 'FR', 'IT'])
    assert.ok(await inDirectory(cc, p.slug, name), `in the directory for ${cc}`);
  assert.ok(!(await inDirectory('ES', p.slug, name)), 'not for ES');
  assert.equal((await new Client().get(`/partners/${p.slug}`)).status, 200, 'the same public address');
  const [after] = await contact(p.slug);
  assert.equal(after, s.locs.DE, 'a new lead goes to the chosen ID');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM leads WHERE profile_id = ${p.id}`), '2', 'the old lead stays with the profile');
  assert.equal(sqlValue(`SELECT a.partner_id FROM leads l JOIN partner_accounts a ON a.id = l.partner_account_id WHERE l.profile_id = ${p.id} ORDER BY l.id LIMIT 1`), s.pga);
  const again = await migrate(s.client, p.id, [['partner_id', s.locs.DE], ['publish_location', 'DE']]);
  assert.equal(again.status, 422);
  assert.equal(refusalOf(again.text), 'migrated');
  assert.match(cspText(again.text), /already been migrated/);
  const frAgain = await migrate(s.client, p.id, [['partner_id', s.locs.DE], ['publish_location', 'DE']]);
  assert.equal(frAgain.status, 422);
  // The wizard works on it as on any profile.
  assert.equal((await s.client.get(`/profiles/${p.id}/locations`)).status, 200);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_log WHERE action = 'profile.migrate' AND object = 'profile:${p.id}'`), '1');
});

// --------------------------------------------------------------------------- after the window

test('migration expire: nothing before the window closes; after it links every legacy profile not migrated to its PGA (data-linked, leads to the PGA, migration refused), idempotent, companies without a PGA counted', async () => {
  const w = windowFacts();
  const s = await company({ countries: ['DE'] });
  const kept = `Zeta ${word()}`, moved = `Eta ${word()}`;
  const p = importFor(s, [[kept, 'FR'], [moved, 'IT']]);
  let r = await migrate(s.client, p[moved].id, [['partner_id', s.locs.DE], ['publish_location', 'DE']]);
  assert.equal(r.status, 303);
  const orphan = await signUp({ country: 'FR' });
  const orphanName = `Orphan ${word()}`;
  assert.equal(importLines([line(orphan.domain, orphanName, 'FR')]).status, 0);

  const open = ctl(['migration', 'expire', '--as-of', fmt(w.lastOpen)]);
  assert.equal(open.status, 0, open.stderr);
  assert.match(open.stdout, /0 legacy profile\(s\) linked/);
  assert.equal(sqlValue(`SELECT linked_at IS NULL FROM profiles WHERE id = ${p[kept].id}`), '1', 'the last day is still inside the window');

  const first = ctl(['migration', 'expire', '--as-of', fmt(w.firstClosed)]);
  assert.equal(first.status, 0, first.stderr);
  const linked = Number((first.stdout.match(/(\d+) legacy profile\(s\) linked/) || [])[1]);
  const noPga = Number((first.stdout.match(/(\d+) company\(ies\) with legacy profiles have no PGA yet/) || [])[1]);
  assert.ok(linked >= 1, first.stdout);
  assert.ok(noPga >= 1, `the company without a PGA is counted: ${first.stdout}`);
  assert.deepEqual(sql(`SELECT partner_account_id = (SELECT id FROM partner_accounts WHERE partner_id = ${quote(s.pga)}), linked_at IS NOT NULL FROM profiles WHERE id = ${p[kept].id}`)[0], ['1', '1']);
  assert.equal(sqlValue(`SELECT linked_at IS NULL FROM profiles WHERE id = ${p[moved].id}`), '1', 'a migrated profile is never linked');
  assert.equal(sqlValue(`SELECT linked_at IS NULL AND partner_account_id IS NULL FROM profiles WHERE name = ${quote(orphanName)}`), '1', 'no PGA: not linked');

  const again = ctl(['migration', 'expire', '--as-of', fmt(w.firstClosed + 30)]);
  assert.equal(again.status, 0);
  assert.match(again.stdout, /^0 legacy profile\(s\) linked/, 'idempotent');
  const list = await s.client.get('/profiles');
  const tr = rowOf(list.text, p[kept].id);
  assert.equal(tr['data-linked'], 'pga');
  assert.equal(tr['data-legacy'], 'yes');
  assert.equal(tr['data-managing-partner-id'], s.pga);
  assert.equal(tr['data-status'], 'published');
  assert.ok(!('data-linked' in rowOf(list.text, p[moved].id)));
  assert.ok(await inDirectory('FR', p[kept].slug, kept), 'still in the directory');
  const [lead] = await contact(p[kept].slug);
  assert.equal(lead, s.pga, 'its leads go to the PGA');
  const refused = await migrate(s.client, p[kept].id, [['partner_id', s.locs.DE], ['publish_location', 'DE']]);
  assert.equal(refused.status, 422);
  assert.equal(refusalOf(refused.text), 'linked');
  assert.match(cspText(refused.text), /linked to your global partner ID \(PGA\)/);
  await s.client.get('/profiles?lang=fr');
  const frRefused = await postForm(s.client, `/profiles/${p[kept].id}/migrate`, [['partner_id', s.locs.DE], ['publish_location', 'DE']]);
  assert.equal(frRefused.status, 422);
  assert.match(cspText(frRefused.text), /lié à votre ID partenaire global \(PGA\)/);
  assert.equal(sqlValue(`SELECT partner_account_id = (SELECT id FROM partner_accounts WHERE partner_id = ${quote(s.pga)}) FROM profiles WHERE id = ${p[kept].id}`), '1', 'still the PGA\'s');
  assert.equal((await s.client.get(`/profiles/${p[kept].id}/type`)).location, `/profiles/${p[kept].id}/migrate`, 'its managing ID stays the PGA');
  assert.equal((await s.client.get(`/profiles/${p[kept].id}/locations`)).status, 200, 'a linked profile is edited like any profile');
  const page = await s.client.get('/profiles/migrate?lang=en');
  assert.deepEqual(profileRows(page.text).map(a => [a['data-profile-id'], a['data-linked']]), [[p[kept].id, 'pga']],
    'the linked profile is still listed (not migrated), the migrated one is not');
  assert.match(cspText(page.text), /linked to your global partner ID \(PGA\): it can no longer be migrated/);
  assert.ok(!page.text.includes(`href="/profiles/${p[kept].id}/migrate"`), 'no migrate link on a linked profile');
  assert.equal(tagsWith((await s.client.get('/dashboard')).text, 'div', 'data-window-days-left').length, 0, 'no countdown once linked');
  const bad = ctl(['migration', 'expire', '--as-of', '2027-02-30']);
  assert.notEqual(bad.status, 0);
});

await run();
