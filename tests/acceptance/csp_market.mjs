// CSP market and eligibility (issue 14 part A; CONTRACT "CSP market and eligibility", DOMAIN §4):
// the market page of US, BR and Kenya CSPs compared with data/csp-regions.tsv (read here, never
// retyped) and its search without JavaScript; a company that is not an active CSP; customers
// (recorded, 422 for each bad field with the values kept, a duplicate tenant domain, another
// company's customer 404, roles, CSRF); `ctl offers import` (a good file, a file with bad lines:
// exit non-zero, every line number, nothing imported; a re-import replaces the catalog); GET
// /offers; the eligibility check of a partner and of staff, each rule alone, several at once, the
// seed's examples (a US CSP and a UM customer: eligible; a Brazil CSP and a customer in Brazil
// whose tenant is US: outside the market), the audit log, both languages.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  test, run, assert, Client, sql, sqlValue, quote, tagsWith, fieldErrors, htmlLang, enrolledCompany,
  inviteUser, partnerAccountId, ctl, readTsv, reviewer, cspText, ROOT,
} from './lib.mjs';

// ------------------------------------------------------------------------------------------ data

const REGIONS = readTsv(join(ROOT, 'data', 'csp-regions.tsv'));
const regionOf = cc => REGIONS.find(r => r.country === cc)?.region;
const countriesOf = region => REGIONS.filter(r => r.region === region).map(r => r.country).sort();

