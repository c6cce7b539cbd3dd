// Business profiles (DOMAIN §5, CONTRACT "Business profiles", issue 12 items 1–4): the wizard's
// steps and their rules, each refusal (422 with .error[data-field]; greyed-out choices disabled
// with a .reason inside their label), the content guidelines, logos, revisiting every step,
// drafts across sign-out, publishing, deleting, the list's data-* facts, tenant isolation,
// roles and both languages. Every test starts from its own company.
import { deflateSync } from 'node:zlib';
import {
  test, run, assert, Client, sql, sqlValue, quote, htmlLang, tagsWith, errorFields, fieldErrors, enrolledCompany,
  addLocation, inviteUser, postForm, partnerAccountId, signIn, cspLabelOf, cspText, unescapeHtml, BASE,
} from './lib.mjs';

// ------------------------------------------------------------------------------------------ helpers

const pathOf = loc => (loc || '').split('?')[0];

// A company with a managing location ID in FR (from enrollment) and more location IDs in the
// given countries: { ...enrolledCompany, locs: { CC: partnerId } }.
const CITY = {
  DE: { city: 'Berlin', postal_code: '10115', address_line1: 'Unter den Linden 5' },
  ES: { city: 'Madrid', postal_code: '28013', address_line1: 'Calle Mayor 10' },
  BE: { city: 'Bruxelles', postal_code: '1000', address_line1: 'Rue Royale 20' },
  US: { city: 'San Francisco', postal_code: '94110', address_line1: '492 Koller St', region: 'CA' },
  JP: { city: 'Tokyo', postal_code: '100-0001', address_line1: '1-1 Chiyoda' },
};
async function company({ lang = 'en', countries = [] } = {}) {
  const s = await enrolledCompany({ lang, country: 'FR' });
  const locs = { FR: s.pla };
  for (const cc of countries)
    locs[cc] = await addLocation(s.client, s.email, { name: `Northwind ${cc}`, country: cc, ...CITY[cc] });
  return { ...s, locs };
}

// Makes the company an active CSP tenant whose CSP location is partner ID pid.
function makeCsp(tenant, pid) {
  sql(`INSERT INTO csp_applications (tenant_id, status, step, partner_account_id, legal_name, country, submitted_at, decided_at)
       VALUES (${Number(tenant)}, 'active', 4, ${partnerAccountId(pid)}, 'Northwind Traders SARL',
       (SELECT country FROM partner_accounts WHERE partner_id = ${quote(pid)}), NOW(3), NOW(3))`);
}

// POST /profiles/new → the new profile's id (asserting the 303 to its locations step).
async function newProfile(c, partnerId, type = 'non_csp') {
  await c.get('/profiles/new');
  const r = await c.post('/profiles/new', { partner_id: partnerId, type });
  assert.equal(r.status, 303, `POST /profiles/new answered ${r.status}: ${r.text.slice(0, 400)}`);
  const m = pathOf(r.location).match(/^\/profiles\/(\d+)\/locations$/);
  assert.ok(m, `303 to /profiles/{id}/locations, got ${r.location}`);
  return m[1];
}

// POSTs a step of profile id with [name, value] pairs (the step's page loaded first for its token).
async function step(c, id, name, pairs) {
  await c.get(`/profiles/${id}/${name}`);
  return postForm(c, `/profiles/${id}/${name}`, pairs);
}

const CONTENT = {
  name: 'Northwind Cloud Services',
  description: 'We move small and medium businesses to Azure and keep them secure, since 2009.',
  website: 'https://northwind.example',
  lead_email: 'leads@northwind.example',
};
// The content step's pairs: CONTENT with over, and the lists.
function contentPairs(over = {}, { industry = ['retail'], area = ['data_ai', 'security'], language = ['en', 'fr'], extra = [] } = {}) {
  const f = { ...CONTENT, ...over };
  return [...Object.entries(f), ...industry.map(v => ['industry', v]), ...area.map(v => ['solution_area', v]),
    ...language.map(v => ['language', v]), ...extra];
}

// A profile through every step (publish locations, sell markets, content), not published.
async function completeProfile(s, { partnerId = s.pla, locations = ['FR'], markets = [], regions = [], content = {} } = {}) {
  const id = await newProfile(s.client, partnerId);
  let r = await step(s.client, id, 'locations', locations.map(cc => ['publish_location', cc]));
  assert.equal(r.status, 303, `locations answered ${r.status}: ${JSON.stringify(fieldErrors(r.text))}`);
  r = await step(s.client, id, 'markets', [...markets.map(cc => ['sell_market', cc]), ...regions.map(x => ['sell_region', x])]);
  assert.equal(r.status, 303, `markets answered ${r.status}: ${JSON.stringify(fieldErrors(r.text))}`);
  r = await step(s.client, id, 'content', contentPairs(content));
  assert.equal(r.status, 303, `content answered ${r.status}: ${JSON.stringify(fieldErrors(r.text))}`);
  return id;
}

// The checkbox/radio <input name=NAME value=VALUE> of a page: its attributes, or undefined.
const inputOf = (html, name, value) => tagsWith(html, 'input').find(a => a.name === name && a.value === value);
const isDisabled = a => a && 'disabled' in a;
const isChecked = a => a && 'checked' in a;
// The text of the .reason inside the label holding that input ('' without one, null without label).
function reasonOf(html, name, value) {
  const label = cspLabelOf(html, name, value);
  if (label === null) return null;
  const m = label.match(/<([a-z]+)\b[^>]*\sclass="(?:[^"]*\s)?reason(?:\s[^"]*)?"[^>]*>([\s\S]*?)<\/\1>/);
  return m ? cspText(m[2]) : '';
}
// Values offered for a field name (enabled or not).
const offered = (html, name) => tagsWith(html, 'input').filter(a => a.name === name).map(a => a.value);
const profileRows = html => tagsWith(html, 'tr', 'data-profile-id');
const rolesOfUser = id => sql(`SELECT role FROM user_roles WHERE user_id = ${Number(id)}`).map(x => x[0]).join(',');
const profileStatus = id => sqlValue(`SELECT status FROM profiles WHERE id = ${Number(id)}`);