// The offers of these tests (IDs of this suite only): * and lists of a few countries.
const OFFERS = [
  ['PDT-M365-BB', 'Microsoft 365 Business Basic', '*'],
  ['PDT-D365-US', 'Dynamics 365 Sales (US only)', 'US'],
  ['PDT-TEAMS-UM', 'Teams Phone (UM only)', 'UM'],
  ['PDT-AZ-AMER', 'Azure plan (Americas)', 'US,UM,CA,BR'],
];
const dir = mkdtempSync(join(tmpdir(), 'pd-offers-'));
function offersFile(name, lines) {
  const file = join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
const GOOD = ['offer_id\tname\tcountries', '# the catalog of the csp_market suite', ...OFFERS.map(o => o.join('\t'))];
function importGood() {
  const r = ctl(['offers', 'import', offersFile('good.tsv', GOOD)]);
  assert.equal(r.status, 0, `offers import: ${r.stderr}`);
  return r;
}

// ------------------------------------------------------------------------------------------ helpers

const ADDRESS = {
  US: { address_line1: '400 Pine Street', city: 'Seattle', region: 'WA', postal_code: '98101', phone: '+1 206 555 0100' },
  BR: { address_line1: 'Avenida Paulista 1000', city: 'São Paulo', region: 'SP', postal_code: '01310-100', phone: '+55 11 3000 0000' },
  KE: { address_line1: 'Kenyatta Avenue 1', city: 'Nairobi', region: '', postal_code: '00100', phone: '+254 20 000 0000' },
  FR: {},
};

// An enrolled company of country cc: { client, email, domain, tenant, pga, pla }.
const company = (cc, lang = 'en') => enrolledCompany({ lang, country: cc, fields: { country: cc, ...ADDRESS[cc] } });

// Makes the company an active CSP tenant whose CSP location is partner ID pid (as profiles.mjs).
function makeCsp(tenant, pid, status = 'active') {
  sql(`INSERT INTO csp_applications (tenant_id, status, step, partner_account_id, legal_name, country, submitted_at, decided_at)
       VALUES (${Number(tenant)}, ${quote(status)}, 4, ${partnerAccountId(pid)}, 'Market Test Corp',
       (SELECT country FROM partner_accounts WHERE partner_id = ${quote(pid)}), NOW(3), NOW(3))`);
}
async function cspCompany(cc, lang = 'en') {
  const s = await company(cc, lang);
  makeCsp(s.tenant, s.pla);
  return s;
}

const marketCountries = html => tagsWith(html, 'li', 'data-market-country').map(a => a['data-market-country']).sort();
const marketRegion = html => tagsWith(html, 'p', 'data-market-region')[0]?.['data-market-region'];
const customerRows = html => tagsWith(html, 'tr', 'data-customer-id').map(a => ({
  id: a['data-customer-id'], country: a['data-country'], relationship: a['data-relationship'],
}));
const offerRows = html => tagsWith(html, 'tr', 'data-offer-id').map(a => ({ id: a['data-offer-id'], countries: a['data-countries'] }));
const verdict = html => tagsWith(html, 'h2', 'data-eligible')[0]?.['data-eligible'];
const failedRules = html => tagsWith(html, 'li', 'data-failed-rule').map(a => a['data-failed-rule']).sort();

// Records a customer; returns its id.
async function addCustomer(c, fields) {
  await c.get('/customers');
  const r = await c.post('/customers', { relationship: 'customer', ...fields });
  assert.equal(r.status, 303, `POST /customers answered ${r.status}: ${JSON.stringify(fieldErrors(r.text))}`);
  const id = (r.location || '').match(/^\/customers\?added=(\d+)$/)?.[1];
  assert.ok(id, `303 to /customers?added=<id>, got ${r.location}`);
  return id;
}
const eligibility = (c, customer, offer) => c.get(`/csp/eligibility?customer=${customer}&offer=${encodeURIComponent(offer)}`);

// ------------------------------------------------------------------------------------------ market

test('market: a US, a Brazil and a Kenya CSP see their region and exactly its countries from data/csp-regions.tsv', async () => {
  for (const cc of ['US', 'BR', 'KE']) {
    const s = await cspCompany(cc);
    const r = await s.client.get('/csp/market');
    assert.equal(r.status, 200);
    assert.equal(marketRegion(r.text), regionOf(cc), `${cc}: data-market-region`);
    assert.deepEqual(marketCountries(r.text), countriesOf(regionOf(cc)), `${cc}: one data-market-country per country of the region`);
  }
  assert.ok(countriesOf('united_states').includes('UM') && countriesOf('brazil').length === 1, 'the data holds the seed\'s examples');
});

test('market: explains that the tenant country counts (the seed\'s Brazil/US example); the search works without JavaScript (name, code, accents, French)', async () => {
  const s = await cspCompany('US');
  let r = await s.client.get('/csp/market');
  assert.match(cspText(r.text), /tenant/i);
  assert.match(cspText(r.text), /Brazil/);
  assert.match(r.text, /<form[^>]*method="get"[^>]*>[\s\S]*?name="q"/, 'a GET search form');
  r = await s.client.get('/csp/market?q=outlying');
  assert.deepEqual(marketCountries(r.text), ['UM'], 'by English name');
  assert.equal(marketRegion(r.text), 'united_states');
  r = await s.client.get('/csp/market?q=gu');
  assert.ok(marketCountries(r.text).includes('GU'), 'by code');
  r = await s.client.get('/csp/market?q=canada');
  assert.deepEqual(marketCountries(r.text), [], 'a country outside the market is not found');
  for (const q of ['%FF%FE', 'x'.repeat(500), '%00', '<script>'])
    assert.equal((await s.client.get(`/csp/market?q=${q}`)).status, 200, `a search of ${q.slice(0, 12)}: no 5xx`);
  r = await s.client.get('/csp/market?lang=fr&q=etats');
  assert.equal(htmlLang(r.text), 'fr');
  assert.deepEqual(marketCountries(r.text), ['UM', 'US'], 'by French name, accents ignored (États-Unis)');
  assert.match(cspText(r.text), /locataire/, 'the explanation in French');
});

test('market: a company that is not an active CSP gets the reason (200), never a market; the CSP location inactive too', async () => {
  const s = await company('US');
  let r = await s.client.get('/csp/market');
  assert.equal(r.status, 200);
  assert.equal(marketRegion(r.text), undefined);
  assert.equal(marketCountries(r.text).length, 0);
  assert.ok(tagsWith(r.text, 'p', 'data-no-market').length, 'the reason is shown');
  makeCsp(s.tenant, s.pla, 'pending_review');
  r = await s.client.get('/csp/market');
  assert.equal(r.status, 200);
  assert.equal(marketRegion(r.text), undefined);
  assert.match(cspText(r.text), /not active yet/);
});

test('roles: a member or account admin of a CSP is refused (404) the market, customers and eligibility; staff see any CSP\'s market at /staff/market', async () => {
  const s = await cspCompany('US');
  const member = await inviteUser(s.client, s.domain, 'account_admin');
  for (const path of ['/csp/market', '/customers', '/csp/eligibility'])
    assert.equal((await member.client.get(path)).status, 404, `${path} for an account admin`);
  await member.client.get('/dashboard');
  assert.equal((await member.client.post('/customers', { name: 'X Corp', tenant_domain: 'x.example', country: 'US', relationship: 'customer' })).status, 404);
  assert.equal((await s.client.get('/staff/market')).status, 404, 'a partner never sees a staff page');
  const staff = await reviewer();
  let r = await staff.get(`/staff/market?partner_id=${s.pla}`);
  assert.equal(r.status, 200);
  assert.equal(marketRegion(r.text), 'united_states');
  assert.deepEqual(marketCountries(r.text), countriesOf('united_states'));
  r = await staff.get('/staff/market?partner_id=0000001');
  assert.equal(r.status, 200);
  assert.ok(fieldErrors(r.text).partner_id, 'an unknown partner ID: a message next to the field');
});

// ------------------------------------------------------------------------------------------ customers

test('customers: record any customer, in or out of the market; the row\'s data-country and data-relationship; the navigation links', async () => {
  const s = await cspCompany('US');
  let r = await s.client.get('/customers');
  for (const href of ['/csp/market', '/customers', '/offers', '/csp/eligibility'])
    assert.ok(r.text.includes(`href="${href}"`), `a link to ${href}`);
  const a = await addCustomer(s.client, { name: 'Woodgrove Bank', tenant_domain: 'Woodgrove.Example', country: 'US' });
  const b = await addCustomer(s.client, { name: 'Tailspin Toys', tenant_domain: 'tailspin.example', country: 'CA', relationship: 'affiliate' });
  r = await s.client.get('/customers');
  const rows = customerRows(r.text);
  assert.deepEqual(rows.find(x => x.id === a), { id: a, country: 'US', relationship: 'customer' });
  assert.deepEqual(rows.find(x => x.id === b), { id: b, country: 'CA', relationship: 'affiliate' });
  assert.equal(sqlValue(`SELECT tenant_domain FROM csp_customers WHERE id = ${Number(a)}`), 'woodgrove.example', 'the domain stored in lower case');
  assert.ok(sqlValue(`SELECT COUNT(*) FROM audit_log WHERE action = 'customer.add' AND tenant_id = ${s.tenant}`) >= 2, 'audited');
});

test('customers: 422 with the message next to each bad field and the values kept; a duplicate tenant domain → 422; CSRF 403', async () => {
  const s = await cspCompany('US');
  const good = { name: 'Fourth Coffee', tenant_domain: 'fourthcoffee.example', country: 'US', relationship: 'customer' };
  const cases = [
    [{ name: '' }, 'name'], [{ name: 'A' }, 'name'], [{ name: 'x'.repeat(201) }, 'name'],
    [{ tenant_domain: '' }, 'tenant_domain'], [{ tenant_domain: 'not a domain' }, 'tenant_domain'],
    [{ tenant_domain: 'localhost' }, 'tenant_domain'], [{ tenant_domain: '-bad-.example' }, 'tenant_domain'],
    [{ tenant_domain: 'https://fourthcoffee.example/' }, 'tenant_domain'],
    [{ country: '' }, 'country'], [{ country: 'ZZ' }, 'country'], [{ country: 'United States' }, 'country'],
    [{ relationship: 'partner' }, 'relationship'], [{ relationship: '' }, 'relationship'],
  ];
  await s.client.get('/customers');
  for (const [over, field] of cases) {
    const r = await s.client.post('/customers', { ...good, ...over });
    assert.equal(r.status, 422, `${JSON.stringify(over)} answered ${r.status}`);
    assert.deepEqual(Object.keys(fieldErrors(r.text)), [field], `${JSON.stringify(over)}: the error on ${field} only`);
    if (field !== 'name') assert.ok(r.text.includes('value="Fourth Coffee"'), 'the name is kept');
  }
  assert.equal(sqlValue(`SELECT COUNT(*) FROM csp_customers WHERE tenant_id = ${s.tenant}`), '0', 'nothing stored');
  await addCustomer(s.client, good);
  const r = await s.client.post('/customers', { ...good, name: 'Fourth Coffee again', tenant_domain: 'FourthCoffee.example' });
  assert.equal(r.status, 422);
  assert.deepEqual(Object.keys(fieldErrors(r.text)), ['tenant_domain'], 'the duplicate domain, next to its field');
  const before = sqlValue(`SELECT COUNT(*) FROM csp_customers WHERE tenant_id = ${s.tenant}`);
  assert.equal((await s.client.post('/customers', { ...good, tenant_domain: 'csrf.example' }, { csrf: null })).status, 403);
  assert.equal((await s.client.post('/customers', { ...good, tenant_domain: 'csrf.example' }, { csrf: 'forged' })).status, 403);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM csp_customers WHERE tenant_id = ${s.tenant}`), before, 'CSRF: nothing stored');
});

test('customers: a company that is not an active CSP is refused (explanation on GET, 403 on POST); another company\'s customer is invisible and 404', async () => {
  const plain = await company('US');
  let r = await plain.client.get('/customers');
  assert.equal(r.status, 200);
  assert.ok(!r.text.includes('action="/customers"'), 'no form to record a customer');
  r = await plain.client.post('/customers', { name: 'X Corp', tenant_domain: 'x.example', country: 'US', relationship: 'customer' });
  assert.equal(r.status, 403);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM csp_customers WHERE tenant_id = ${plain.tenant}`), '0');
  const a = await cspCompany('US'), b = await cspCompany('US');
  const theirs = await addCustomer(b.client, { name: 'Contoso Pharma', tenant_domain: 'contosopharma.example', country: 'US' });
  importGood();
  r = await a.client.get('/customers');
  assert.ok(!customerRows(r.text).some(x => x.id === theirs), 'not listed');
  assert.ok(!r.text.includes('contosopharma.example'));
  assert.equal((await eligibility(a.client, theirs, 'PDT-M365-BB')).status, 404, 'another company\'s customer');
  assert.equal((await eligibility(a.client, '999999999', 'PDT-M365-BB')).status, 404, 'an unknown customer');
  assert.equal((await eligibility(a.client, 'abc', 'PDT-M365-BB')).status, 404, 'not a number');
});

// ------------------------------------------------------------------------------------------ offers

test('offers import: a good file (comments, * and lists, lower case) → /offers lists every offer with data-countries; a re-import replaces the catalog', async () => {
  const extra = ['PDT-GONE', 'Withdrawn offer', 'fr, de'];
  let r = ctl(['offers', 'import', offersFile('extra.tsv', [...GOOD, extra.join('\t')])]);
  assert.equal(r.status, 0, r.stderr);
  const staff = await reviewer();
  const s = await cspCompany('US');
  for (const c of [s.client, staff]) {
    const rows = offerRows((await c.get('/offers')).text);
    for (const [id, , countries] of OFFERS) assert.deepEqual(rows.find(x => x.id === id), { id, countries });
    assert.deepEqual(rows.find(x => x.id === 'PDT-GONE'), { id: 'PDT-GONE', countries: 'FR,DE' });
  }
  r = importGood();
  assert.match(r.stdout, /4 offer\(s\) imported, 1 removed/);
  const rows = offerRows((await s.client.get('/offers')).text);
  assert.ok(!rows.some(x => x.id === 'PDT-GONE'), 'an offer the file no longer lists is removed');
  assert.equal(rows.length, OFFERS.length);
  assert.equal((await new Client().get('/offers')).status, 303, 'signed out → sign-in');
});