// Tiny images built by hand: a PNG of w×h RGB pixels, the 1×1 GIF, a 1×1 JPEG.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(w, h) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w * 3; x++) raw[y * (w * 3 + 1) + 1 + x] = (x * 37 + y * 11) & 255;
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
const GIF = Buffer.from('47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b', 'hex');
const JPEG = Buffer.from('FFD8FFE000104A46494600010100000100010000FFDB004300030202020202030202020303030304060404040404080606050609080A0A090809090A0C0F0C0A0B0E0B09090D110D0E0F101011100A0C12131210130F101010FFC9000B080001000101011100FFCC000600101005FFDA0008010100003F00D2CF20FFD9', 'hex');

// POST the content step as multipart with a logo (bytes, filename, type).
async function postLogo(c, id, bytes, filename, mime, over = {}) {
  await c.get(`/profiles/${id}/content`);
  const fd = new FormData();
  fd.append('csrf', c.csrf);
  for (const [k, v] of contentPairs(over)) fd.append(k, v);
  fd.append('logo', new Blob([bytes], { type: mime }), filename);
  const res = await fetch(BASE + `/profiles/${id}/content`, { method: 'POST', body: fd, redirect: 'manual', headers: { ...c.headers, cookie: c.cookieHeader() } });
  c.storeCookies(res);
  return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}

// ------------------------------------------------------------------------------ type and partner ID

test('GET /profiles/new: every active ID of the company offered; CSP type disabled with a reason for a company that is not a CSP', async () => {
  const s = await company({ countries: ['DE'] });
  const r = await s.client.get('/profiles/new');
  assert.equal(r.status, 200);
  const ids = offered(r.text, 'partner_id').concat(
    [...r.text.matchAll(/<option\b[^>]*\svalue="(\d{7})"/g)].map(m => m[1]));
  assert.ok(ids.includes(s.pla) && ids.includes(s.locs.DE), `both location IDs offered: ${ids}`);
  const csp = inputOf(r.text, 'type', 'csp');
  assert.ok(csp, 'a type=csp choice');
  assert.ok(isDisabled(csp), 'type=csp is disabled');
  assert.ok(reasonOf(r.text, 'type', 'csp'), 'with a .reason in its label');
  assert.ok(!isDisabled(inputOf(r.text, 'type', 'non_csp')), 'type=non_csp is enabled');
});

test('POST /profiles/new: type=csp by a company that is not a CSP → 422 on type; an unknown or foreign partner ID → 422 on partner_id', async () => {
  const s = await company();
  const other = await company();
  await s.client.get('/profiles/new');
  let r = await s.client.post('/profiles/new', { partner_id: s.pla, type: 'csp' });
  assert.equal(r.status, 422);
  assert.ok(errorFields(r.text).has('type'), `error on type: ${JSON.stringify(fieldErrors(r.text))}`);
  r = await s.client.post('/profiles/new', { partner_id: other.pla, type: 'non_csp' });
  assert.equal(r.status, 422, 'another company\'s ID');
  assert.ok(errorFields(r.text).has('partner_id'));
  r = await s.client.post('/profiles/new', { partner_id: '9999999', type: 'non_csp' });
  assert.equal(r.status, 422);
  assert.ok(errorFields(r.text).has('partner_id'));
  r = await s.client.post('/profiles/new', { partner_id: s.pla, type: 'other' });
  assert.equal(r.status, 422);
  assert.ok(errorFields(r.text).has('type'));
  assert.equal(Number(sqlValue(`SELECT COUNT(*) FROM profiles WHERE tenant_id = ${s.tenant}`)), 0, 'no profile created');
});

test('POST /profiles/new: an inactive partner ID is refused', async () => {
  const s = await company({ countries: ['DE'] });
  sql(`UPDATE partner_accounts SET status = 'inactive' WHERE partner_id = ${quote(s.locs.DE)}`);
  await s.client.get('/profiles/new');
  const r = await s.client.post('/profiles/new', { partner_id: s.locs.DE, type: 'non_csp' });
  assert.equal(r.status, 422);
  assert.ok(errorFields(r.text).has('partner_id'));
});

test('an active CSP tenant: type=csp enabled; a CSP profile offers publish locations and sell markets only inside its CSP market', async () => {
  const s = await company({ countries: ['DE', 'US'] });
  makeCsp(s.tenant, s.pla); // CSP location in FR: the market is the region "europe"
  let r = await s.client.get('/profiles/new');
  assert.ok(!isDisabled(inputOf(r.text, 'type', 'csp')), 'type=csp enabled for an active CSP tenant');
  const id = await newProfile(s.client, s.pla, 'csp');
  assert.equal(sqlValue(`SELECT type FROM profiles WHERE id = ${id}`), 'csp');
  r = await s.client.get(`/profiles/${id}/locations`);
  assert.equal(r.status, 200);
  assert.ok(!isDisabled(inputOf(r.text, 'publish_location', 'FR')), 'FR (in the market) enabled');
  assert.ok(!isDisabled(inputOf(r.text, 'publish_location', 'DE')), 'DE (in the market) enabled');
  const us = inputOf(r.text, 'publish_location', 'US');
  assert.ok(!us || isDisabled(us), 'US (outside the market) not offered or disabled');
  if (us) assert.ok(reasonOf(r.text, 'publish_location', 'US'), 'with a reason');
  r = await postForm(s.client, `/profiles/${id}/locations`, [['publish_location', 'US']]);
  assert.equal(r.status, 422, 'US refused for a CSP profile');
  assert.ok(errorFields(r.text).has('publish_location'));
  r = await postForm(s.client, `/profiles/${id}/locations`, [['publish_location', 'FR']]);
  assert.equal(r.status, 303);
  r = await s.client.get(`/profiles/${id}/markets`);
  const countries = offered(r.text, 'sell_market');
  const europe = sql(`SELECT country FROM csp_regions WHERE region = 'europe'`).map(x => x[0]);
  assert.ok(countries.length > 0, 'sell markets offered');
  const outside = countries.filter(cc => !europe.includes(cc) && !isDisabled(inputOf(r.text, 'sell_market', cc)));
  assert.deepEqual(outside, [], 'no country outside the CSP market is offered enabled');
  const regions = offered(r.text, 'sell_region').filter(x => !isDisabled(inputOf(r.text, 'sell_region', x)));
  assert.ok(regions.every(x => x === 'europe'), `only the CSP region offered: ${regions}`);
  r = await postForm(s.client, `/profiles/${id}/markets`, [['sell_market', 'US']]);
  assert.equal(r.status, 422, 'a market outside the CSP market refused');
  assert.ok(errorFields(r.text).has('sell_market'));
  r = await postForm(s.client, `/profiles/${id}/markets`, [['sell_region', 'united_states']]);
  assert.equal(r.status, 422, 'a region outside the CSP market refused');
  r = await postForm(s.client, `/profiles/${id}/markets`, [['sell_market', 'DE'], ['sell_region', 'europe']]);
  assert.equal(r.status, 303, `inside the market: ${r.status} ${JSON.stringify(fieldErrors(r.text))}`);
});