test('offers import: a file with bad lines → exit non-zero, each bad line by number (header line 1, comments count), nothing imported', async () => {
  importGood();
  const before = sql('SELECT offer_id, name, countries FROM offers ORDER BY offer_id');
  const file = offersFile('bad.tsv', [
    'offer_id\tname\tcountries',                  // 1
    '# comment',                                  // 2
    'PDT-NEW-1\tA fine new offer\tUS,CA',         // 3
    'bad id!\tName\t*',                           // 4
    'PDT-NEW-2\t\tUS',                            // 5
    'PDT-NEW-3\tName\tUS,ZZ',                     // 6
    '# another comment',                          // 7
    'PDT-NEW-4\tName\tUS,US',                     // 8
    'PDT-NEW-5\tName',                            // 9
    'PDT-NEW-6\tName\t*,US',                      // 10
    'PDT-NEW-1\tDuplicate\t*',                    // 11
    'PDT-NEW-7\tName\t',                          // 12
  ]);
  const r = ctl(['offers', 'import', file]);
  assert.notEqual(r.status, 0);
  const lines = [...r.stderr.matchAll(/bad\.tsv:(\d+):/g)].map(m => Number(m[1]));
  assert.deepEqual(lines, [4, 5, 6, 8, 9, 10, 11, 12], r.stderr);
  assert.match(r.stderr, /ZZ/);
  assert.match(r.stderr, /nothing imported/);
  assert.deepEqual(sql('SELECT offer_id, name, countries FROM offers ORDER BY offer_id'), before, 'the catalog is unchanged');
  const nohead = ctl(['offers', 'import', offersFile('nohead.tsv', ['PDT-X\tName\t*'])]);
  assert.notEqual(nohead.status, 0);
  assert.match(nohead.stderr, /nohead\.tsv:1: .*header/);
  const missing = ctl(['offers', 'import', join(dir, 'missing.tsv')]);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /cannot open/);
});