// ---------------------------------------------------------------------------------- publish locations

test('publish locations: one checkbox per country with an active location ID, none checked at first, not even the managing ID\'s own', async () => {
  const s = await company({ countries: ['DE', 'ES'] });
  sql(`UPDATE partner_accounts SET status = 'inactive' WHERE partner_id = ${quote(s.locs.ES)}`);
  const id = await newProfile(s.client, s.pla);
  const r = await s.client.get(`/profiles/${id}/locations`);
  assert.equal(r.status, 200);
  const cc = offered(r.text, 'publish_location');
  assert.ok(cc.includes('FR') && cc.includes('DE'), `FR and DE offered: ${cc}`);
  assert.ok(!cc.includes('ES') || isDisabled(inputOf(r.text, 'publish_location', 'ES')), 'ES (inactive ID only) not offered');
  assert.ok(!cc.includes('US'), 'no country without a location ID');
  assert.deepEqual(cc.filter(x => isChecked(inputOf(r.text, 'publish_location', x))), [], 'none checked');
});

test('publish locations: none chosen → 422; a country without an active location ID → 422', async () => {
  const s = await company();
  const id = await newProfile(s.client, s.pla);
  let r = await step(s.client, id, 'locations', []);
  assert.equal(r.status, 422);
  assert.ok(errorFields(r.text).has('publish_location'), `error on publish_location: ${JSON.stringify(fieldErrors(r.text))}`);
  r = await postForm(s.client, `/profiles/${id}/locations`, [['publish_location', 'JP']]);
  assert.equal(r.status, 422);
  assert.ok(errorFields(r.text).has('publish_location'));
  r = await postForm(s.client, `/profiles/${id}/locations`, [['publish_location', 'fr; DROP']]);
  assert.equal(r.status, 422);
  assert.equal(Number(sqlValue(`SELECT COUNT(*) FROM profile_locations WHERE profile_id = ${id}`)), 0);
});

test('publish locations: a country used by another profile of the company is disabled with the reason, and refused', async () => {
  const s = await company({ countries: ['DE'] });
  const first = await newProfile(s.client, s.pla);
  let r = await step(s.client, first, 'locations', [['publish_location', 'FR']]);
  assert.equal(r.status, 303);
  const second = await newProfile(s.client, s.locs.DE);
  r = await s.client.get(`/profiles/${second}/locations`);
  assert.ok(isDisabled(inputOf(r.text, 'publish_location', 'FR')), 'FR disabled (a draft uses it)');
  assert.ok(reasonOf(r.text, 'publish_location', 'FR'), 'with a .reason');
  assert.ok(!isDisabled(inputOf(r.text, 'publish_location', 'DE')), 'DE enabled');
  r = await postForm(s.client, `/profiles/${second}/locations`, [['publish_location', 'FR']]);
  assert.equal(r.status, 422);
  assert.ok(errorFields(r.text).has('publish_location'));
  r = await postForm(s.client, `/profiles/${second}/locations`, [['publish_location', 'DE']]);
  assert.equal(r.status, 303);
  // the first profile still may keep (and re-submit) its own country
  r = await step(s.client, first, 'locations', [['publish_location', 'FR']]);
  assert.equal(r.status, 303, 'a profile keeps its own country');
  r = await s.client.get(`/profiles/${first}/locations`);
  assert.ok(isChecked(inputOf(r.text, 'publish_location', 'FR')) && !isDisabled(inputOf(r.text, 'publish_location', 'FR')),
    'its own country checked and enabled on revisit');
  assert.ok(isDisabled(inputOf(r.text, 'publish_location', 'DE')), 'the other profile\'s DE disabled here');
});

// --------------------------------------------------------------------------------------- sell markets

test('sell markets: a publish country is disabled with the reason and refused; countries and whole regions are stored; none is fine', async () => {
  const s = await company();
  const id = await newProfile(s.client, s.pla);
  await step(s.client, id, 'locations', [['publish_location', 'FR']]);
  let r = await s.client.get(`/profiles/${id}/markets`);
  assert.equal(r.status, 200);
  assert.ok(isDisabled(inputOf(r.text, 'sell_market', 'FR')), 'FR (a publish location) disabled');
  assert.ok(reasonOf(r.text, 'sell_market', 'FR'), 'with a .reason');
  assert.ok(inputOf(r.text, 'sell_market', 'US') && !isDisabled(inputOf(r.text, 'sell_market', 'US')), 'US enabled (non-CSP: any country)');
  assert.ok(inputOf(r.text, 'sell_region', 'europe'), 'regions offered');
  r = await postForm(s.client, `/profiles/${id}/markets`, [['sell_market', 'FR']]);
  assert.equal(r.status, 422);
  assert.ok(errorFields(r.text).has('sell_market'));
  r = await postForm(s.client, `/profiles/${id}/markets`, [['sell_market', 'ZZ']]);
  assert.equal(r.status, 422, 'an unknown country');
  r = await postForm(s.client, `/profiles/${id}/markets`, [['sell_region', 'atlantis']]);
  assert.equal(r.status, 422, 'an unknown region');
  assert.ok(errorFields(r.text).has('sell_region'));
  r = await postForm(s.client, `/profiles/${id}/markets`, [['sell_market', 'US'], ['sell_region', 'japan']]);
  assert.equal(r.status, 303, `US and the region japan: ${r.status} ${JSON.stringify(fieldErrors(r.text))}`);
  const stored = sql(`SELECT country FROM profile_markets WHERE profile_id = ${id} ORDER BY country`).map(x => x[0]);
  assert.ok(stored.includes('US') && stored.includes('JP'), `the region expanded to its countries: ${stored}`);
  assert.ok(!stored.includes('FR'));
  r = await s.client.get(`/profiles/${id}/markets`);
  assert.ok(isChecked(inputOf(r.text, 'sell_market', 'US')), 'US re-shown checked');
  assert.ok(isChecked(inputOf(r.text, 'sell_region', 'japan')), 'the region re-shown checked');
  r = await postForm(s.client, `/profiles/${id}/markets`, []);
  assert.equal(r.status, 303, 'no sell market at all is fine');
  assert.equal(Number(sqlValue(`SELECT COUNT(*) FROM profile_markets WHERE profile_id = ${id}`)), 0);
});

test('sell markets: a region holding a publish country is stored without that country', async () => {
  const s = await company();
  const id = await newProfile(s.client, s.pla);
  await step(s.client, id, 'locations', [['publish_location', 'FR']]);
  const r = await step(s.client, id, 'markets', [['sell_region', 'europe']]);
  assert.equal(r.status, 303, `europe: ${r.status} ${JSON.stringify(fieldErrors(r.text))}`);
  const stored = sql(`SELECT country FROM profile_markets WHERE profile_id = ${id}`).map(x => x[0]);
  assert.ok(stored.includes('DE') && !stored.includes('FR'), `europe without FR: ${stored.length} countries`);
});

// --------------------------------------------------------------------------------------------- content

test('content: a valid profile content is stored and re-shown on revisit', async () => {
  const s = await company();
  const id = await completeProfile(s, { content: { description_FR: 'Nous migrons les PME vers Azure depuis 2009.' } });
  const row = sql(`SELECT name, description, website, lead_email FROM profiles WHERE id = ${id}`)[0];
  assert.deepEqual(row, [CONTENT.name, CONTENT.description, CONTENT.website, CONTENT.lead_email]);
  const r = await s.client.get(`/profiles/${id}/content`);
  assert.equal(r.status, 200);
  const t = unescapeHtml(r.text);
  for (const v of Object.values(CONTENT)) assert.ok(t.includes(v), `re-shown: ${v}`);
  assert.ok(t.includes('Nous migrons les PME vers Azure depuis 2009.'), 'the FR description re-shown');
  assert.ok(isChecked(inputOf(r.text, 'industry', 'retail')), 'industry re-shown');
  assert.ok(isChecked(inputOf(r.text, 'solution_area', 'data_ai')) && isChecked(inputOf(r.text, 'solution_area', 'security')), 'areas re-shown');
  assert.ok(!isChecked(inputOf(r.text, 'solution_area', 'modern_work')), 'an area not chosen stays unchecked');
  for (const a of ['data_ai', 'infrastructure', 'digital_app_innovation', 'business_applications', 'modern_work', 'security'])
    assert.ok(inputOf(r.text, 'solution_area', a), `solution area ${a} offered`);
});

// Each guideline: a field, a value, what it breaks.
const LONG = n => 'é'.repeat(n);
const GUIDELINES = [
  ['name', LONG(101), 'name over 100 characters'],
  ['name', 'Northwind <b>Cloud</b>', 'markup in the name'],
  ['name', '', 'an empty name'],
  ['description', LONG(2501), 'description over 2,500 characters (multibyte)'],
  ['description', 'We are <b>great</b>', 'an HTML tag'],
  ['description', 'Fish &amp; chips', 'an entity'],
  ['description', 'See [our site](https://x.example)', 'a Markdown link'],
  ['description', 'Visit https://northwind.example today', 'a URL'],
  ['description', 'Visit www.northwind.fr today', 'www.'],
  ['description', 'See northwind.com for more', 'a bare domain'],
  ['description', 'Write to sales@northwind.example', 'an email address'],
  ['description', 'Call +33 1 23 45 67 89', 'a phone number'],
  ['description', 'Call (425) 555-0100', 'a US phone number'],
  ['website', 'ftp://northwind.example', 'a website that is not http(s)'],
  ['website', 'javascript:alert(1)', 'javascript:'],
  ['website', 'northwind.example', 'a website without a scheme'],
  ['website', `https://northwind.example/${'a'.repeat(280)}`, 'a website over 300 characters'],
  ['lead_email', 'not an address', 'a lead email that is not an address'],
  ['description_FR', 'Appelez le 01 23 45 67 89', 'a phone number in a location\'s description'],
  ['description_FR', '<p>Bonjour</p>', 'markup in a location\'s description'],
];

test('content: every guideline refused with 422 and a message next to its field', async () => {
  const s = await company();
  const id = await completeProfile(s);
  for (const [field, value, why] of GUIDELINES) {
    const r = await step(s.client, id, 'content', contentPairs({ [field]: value }));
    assert.equal(r.status, 422, `${why}: ${r.status}`);
    const errs = fieldErrors(r.text);
    assert.ok(errs[field], `${why}: an error on ${field}, got ${JSON.stringify(errs)}`);
  }
  assert.deepEqual(sql(`SELECT name, description FROM profiles WHERE id = ${id}`)[0], [CONTENT.name, CONTENT.description],
    'nothing stored by a refused POST');
});