// ------------------------------------------------------------------------------------------ eligibility

test('eligibility (partner): yes for a US customer and for the seed\'s US Outlying Islands customer; each rule alone; several at once; audited', async () => {
  importGood();
  const s = await cspCompany('US');
  const c = s.client;
  const id = {
    us: await addCustomer(c, { name: 'Woodgrove Bank', tenant_domain: 'woodgrove.example', country: 'US' }),
    um: await addCustomer(c, { name: 'Midway Atoll Research', tenant_domain: 'midway.example', country: 'UM' }),
    ca: await addCustomer(c, { name: 'Maple Foods', tenant_domain: 'maple.example', country: 'CA' }),
    self: await addCustomer(c, { name: 'Our own EU branch', tenant_domain: `eu.${s.domain}`, country: 'US' }),
    aff: await addCustomer(c, { name: 'Our sister company', tenant_domain: 'sister.example', country: 'US', relationship: 'affiliate' }),
    many: await addCustomer(c, { name: 'Everything wrong', tenant_domain: s.domain.toUpperCase(), country: 'CA', relationship: 'affiliate' }),
  };
  const cases = [
    [id.us, 'PDT-M365-BB', []],
    [id.um, 'PDT-M365-BB', []],
    [id.um, 'PDT-AZ-AMER', []],
    [id.ca, 'PDT-M365-BB', ['customer_outside_market']],
    [id.um, 'PDT-TEAMS-UM', ['offer_not_in_partner_country']],
    [id.um, 'PDT-D365-US', ['offer_not_in_customer_country']],
    [id.self, 'PDT-M365-BB', ['customer_is_partner']],
    [id.aff, 'PDT-M365-BB', ['customer_is_affiliate']],
    [id.many, 'PDT-D365-US', ['customer_is_affiliate', 'customer_is_partner', 'customer_outside_market', 'offer_not_in_customer_country']],
    [id.ca, 'PDT-TEAMS-UM', ['customer_outside_market', 'offer_not_in_customer_country', 'offer_not_in_partner_country']],
  ];
  for (const [cust, offer, rules] of cases) {
    const r = await eligibility(c, cust, offer);
    assert.equal(r.status, 200);
    assert.equal(verdict(r.text), rules.length ? 'no' : 'yes', `customer ${cust}, ${offer}`);
    assert.deepEqual(failedRules(r.text), [...rules].sort(), `customer ${cust}, ${offer}`);
  }
  // Each explanation names what to act on.
  let text = cspText((await eligibility(c, id.ca, 'PDT-M365-BB')).text);
  assert.match(text, /Canada/); assert.match(text, /United States/);
  text = cspText((await eligibility(c, id.um, 'PDT-D365-US')).text);
  assert.match(text, /Dynamics 365 Sales \(US only\)/); assert.match(text, /Choose an offer available in/);
  text = cspText((await eligibility(c, id.self, 'PDT-M365-BB')).text);
  assert.ok(text.includes(s.domain), 'names the partner\'s domain');
  const audits = sql(`SELECT object, after_json FROM audit_log WHERE action = 'csp.eligibility' AND tenant_id = ${s.tenant} ORDER BY id`);
  assert.equal(audits.length, cases.length + 3, 'every check audited');
  assert.equal(audits[0][0], `customer:${id.us}`);
  assert.match(audits[0][1], /"verdict":"yes"/);
  assert.match(audits[3][1], /"failed":"customer_outside_market"/);
});