test('content: prose that looks like a guideline breach passes (years, 24/7, ISO 27001, e.g., Node.js, a < b, 2,500 characters)', async () => {
  const s = await company();
  const id = await completeProfile(s);
  for (const d of [
    'Founded in 2009, projects 2019-2024, support 24/7, certified ISO 27001 and ISO 9001.',
    'We build apps (e.g. Node.js, ASP.NET, Vue.js) for AT&T-sized firms when a < b.',
    'Plus de 1 500 000 utilisateurs, Microsoft 365 E5, examen AZ-104.',
    LONG(2500),
  ]) {
    const r = await step(s.client, id, 'content', contentPairs({ description: d }));
    assert.equal(r.status, 303, `"${d.slice(0, 40)}…": ${r.status} ${JSON.stringify(fieldErrors(r.text))}`);
  }
  assert.equal(sqlValue(`SELECT CHAR_LENGTH(description) FROM profiles WHERE id = ${id}`), '2500');
  const r = await step(s.client, id, 'content', contentPairs({ name: LONG(100) }));
  assert.equal(r.status, 303, 'a name of exactly 100 characters');
});

test('content: another company\'s legal name refused in the description; the company\'s own name allowed', async () => {
  const other = await company();
  const otherName = `Fabrikam ${other.domain.split('.')[0]} Consulting`;
  sql(`UPDATE partner_accounts SET name = ${quote(otherName)} WHERE tenant_id = ${other.tenant} AND kind = 'global'`);
  const s = await company();
  const id = await completeProfile(s);
  let r = await step(s.client, id, 'content', contentPairs({ description: `We work closely with ${otherName.toUpperCase()}, Paris.` }));
  assert.equal(r.status, 422, 'another company\'s legal name');
  assert.ok(errorFields(r.text).has('description'), `error on description: ${JSON.stringify(fieldErrors(r.text))}`);
  r = await step(s.client, id, 'content', contentPairs({ description_FR: `Partenaire de ${otherName}.` }));
  assert.equal(r.status, 422, 'in a location\'s description too');
  assert.ok(errorFields(r.text).has('description_FR'));
  r = await step(s.client, id, 'content', contentPairs({ description: 'Northwind Traders SARL helps retailers.' }));
  assert.equal(r.status, 303, `the company's own legal name: ${JSON.stringify(fieldErrors(r.text))}`);
});

test('content: industries, solution areas and languages must be known codes', async () => {
  const s = await company();
  const id = await completeProfile(s);
  let r = await step(s.client, id, 'content', contentPairs({}, { area: ['quantum'] }));
  assert.equal(r.status, 422);
  assert.ok(errorFields(r.text).has('solution_area'));
  r = await step(s.client, id, 'content', contentPairs({}, { industry: ['piracy'] }));
  assert.equal(r.status, 422);
  assert.ok(errorFields(r.text).has('industry'));
  r = await step(s.client, id, 'content', contentPairs({}, { language: ['xx'] }));
  assert.equal(r.status, 422);
  assert.ok(errorFields(r.text).has('language'));
  r = await step(s.client, id, 'content', contentPairs({}, { language: ['yo', 'en'] }));
  assert.equal(r.status, 303, 'any ISO 639-1 code (yo) is accepted');
});

test('content: a description per publish location only for the profile\'s publish locations', async () => {
  const s = await company({ countries: ['DE'] });
  const id = await completeProfile(s, { locations: ['FR', 'DE'] });
  let r = await s.client.get(`/profiles/${id}/content`);
  assert.ok(/name="description_FR"/.test(r.text) && /name="description_DE"/.test(r.text), 'one field per publish location');
  assert.ok(!/name="description_US"/.test(r.text));
  r = await step(s.client, id, 'content', contentPairs({ description_DE: 'Wir bringen Mittelständler in die Cloud.' }));
  assert.equal(r.status, 303);
  assert.equal(sqlValue(`SELECT description FROM profile_locations WHERE profile_id = ${id} AND country = 'DE'`),
    'Wir bringen Mittelständler in die Cloud.');
});

// ------------------------------------------------------------------------------------------------ logos

test('logo: PNG, JPEG and GIF accepted and served from our origin with their type; 301 px refused; a renamed non-image refused', async () => {
  const s = await company();
  const id = await completeProfile(s);
  for (const [bytes, name, mime, want] of [
    [png(300, 2), 'logo.png', 'image/png', 'image/png'],
    [JPEG, 'logo.jpg', 'image/jpeg', 'image/jpeg'],
    [GIF, 'logo.gif', 'image/gif', 'image/png'],
  ]) {
    const r = await postLogo(s.client, id, bytes, name, mime);
    assert.equal(r.status, 303, `${name}: ${r.status} ${JSON.stringify(fieldErrors(r.text))}`);
    assert.equal(sqlValue(`SELECT logo_type FROM profiles WHERE id = ${id}`), want, `${name} stored as ${want}`);
    const page = await s.client.get(`/profiles/${id}/content`);
    const img = tagsWith(page.text, 'img').find(a => /logo/.test(a.src || ''));
    assert.ok(img, `${name}: the logo shown on the content step`);
    assert.ok(img.src.startsWith('/'), `served from our origin: ${img.src}`);
    const res = await fetch(BASE + img.src, { headers: { cookie: s.client.cookieHeader() } });
    assert.equal(res.status, 200, `GET ${img.src}`);
    assert.equal(res.headers.get('content-type'), want);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  }
  assert.equal(sqlValue(`SELECT logo_width FROM profiles WHERE id = ${id}`), '1');
  for (const [bytes, name, mime, why] of [
    [png(301, 2), 'wide.png', 'image/png', '301 px wide'],
    [Buffer.from('this is not an image at all\n'), 'fake.png', 'image/png', 'a text file renamed .png'],
    [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'logo.svg', 'image/svg+xml', 'an SVG'],
    [png(20, 20).subarray(0, 40), 'cut.png', 'image/png', 'a truncated PNG'],
  ]) {
    const r = await postLogo(s.client, id, bytes, name, mime);
    assert.equal(r.status, 422, `${why}: ${r.status}`);
    assert.ok(errorFields(r.text).has('logo'), `${why}: an error on logo, got ${JSON.stringify(fieldErrors(r.text))}`);
  }
  assert.equal(sqlValue(`SELECT logo_type FROM profiles WHERE id = ${id}`), 'image/png', 'the last good logo kept');
});