test('eligibility (partner): not an active CSP alone; the seed\'s Brazil example (a customer in Brazil whose tenant is US) is outside the market', async () => {
  importGood();
  const s = await cspCompany('US');
  const us = await addCustomer(s.client, { name: 'Woodgrove Bank', tenant_domain: 'woodgrove.example', country: 'US' });
  sql(`UPDATE csp_applications SET status = 'approved' WHERE tenant_id = ${s.tenant}`);
  let r = await eligibility(s.client, us, 'PDT-M365-BB');
  assert.equal(verdict(r.text), 'no');
  assert.deepEqual(failedRules(r.text), ['not_active_csp']);
  assert.ok(r.text.includes('href="/csp/enroll"'), 'says where to finish');
  sql(`UPDATE csp_applications SET status = 'active' WHERE tenant_id = ${s.tenant}`);
  assert.equal(verdict((await eligibility(s.client, us, 'PDT-M365-BB')).text), 'yes');

  const br = await cspCompany('BR');
  const seed = await addCustomer(br.client, { name: 'Cliente Brasileiro com locatário nos EUA', tenant_domain: 'clientebr.example', country: 'US' });
  const local = await addCustomer(br.client, { name: 'Cliente Local', tenant_domain: 'clientelocal.example', country: 'BR' });
  r = await eligibility(br.client, seed, 'PDT-M365-BB');
  assert.deepEqual(failedRules(r.text), ['customer_outside_market']);
  assert.match(cspText(r.text), /Brazil/);
  r = await eligibility(br.client, local, 'PDT-AZ-AMER');
  assert.equal(verdict(r.text), 'yes');
  r = await eligibility(br.client, local, 'PDT-D365-US');
  assert.deepEqual(failedRules(r.text), ['offer_not_in_customer_country', 'offer_not_in_partner_country']);
});

test('eligibility (partner): the choices when a parameter is missing; an offer not in the catalog is a message next to the field; French explanations', async () => {
  importGood();
  const s = await cspCompany('US', 'fr');
  const ca = await addCustomer(s.client, { name: 'Maple Foods', tenant_domain: 'maple.example', country: 'CA' });
  let r = await s.client.get('/csp/eligibility');
  assert.equal(r.status, 200);
  assert.ok(tagsWith(r.text, 'option', 'value').some(a => a.value === ca), 'the customer offered');
  assert.ok(tagsWith(r.text, 'option', 'value').some(a => a.value === 'PDT-M365-BB'), 'the offer offered');
  assert.equal(verdict(r.text), undefined);
  r = await s.client.get(`/csp/eligibility?customer=${ca}`);
  assert.equal(r.status, 200);
  assert.ok(fieldErrors(r.text).offer);
  r = await eligibility(s.client, ca, 'NO-SUCH-OFFER');
  assert.equal(r.status, 200);
  assert.ok(fieldErrors(r.text).offer);
  assert.equal(verdict(r.text), undefined);
  r = await s.client.get(`/csp/eligibility?customer=${ca}&offer=PDT-D365-US&lang=fr`);
  assert.equal(htmlLang(r.text), 'fr');
  assert.deepEqual(failedRules(r.text), ['customer_outside_market', 'offer_not_in_customer_country']);
  const text = cspText(r.text);
  assert.match(text, /Non éligible/);
  assert.match(text, /n’est pas disponible/);
  assert.match(text, /locataire/);
  assert.match(text, /Canada/);
});