// ---------------------------------------------------------------------------- revisiting, drafts, review

test('every step revisitable with what was entered; the draft survives sign-out', async () => {
  const s = await company({ countries: ['DE'] });
  const id = await completeProfile(s, { locations: ['FR', 'DE'], markets: ['US'], content: { description_DE: 'Hallo Welt.' } });
  await s.client.get('/dashboard');
  const out = await s.client.post('/signout', {});
  assert.ok([303, 302].includes(out.status), `sign-out ${out.status}`);
  const c = await signIn(s.email, s.password);
  let r = await c.get(`/profiles/${id}/locations`);
  assert.equal(r.status, 200);
  assert.ok(isChecked(inputOf(r.text, 'publish_location', 'FR')) && isChecked(inputOf(r.text, 'publish_location', 'DE')), 'locations re-shown');
  r = await c.get(`/profiles/${id}/markets`);
  assert.ok(isChecked(inputOf(r.text, 'sell_market', 'US')), 'markets re-shown');
  r = await c.get(`/profiles/${id}/content`);
  assert.ok(unescapeHtml(r.text).includes(CONTENT.description) && unescapeHtml(r.text).includes('Hallo Welt.'), 'content re-shown');
  r = await c.get(`/profiles/${id}/review`);
  assert.equal(r.status, 200);
  const t = cspText(r.text);
  assert.ok(t.includes(CONTENT.name), 'the review shows the name');
  const list = profileRows((await c.get('/profiles')).text).find(a => a['data-profile-id'] === id);
  assert.equal(list && list['data-status'], 'draft');
});

test('a 422 re-shows what was typed', async () => {
  const s = await company();
  const id = await completeProfile(s);
  const r = await step(s.client, id, 'content', contentPairs({ name: 'Typed Name Kept', website: 'ftp://typed.example' }));
  assert.equal(r.status, 422);
  const t = unescapeHtml(r.text);
  assert.ok(t.includes('Typed Name Kept') && t.includes('ftp://typed.example'), 'the typed values are in the form');
});

test('publish: a profile with a missing step → 422 naming it; complete → 303 /profiles, published', async () => {
  const s = await company();
  const id = await newProfile(s.client, s.pla);
  await step(s.client, id, 'locations', [['publish_location', 'FR']]);
  let r = await s.client.get(`/profiles/${id}/review`);
  assert.equal(r.status, 200);
  r = await s.client.post(`/profiles/${id}/publish`, {});
  assert.equal(r.status, 422, `publishing without markets and content: ${r.status}`);
  assert.ok(errorFields(r.text).has('publish'), `an error on publish: ${JSON.stringify(fieldErrors(r.text))}`);
  const missing = tagsWith(r.text, 'li', 'data-missing-step').map(a => a['data-missing-step']);
  assert.deepEqual(missing.sort(), ['content', 'markets'], 'the missing steps are named');
  assert.equal(profileStatus(id), 'draft');
  await step(s.client, id, 'markets', []);
  await step(s.client, id, 'content', contentPairs());
  await s.client.get(`/profiles/${id}/review`);
  r = await s.client.post(`/profiles/${id}/publish`, {});
  assert.equal(r.status, 303, `publish answered ${r.status}: ${cspText(r.text).slice(0, 300)}`);
  assert.equal(pathOf(r.location), '/profiles');
  assert.equal(profileStatus(id), 'published');
  assert.ok(sqlValue(`SELECT slug FROM profiles WHERE id = ${id}`), 'a slug once published');
  // edits after publishing keep it published
  r = await step(s.client, id, 'content', contentPairs({ name: 'Northwind Renamed' }));
  assert.equal(r.status, 303);
  assert.equal(profileStatus(id), 'published');
  assert.equal(sqlValue(`SELECT name FROM profiles WHERE id = ${id}`), 'Northwind Renamed');
});

test('GET /profiles: one row per profile with data-managing-partner-id, data-type and data-status', async () => {
  const s = await company({ countries: ['DE'] });
  const a = await completeProfile(s);
  await s.client.get(`/profiles/${a}/review`);
  assert.equal((await s.client.post(`/profiles/${a}/publish`, {})).status, 303);
  const b = await newProfile(s.client, s.locs.DE);
  const r = await s.client.get('/profiles');
  assert.equal(r.status, 200);
  const rows = profileRows(r.text);
  assert.equal(rows.length, 2);
  const ra = rows.find(x => x['data-profile-id'] === a), rb = rows.find(x => x['data-profile-id'] === b);
  assert.deepEqual([ra['data-managing-partner-id'], ra['data-type'], ra['data-status']], [s.pla, 'non_csp', 'published']);
  assert.deepEqual([rb['data-managing-partner-id'], rb['data-type'], rb['data-status']], [s.locs.DE, 'non_csp', 'draft']);
  assert.ok(!('data-legacy' in ra) && !('data-linked' in ra), 'a profile of the wizard is not legacy');
});

test('after publishing: publish locations and sell markets edited at any time, the profile stays published and the directory follows', async () => {
  const s = await company({ countries: ['DE', 'ES'] });
  const id = await completeProfile(s, { locations: ['FR'] });
  await s.client.get(`/profiles/${id}/review`);
  assert.equal((await s.client.post(`/profiles/${id}/publish`, {})).status, 303);
  const shown = () => sql(`SELECT country, kind FROM directory_countries WHERE profile_id = ${id} ORDER BY country`).map(x => x.join(':'));
  assert.deepEqual(shown(), ['FR:0']);
  let r = await step(s.client, id, 'locations', [['publish_location', 'FR'], ['publish_location', 'DE']]);
  assert.equal(r.status, 303);
  r = await step(s.client, id, 'markets', [['sell_market', 'ES']]);
  assert.equal(r.status, 303);
  assert.equal(profileStatus(id), 'published');
  assert.deepEqual(shown(), ['DE:0', 'ES:1', 'FR:0'], 'the directory shows the new countries');
  // a country of this published profile is greyed out for another profile of the company
  const other = await newProfile(s.client, s.locs.ES);
  r = await s.client.get(`/profiles/${other}/locations`);
  assert.ok(isDisabled(inputOf(r.text, 'publish_location', 'DE')) && reasonOf(r.text, 'publish_location', 'DE'),
    'DE, taken by the published profile, disabled with the reason');
  assert.ok(!isDisabled(inputOf(r.text, 'publish_location', 'ES')), 'ES (only a sell market of the other) stays free');
});

test('delete: confirm must equal the name (422 otherwise); 303 /profiles, gone from the list, its leads stay', async () => {
  const s = await company();
  const id = await completeProfile(s);
  await s.client.get(`/profiles/${id}/review`);
  await s.client.post(`/profiles/${id}/publish`, {});
  const account = partnerAccountId(s.pla);
  sql(`INSERT INTO leads (profile_id, partner_account_id, tenant_id, customer_name, customer_email, customer_company, customer_country, message)
       VALUES (${id}, ${account}, ${s.tenant}, 'Ada', 'ada@customer.example', 'Customer Ltd', 'FR', 'Hello')`);
  await s.client.get(`/profiles/${id}/review`);
  let r = await s.client.post(`/profiles/${id}/delete`, { confirm: 'northwind cloud' });
  assert.equal(r.status, 422, 'a wrong confirmation');
  assert.ok(errorFields(r.text).has('confirm'));
  assert.equal(profileStatus(id), 'published');
  r = await s.client.post(`/profiles/${id}/delete`, { confirm: CONTENT.name });
  assert.equal(r.status, 303);
  assert.equal(pathOf(r.location), '/profiles');
  assert.ok(!profileRows((await s.client.get('/profiles')).text).some(a => a['data-profile-id'] === id), 'gone from the list');
  assert.equal(Number(sqlValue(`SELECT COUNT(*) FROM leads WHERE profile_id = ${id}`)), 1, 'the lead stays');
  r = await s.client.get(`/profiles/${id}/content`);
  assert.equal(r.status, 404, 'a deleted profile is not found');
  // its country is free again
  const again = await newProfile(s.client, s.pla);
  r = await s.client.get(`/profiles/${again}/locations`);
  assert.ok(!isDisabled(inputOf(r.text, 'publish_location', 'FR')), 'the deleted profile\'s country is free again');
});

// ---------------------------------------------------------------------------------- isolation and roles

const PROFILE_GETS = ['type', 'locations', 'markets', 'content', 'logo', 'review', 'delete'];
const PROFILE_POSTS = ['type', 'locations', 'markets', 'content', 'publish', 'delete'];

test('tenant isolation: another company\'s profile is 404 on every profile route, GET and POST, and nothing changes', async () => {
  const owner = await company();
  const id = await completeProfile(owner);
  assert.equal((await postLogo(owner.client, id, GIF, 'logo.gif', 'image/gif')).status, 303);
  assert.equal((await owner.client.get(`/profiles/${id}/logo`)).status, 200, 'the owner sees the logo');
  const intruder = await company();
  for (const p of PROFILE_GETS) {
    const r = await intruder.client.get(`/profiles/${id}/${p}`);
    assert.equal(r.status, 404, `GET /profiles/${id}/${p}: ${r.status}`);
  }
  await intruder.client.get('/profiles/new');
  for (const p of PROFILE_POSTS) {
    const r = await intruder.client.post(`/profiles/${id}/${p}`, { publish_location: 'FR', confirm: CONTENT.name, ...CONTENT });
    assert.equal(r.status, 404, `POST /profiles/${id}/${p}: ${r.status}`);
  }
  assert.equal(profileStatus(id), 'draft', 'not published, not deleted');
  assert.ok(!profileRows((await intruder.client.get('/profiles')).text).some(a => a['data-profile-id'] === id), 'not in the intruder\'s list');
  for (const p of PROFILE_GETS) {
    const r = await intruder.client.get(`/profiles/99999999/${p}`);
    assert.equal(r.status, 404, `an unknown profile: ${p}`);
  }
});

// The router lets only global and profile admins reach profile routes (ACCESS_PROFILE_ADMIN):
// any other role gets the 404 of a page it may not see.
test('roles: a member, a referral admin and an account admin get 404 on every profile route; a profile admin manages profiles', async () => {
  const s = await company();
  const id = await completeProfile(s);
  const others = [await inviteUser(s.client, s.domain, 'member'), await inviteUser(s.client, s.domain, 'referral_admin'),
    await inviteUser(s.client, s.domain, 'account_admin')];
  for (const u of others) {
    for (const path of ['/profiles', '/profiles/new', ...PROFILE_GETS.map(p => `/profiles/${id}/${p}`)]) {
      const r = await u.client.get(path);
      assert.equal(r.status, 404, `GET ${path} as ${rolesOfUser(u.id)}: ${r.status}`);
    }
    await u.client.get('/dashboard');
    let r = await u.client.post('/profiles/new', { partner_id: s.pla, type: 'non_csp' });
    assert.equal(r.status, 404, `POST /profiles/new as ${rolesOfUser(u.id)}: ${r.status}`);
    for (const p of PROFILE_POSTS) {
      r = await u.client.post(`/profiles/${id}/${p}`, { confirm: CONTENT.name, publish_location: 'FR' });
      assert.equal(r.status, 404, `POST /profiles/${id}/${p} as ${rolesOfUser(u.id)}: ${r.status}`);
    }
  }
  assert.equal(profileStatus(id), 'draft');
  assert.equal(Number(sqlValue(`SELECT COUNT(*) FROM profiles WHERE tenant_id = ${s.tenant}`)), 1, 'nothing created');
  const admin = await inviteUser(s.client, s.domain, 'profile_admin');
  const mine = await completeProfile({ ...s, client: admin.client }, { partnerId: s.pga, locations: ['FR'] }).catch(e => e);
  assert.ok(mine instanceof Error && /locations answered 422/.test(mine.message), 'FR is taken by the first profile');
  const r = await admin.client.get('/profiles');
  assert.equal(r.status, 200);
  assert.ok(profileRows(r.text).some(a => a['data-profile-id'] === id), 'the profile admin sees the company\'s profiles');
  assert.equal((await admin.client.get('/profiles/new')).status, 200, 'the profile admin reaches the form');
  assert.equal((await admin.client.get(`/profiles/${id}/content`)).status, 200, 'and the company\'s profiles');
  await admin.client.get(`/profiles/${id}/review`);
  const d = await admin.client.post(`/profiles/${id}/delete`, { confirm: CONTENT.name });
  assert.equal(d.status, 303, 'a profile admin deletes');
});