test('eligibility (staff): the same check with partner_id, customer_country, customer_domain and offer; unknown partner ID next to the field; partners 404', async () => {
  importGood();
  const staff = await reviewer();
  const csp = await cspCompany('US');
  const plain = await company('US');
  const q = o => '/staff/eligibility?' + new URLSearchParams({ relationship: 'customer', ...o }).toString();
  let r = await staff.get('/staff/eligibility');
  assert.equal(r.status, 200);
  assert.equal(verdict(r.text), undefined);
  const cases = [
    [{ partner_id: csp.pla, customer_country: 'UM', customer_domain: 'midway.example', offer: 'PDT-M365-BB' }, []],
    [{ partner_id: plain.pla, customer_country: 'US', customer_domain: 'woodgrove.example', offer: 'PDT-M365-BB' }, ['not_active_csp']],
    [{ partner_id: plain.pga, customer_country: 'US', customer_domain: 'woodgrove.example', offer: 'PDT-M365-BB' }, ['not_active_csp']],
    [{ partner_id: csp.pga, customer_country: 'US', customer_domain: 'woodgrove.example', offer: 'PDT-M365-BB' }, ['not_active_csp']],
    [{ partner_id: csp.pla, customer_country: 'BR', customer_domain: 'clientebr.example', offer: 'PDT-M365-BB' }, ['customer_outside_market']],
    [{ partner_id: csp.pla, customer_country: 'UM', customer_domain: 'midway.example', offer: 'PDT-TEAMS-UM' }, ['offer_not_in_partner_country']],
    [{ partner_id: csp.pla, customer_country: 'UM', customer_domain: 'midway.example', offer: 'PDT-D365-US' }, ['offer_not_in_customer_country']],
    [{ partner_id: csp.pla, customer_country: 'US', customer_domain: csp.domain, offer: 'PDT-M365-BB' }, ['customer_is_partner']],
    [{ partner_id: csp.pla, customer_country: 'US', customer_domain: 'sister.example', offer: 'PDT-M365-BB', relationship: 'affiliate' }, ['customer_is_affiliate']],
    [{ partner_id: plain.pla, customer_country: 'CA', customer_domain: plain.domain, offer: 'PDT-TEAMS-UM', relationship: 'affiliate' },
      ['customer_is_affiliate', 'customer_is_partner', 'customer_outside_market', 'not_active_csp', 'offer_not_in_customer_country', 'offer_not_in_partner_country']],
  ];
  for (const [o, rules] of cases) {
    r = await staff.get(q(o));
    assert.equal(r.status, 200);
    assert.equal(verdict(r.text), rules.length ? 'no' : 'yes', JSON.stringify(o));
    assert.deepEqual(failedRules(r.text), [...rules].sort(), JSON.stringify(o));
  }
  assert.ok(sqlValue(`SELECT COUNT(*) FROM audit_log WHERE action = 'csp.eligibility' AND actor_kind = 'staff' AND object = ${quote(csp.pla)}`) >= 6, 'audited about the partner');
  const bad = [
    [{ partner_id: '0000001' }, 'partner_id'], [{ partner_id: '12' }, 'partner_id'],
    [{ customer_country: 'ZZ' }, 'customer_country'], [{ customer_domain: 'not a domain' }, 'customer_domain'],
    [{ offer: 'NO-SUCH-OFFER' }, 'offer'], [{ relationship: 'cousin' }, 'relationship'],
  ];
  const good = { partner_id: csp.pla, customer_country: 'US', customer_domain: 'woodgrove.example', offer: 'PDT-M365-BB' };
  for (const [over, field] of bad) {
    r = await staff.get(q({ ...good, ...over }));
    assert.equal(r.status, 200, `${JSON.stringify(over)}: 200 with the message`);
    assert.deepEqual(Object.keys(fieldErrors(r.text)), [field], JSON.stringify(over));
    assert.equal(verdict(r.text), undefined);
  }
  assert.equal((await csp.client.get(q(good))).status, 404, 'a partner never reaches the staff check');
});

await run();