test('CSRF: a profile POST without the form\'s token → 403, nothing stored', async () => {
  const s = await company();
  const id = await newProfile(s.client, s.pla);
  await s.client.get(`/profiles/${id}/locations`);
  let r = await s.client.post(`/profiles/${id}/locations`, { publish_location: 'FR' }, { csrf: null });
  assert.equal(r.status, 403);
  r = await s.client.post('/profiles/new', { partner_id: s.pla, type: 'non_csp' }, { csrf: 'forged' });
  assert.equal(r.status, 403);
  assert.equal(Number(sqlValue(`SELECT COUNT(*) FROM profile_locations WHERE profile_id = ${id}`)), 0);
  assert.equal(Number(sqlValue(`SELECT COUNT(*) FROM profiles WHERE tenant_id = ${s.tenant}`)), 1);
});

test('the first step revisited: the managing ID and the type re-shown; a CSP application that is not active leaves CSP disabled', async () => {
  const s = await company({ countries: ['DE'] });
  const id = await newProfile(s.client, s.locs.DE);
  let r = await s.client.get(`/profiles/${id}/type`);
  assert.equal(r.status, 200);
  assert.ok(isChecked(inputOf(r.text, 'partner_id', s.locs.DE)) && !isChecked(inputOf(r.text, 'partner_id', s.pla)), 'the managing ID re-shown');
  assert.ok(isChecked(inputOf(r.text, 'type', 'non_csp')), 'the type re-shown');
  makeCsp(s.tenant, s.pla);
  sql(`UPDATE csp_applications SET status = 'pending_review' WHERE tenant_id = ${s.tenant}`);
  r = await s.client.get('/profiles/new');
  assert.ok(isDisabled(inputOf(r.text, 'type', 'csp')) && reasonOf(r.text, 'type', 'csp'), 'a pending CSP application: still disabled with the reason');
  r = await step(s.client, id, 'type', [['partner_id', s.pla], ['type', 'non_csp']]);
  assert.equal(r.status, 303, 'the managing ID changed');
  assert.equal(sqlValue(`SELECT partner_account_id FROM profiles WHERE id = ${id}`), partnerAccountId(s.pla));
});

test('a CSP tenant: a profile published outside the CSP market cannot become a CSP profile', async () => {
  const s = await company({ countries: ['US'] });
  makeCsp(s.tenant, s.pla);
  const id = await newProfile(s.client, s.locs.US);
  assert.equal((await step(s.client, id, 'locations', [['publish_location', 'US']])).status, 303);
  const r = await step(s.client, id, 'type', [['partner_id', s.locs.US], ['type', 'csp']]);
  assert.equal(r.status, 422);
  assert.ok(errorFields(r.text).has('type'), `error on type: ${JSON.stringify(fieldErrors(r.text))}`);
  assert.equal(sqlValue(`SELECT type FROM profiles WHERE id = ${id}`), 'non_csp');
});

test('content: another company\'s legal name in the profile name is refused too', async () => {
  const other = await company();
  const otherName = `Alpine Ski House ${other.tenant}`;
  sql(`UPDATE tenants SET name = ${quote(otherName)} WHERE id = ${other.tenant}`);
  const s = await company();
  const id = await completeProfile(s);
  const r = await step(s.client, id, 'content', contentPairs({ name: `${otherName} Partner` }));
  assert.equal(r.status, 422);
  assert.ok(errorFields(r.text).has('name'), `error on name: ${JSON.stringify(fieldErrors(r.text))}`);
});

// ------------------------------------------------------------------------------------------- languages

test('French: the wizard\'s pages and messages in French', async () => {
  const s = await company({ lang: 'fr' });
  let r = await s.client.get('/profiles/new');
  assert.equal(htmlLang(r.text), 'fr');
  const reason = reasonOf(r.text, 'type', 'csp');
  assert.match(reason || '', /entreprise/, `the CSP reason in French: ${reason}`);
  const id = await completeProfile(s);
  r = await step(s.client, id, 'content', contentPairs({ description: 'Appelez le +33 1 23 45 67 89' }));
  assert.equal(r.status, 422);
  assert.equal(htmlLang(r.text), 'fr');
  assert.match(fieldErrors(r.text).description, /téléphone/, `the message in French: ${fieldErrors(r.text).description}`);
  r = await step(s.client, id, 'content', contentPairs({ website: 'ftp://x.example' }));
  assert.match(fieldErrors(r.text).website, /https?:\/\//);
  assert.ok(/commence|adresse/i.test(fieldErrors(r.text).website), 'the website message in French');
  r = await s.client.get(`/profiles/${id}/content`);
  assert.ok(cspText(r.text).includes('Sécurité'), 'the solution areas in French');
  r = await s.client.get(`/profiles/${id}/locations`);
  assert.equal(htmlLang(r.text), 'fr');
});

test('English: the same messages in English', async () => {
  const s = await company({ lang: 'en' });
  const id = await completeProfile(s);
  const r = await step(s.client, id, 'content', contentPairs({ description: 'Mail sales@northwind.example' }));
  assert.equal(r.status, 422);
  assert.equal(htmlLang(r.text), 'en');
  assert.match(fieldErrors(r.text).description, /email address/);
});

await run();
