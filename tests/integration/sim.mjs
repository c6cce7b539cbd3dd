// The DUNS / address simulator speaks the real protocols (research/duns_address.md §1, §2.2, §4;
// CONTRACT §6) and is as strict as the published services: token endpoints and credentials (each
// with its body and Content-Type), cleanseMatch candidates and refusals, data by DUNS, a company
// without a name (primaryName null), USPS v3 parameters, verdicts, DPV and its one error
// envelope, every fault mode (mode=error with status= and code=), token expiry, counters, and it
// survives hostile input. Talks to the simulator of $PARTNERDESK_VAR directly (port in sim.port,
// credentials in partnerdesk.ini); leaves it reset (no fault, counters zero).
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, run, assert, BUILD, simBase, simRequest, configValue, waitUntil } from '../acceptance/lib.mjs';

const SIM = simBase();
const PORT = Number(new URL(SIM).port);

// The credentials of the generated ini (the simulator reads the same files).
const ini = Object.fromEntries(['dnb.key', 'dnb.secret', 'address.client_id', 'address.client_secret']
  .map(k => [k, configValue(...k.split('.'))]));
const basicOf = (k, s) => 'Basic ' + Buffer.from(`${k}:${s}`).toString('base64');
const BASIC = basicOf(ini['dnb.key'], ini['dnb.secret']);

async function dnbToken() {
  const r = await fetch(SIM + '/v2/token', {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: BASIC },
    body: JSON.stringify({ grant_type: 'client_credentials' }),
  });
  assert.equal(r.status, 200, 'D&B token');
  return (await r.json()).access_token;
}
async function uspsToken() {
  const r = await fetch(SIM + '/oauth2/v3/token', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: ini['address.client_id'],
      client_secret: ini['address.client_secret'], scope: 'addresses' }),
  });
  assert.equal(r.status, 200, 'USPS token');
  return (await r.json()).access_token;
}
// A request answered as { status, headers, text, json (null when not JSON) }.
async function req(path, init = {}) {
  const r = await fetch(SIM + path, init);
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, headers: r.headers, text, json };
}
const get = (path, token) => req(path, { headers: token ? { authorization: `Bearer ${token}`, accept: 'application/json' } : {} });
const qs = o => '?' + new URLSearchParams(o).toString();
const match = (o, t) => get('/v1/match/cleanseMatch' + qs({ countryISOAlpha2Code: 'US', ...o }), t);
const address = (o, t) => get('/addresses/v3/address' + qs(o), t);
const stats = () => fetch(SIM + '/_sim/stats').then(x => x.json());

// One raw connection: writes bytes (then half-closes unless keepOpen), resolves with everything
// read until the server closes (or the timeout), as latin1 text.
function raw(bytes, { timeout = 5000, end = true } = {}) {
  return new Promise(resolve => {
    const s = connect(PORT, '127.0.0.1');
    const chunks = [];
    let closed = false;
    const done = () => { if (!closed) { closed = true; resolve(Buffer.concat(chunks).toString('latin1')); } };
    s.setTimeout(timeout, () => { s.destroy(); done(); });
    s.on('data', d => chunks.push(d));
    s.on('close', done);
    s.on('error', done);
    if (end) s.end(bytes); else s.write(bytes);
  });
}

test('D&B tokens: v2 (JSON, Basic) and v3 (form) answer their shapes; bad credentials and a missing grant_type are refused', async () => {
  let r = await fetch(SIM + '/v2/token', { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials"}' });
  assert.equal(r.status, 200);
  const v2 = await r.json();
  assert.deepEqual(Object.keys(v2).sort(), ['access_token', 'expiresIn']);
  assert.ok(v2.access_token.length > 20 && Number.isInteger(v2.expiresIn) && v2.expiresIn > 0);
  r = await fetch(SIM + '/v3/token', { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
  assert.equal(r.status, 200);
  const v3 = await r.json();
  assert.equal(v3.token_type, 'Bearer');
  assert.ok(Number.isInteger(v3.expires_in) && v3.expires_in > 0 && v3.access_token);
  assert.equal((await get('/v1/data/duns/804735132?blockIDs=companyinfo_L2_v1', v3.access_token)).status, 200, 'a v3 token works');
  assert.equal((await get('/v1/data/duns/804735132?blockIDs=companyinfo_L2_v1', v2.access_token)).status, 200, 'a v2 token works');

  r = await fetch(SIM + '/v2/token', { method: 'POST', headers: { authorization: basicOf(ini['dnb.key'], 'wrong'), 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials"}' });
  assert.equal(r.status, 401);
  const env = await r.json();
  assert.equal(env.error.errorCode, '00004');
  assert.ok(env.error.errorMessage && env.transactionDetail.transactionID.startsWith('rrt-'));
  r = await fetch(SIM + '/v2/token', { method: 'POST', body: '{"grant_type":"client_credentials"}' });
  assert.equal(r.status, 401, 'no Authorization');
  r = await fetch(SIM + '/v3/token', { method: 'POST', headers: { authorization: basicOf('x', 'y') }, body: 'grant_type=client_credentials' });
  assert.equal(r.status, 401);
  assert.equal((await r.json()).error, 'invalid_client');
  r = await fetch(SIM + '/v3/token', { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
  assert.equal(r.status, 400);
  assert.match((await r.json()).error_description, /grant_type.*05007/);
  r = await fetch(SIM + '/v2/token', { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/json' }, body: '{}' });
  assert.equal(r.status, 400);
  assert.equal((await r.json()).error.errorDetails[0].parameter, 'grant_type');
});

test('USPS token: client credentials in JSON give a Bearer token; wrong ones 401; a token of one service is refused by the other', async () => {
  let r = await fetch(SIM + '/oauth2/v3/token', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: ini['address.client_id'], client_secret: ini['address.client_secret'], scope: 'addresses' }) });
  assert.equal(r.status, 200);
  const t = await r.json();
  assert.equal(t.token_type, 'Bearer');
  assert.ok(t.access_token && Number.isInteger(t.expires_in) && t.expires_in > 0);
  r = await fetch(SIM + '/oauth2/v3/token', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: ini['address.client_id'], client_secret: 'nope' }) });
  assert.equal(r.status, 401);
  assert.equal((await r.json()).error.code, '401');
  r = await fetch(SIM + '/oauth2/v3/token', { method: 'POST', body: 'not json' });
  assert.equal(r.status, 400, 'not JSON');
  const gorman = { streetAddress: '492 Koller St', city: 'San Francisco', state: 'CA' };
  assert.equal((await address(gorman, await dnbToken())).status, 401, 'D&B token on the address service');
  assert.equal((await get('/v1/data/duns/804735132?blockIDs=companyinfo_L2_v1', t.access_token)).status, 401, 'USPS token on D&B');
  assert.equal((await address(gorman, t.access_token)).status, 200);
});

test('cleanseMatch: several candidates by confidence, full D+ shapes, 11-letter match grade in the documented order, candidateMaximumQuantity', async () => {
  const t = await dnbToken();
  let r = await match({ name: 'Contoso' }, t);
  assert.equal(r.status, 200);
  const j = r.json;
  assert.ok(j.transactionDetail.transactionID && j.transactionDetail.transactionTimestamp);
  assert.equal(j.inquiryDetail.name, 'Contoso');
  assert.equal(j.inquiryDetail.address.countryISOAlpha2Code, 'US');
  assert.equal(j.matchDataCriteria, 'Name and Address Lookup');
  const c = j.matchCandidates;
  assert.ok(c.length >= 3, 'three Contoso companies in the US');
  assert.equal(j.candidatesMatchedQuantity, c.length);
  assert.deepEqual(c.map(x => x.displaySequence), c.map((_, i) => i + 1));
  for (let i = 1; i < c.length; i++)
    assert.ok(c[i - 1].matchQualityInformation.confidenceCode >= c[i].matchQualityInformation.confidenceCode, 'sorted by confidence');
  assert.equal(c[0].organization.primaryName, 'CONTOSO LTD', 'the exact name first');
  assert.equal(c[0].matchQualityInformation.confidenceCode, 7, 'exact name alone: 7');
  assert.ok(c[c.length - 1].matchQualityInformation.confidenceCode < 7);
  const order = ['Name', 'Street Number', 'Street Name', 'City', 'State', 'PO Box', 'Phone', 'Postal Code', 'Density', 'Uniqueness', 'SIC'];
  for (const x of c) {
    const q = x.matchQualityInformation;
    assert.match(q.matchGrade, /^[ABFZ]{11}$/);
    assert.ok(Number.isInteger(q.confidenceCode) && q.confidenceCode >= 1 && q.confidenceCode <= 10);
    assert.equal(q.matchGradeComponentsCount, 11);
    assert.deepEqual(q.matchGradeComponents.map(g => g.componentType), order);
    assert.equal(q.matchGradeComponents.map(g => g.componentRating).join(''), q.matchGrade);
    assert.equal(typeof q.nameMatchScore, 'number');
    const o = x.organization;
    assert.match(o.duns, /^\d{9}$/);
    assert.match(o.primaryName, /CONTOSO/);
    assert.equal(o.primaryAddress.addressCountry.isoAlpha2Code, 'US');
    assert.equal(o.primaryAddress.addressCountry.name, 'United States');
    assert.ok(o.primaryAddress.addressLocality.name && o.primaryAddress.addressRegion.abbreviatedName);
    assert.ok(o.primaryAddress.postalCode && o.primaryAddress.streetAddress.line1);
    assert.ok('line2' in o.primaryAddress.streetAddress);
    assert.deepEqual(o.dunsControlStatus.operatingStatus, { description: 'Active', dnbCode: 9074 });
  }
  r = await match({ name: 'Contoso', candidateMaximumQuantity: '2' }, t);
  assert.equal(r.json.matchCandidates.length, 2);
  assert.equal(r.json.inquiryDetail.candidateMaximumQuantity, 2);
  r = await match({ name: 'Contoso', confidenceLowerLevelThresholdValue: '5' }, t);
  assert.ok(r.json.matchCandidates.every(x => x.matchQualityInformation.confidenceCode >= 5));
  assert.ok(r.json.matchCandidates.length < c.length);
});

test('cleanseMatch: Gorman by name and address scores ≥ 8 with A grades; the address moves the confidence; names are normalised', async () => {
  const t = await dnbToken();
  let r = await match({ name: 'Gorman Manufacturing', streetAddressLine1: '492 Koller Street', addressLocality: 'San Francisco', addressRegion: 'CA', postalCode: '94110' }, t);
  assert.equal(r.status, 200);
  const best = r.json.matchCandidates[0];
  assert.equal(best.organization.duns, '804735132');
  assert.ok(best.matchQualityInformation.confidenceCode >= 8, `confidence ${best.matchQualityInformation.confidenceCode}`);
  assert.match(best.matchQualityInformation.matchGrade, /^AAAAAZZAZZZ$/);
  assert.equal(r.json.inquiryDetail.address.streetAddressLine.line1, '492 Koller Street');
  const nameOnly = (await match({ name: 'Gorman Manufacturing' }, t)).json.matchCandidates[0].matchQualityInformation;
  const wrongCity = (await match({ name: 'Gorman Manufacturing', addressLocality: 'Chicago', postalCode: '60601' }, t)).json.matchCandidates[0].matchQualityInformation;
  assert.ok(nameOnly.confidenceCode < best.matchQualityInformation.confidenceCode);
  assert.ok(wrongCity.confidenceCode < nameOnly.confidenceCode, 'a different city and postal code lower it');
  assert.equal(wrongCity.matchGrade[3], 'F');
  for (const name of ['GORMAN MANUFACTURING COMPANY, INC.', 'gorman manufacturing co', 'Gorman  Manufacturing, Inc']) {
    r = await match({ name }, t);
    assert.equal(r.json.matchCandidates[0].organization.duns, '804735132', name);
    assert.equal(r.json.matchCandidates[0].matchQualityInformation.confidenceCode, 7, `${name}: legal forms and punctuation ignored`);
  }
  r = await match({ name: 'muller software', countryISOAlpha2Code: 'DE' }, t);
  assert.equal(r.json.matchCandidates[0].organization.duns, '315764839', 'accents folded');
  assert.equal(r.json.matchCandidates[0].organization.primaryName, 'MÜLLER SOFTWARE AG');
  r = await match({ name: 'Margies Travel' }, t);
  assert.equal(r.json.matchCandidates[0].organization.duns, '112233479', 'apostrophes dropped');
});

test('cleanseMatch: 404 without candidates, 400 10002 with errorDetails, lookup by DUNS, out of business, 401 without a token', async () => {
  const t = await dnbToken();
  let r = await match({ name: 'Zzyzx Nothing' }, t);
  assert.equal(r.status, 404);
  assert.ok(r.json.error.errorCode && r.json.transactionDetail);
  assert.equal((await match({ name: 'Gorman', countryISOAlpha2Code: 'FR' }, t)).status, 404, 'same name, another country');
  for (const [params, parameter] of [[{ countryISOAlpha2Code: 'US' }, 'name'], [{ name: 'Inc.' }, 'name'],
    [{ name: 'Contoso', countryISOAlpha2Code: '' }, 'countryISOAlpha2Code'], [{ name: 'Contoso', countryISOAlpha2Code: 'USA' }, 'countryISOAlpha2Code'],
    [{ name: 'Contoso', candidateMaximumQuantity: 'lots' }, 'candidateMaximumQuantity']]) {
    r = await get('/v1/match/cleanseMatch' + qs({ countryISOAlpha2Code: 'US', ...params }), t);
    assert.equal(r.status, 400, JSON.stringify(params));
    assert.equal(r.json.error.errorCode, '10002');
    assert.equal(r.json.error.errorMessage, 'Invalid parameters.');
    assert.equal(r.json.error.errorDetails[0].parameter, parameter);
  }
  r = await get('/v1/match/cleanseMatch?duns=804735132', t);
  assert.equal(r.status, 200);
  assert.equal(r.json.matchDataCriteria, 'DUNS Number Lookup');
  assert.equal(r.json.candidatesMatchedQuantity, 1);
  assert.equal(r.json.matchCandidates[0].organization.duns, '804735132');
  assert.equal(r.json.matchCandidates[0].matchQualityInformation.matchGrade.length, 11);
  assert.equal((await get('/v1/match/cleanseMatch?duns=123456780', t)).status, 404);
  assert.equal((await get('/v1/match/cleanseMatch?duns=80473513', t)).json.error.errorCode, '10002');
  r = await match({ name: 'Adventure Works Cycles' }, t);
  assert.deepEqual(r.json.matchCandidates[0].organization.dunsControlStatus.operatingStatus, { description: 'Out of business', dnbCode: 403 });
  assert.equal((await match({ name: 'Adventure Works Cycles', exclusionCriteria: 'ExcludeOutofBusiness' }, t)).status, 404);
  r = await match({ name: 'Contoso' }, null);
  assert.equal(r.status, 401);
  assert.equal(r.json.error.errorCode, '00040');
  r = await match({ name: 'Contoso' }, t.slice(0, -4) + 'abcd');
  assert.equal(r.status, 401, 'a forged token');
});

test('data by DUNS: 200 with inquiryDetail, blockStatus and organization; 404 10001; 400 10002 for a malformed DUNS or blockIDs', async () => {
  const t = await dnbToken();
  let r = await get('/v1/data/duns/804735132?blockIDs=companyinfo_L2_v1', t);
  assert.equal(r.status, 200);
  assert.ok(r.json.transactionDetail.transactionID);
  assert.deepEqual(r.json.inquiryDetail, { duns: '804735132', blockIDs: ['companyinfo_L2_v1'] });
  const block = r.json.blockStatus.find(b => b.blockID === 'companyinfo_L2_v1');
  assert.deepEqual(block, { blockID: 'companyinfo_L2_v1', status: 'ok', reason: null });
  const o = r.json.organization;
  assert.equal(o.duns, '804735132');
  assert.equal(o.primaryName, 'GORMAN MANUFACTURING COMPANY, INC.');
  assert.equal(o.primaryAddress.streetAddress.line1, '492 KOLLER ST');
  assert.equal(o.primaryAddress.addressLocality.name, 'SAN FRANCISCO');
  assert.equal(o.primaryAddress.postalCode, '94110');
  assert.equal(o.dunsControlStatus.operatingStatus.description, 'Active');
  r = await get('/v1/data/duns/123456780?blockIDs=companyinfo_L2_v1', t);
  assert.equal(r.status, 404);
  assert.equal(r.json.error.errorCode, '10001');
  assert.equal(r.json.error.errorMessage, 'DUNS not found.');
  for (const path of ['/v1/data/duns/12345?blockIDs=companyinfo_L2_v1', '/v1/data/duns/80473513X?blockIDs=companyinfo_L2_v1',
    '/v1/data/duns/8047351320?blockIDs=companyinfo_L2_v1', '/v1/data/duns/804735132', '/v1/data/duns/804735132?blockIDs=companyinfo']) {
    r = await get(path, t);
    assert.equal(r.status, 400, path);
    assert.equal(r.json.error.errorCode, '10002', path);
  }
  r = await get('/v1/data/duns/457413500?blockIDs=companyinfo_L2_v1', t);
  assert.equal(r.json.organization.dunsControlStatus.operatingStatus.dnbCode, 403);
});

test('POST /_sim/expire-tokens: issued tokens get 401 00040 (D&B) or 401 (address); new tokens work; the other service is untouched', async () => {
  const d = await dnbToken(), a = await uspsToken();
  const data = tok => get('/v1/data/duns/804735132?blockIDs=companyinfo_L2_v1', tok);
  const gorman = tok => address({ streetAddress: '492 Koller St', city: 'San Francisco', state: 'CA' }, tok);
  assert.equal((await data(d)).status, 200);
  let r = await simRequest('/_sim/expire-tokens', { service: 'dnb' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.expired, ['dnb']);
  r = await data(d);
  assert.equal(r.status, 401);
  assert.equal(r.json.error.errorCode, '00040');
  assert.equal((await match({ name: 'Contoso' }, d)).json.error.errorCode, '00040');
  assert.equal((await gorman(a)).status, 200, 'address tokens still valid');
  assert.equal((await data(await dnbToken())).status, 200, 'a new token works');
  assert.equal((await simRequest('/_sim/expire-tokens', { service: 'address' })).status, 200);
  assert.equal((await gorman(a)).status, 401);
  assert.equal((await gorman(await uspsToken())).status, 200);
  assert.equal((await simRequest('/_sim/expire-tokens', { service: 'ftp' })).status, 400);
});

test('USPS v3: 31 exact in the std form, abbreviations and case ignored, 32 without the suite, several → 400, 404, 400, 401', async () => {
  const t = await uspsToken();
  let r = await address({ streetAddress: '492 Koller Street', city: 'San Francisco', state: 'CA', ZIPCode: '94110' }, t);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.matches, [{ code: '31', text: 'Single Response - exact match' }]);
  assert.deepEqual(r.json.corrections, []);
  assert.equal(r.json.address.streetAddress, '492 KOLLER ST');
  assert.equal(r.json.address.city, 'SAN FRANCISCO');
  assert.equal(r.json.address.state, 'CA');
  assert.equal(r.json.address.ZIPCode, '94110');
  assert.equal(r.json.address.ZIPPlus4, '1227');
  assert.equal(r.json.additionalInfo.DPVConfirmation, 'Y');
  for (const entry of [{ streetAddress: '492  koller st.', state: 'CA', ZIPCode: '94110' }, { streetAddress: '500 East Pike Street', city: 'seattle', state: 'WA' },
    { streetAddress: '500 E PIKE ST', city: 'SEATTLE', state: 'WA', ZIPCode: '98122', ZIPPlus4: '3906' }, { streetAddress: '15 Ocean Dr.', city: 'Miami Beach', state: 'FL' }]) {
    r = await address(entry, t);
    assert.equal(r.status, 200, JSON.stringify(entry));
    assert.equal(r.json.matches[0].code, '31', JSON.stringify(entry));
  }
  r = await address({ streetAddress: '100 Congress Avenue', city: 'Austin', state: 'TX', ZIPCode: '78701' }, t);
  assert.equal(r.status, 200);
  assert.equal(r.json.corrections[0].code, '32');
  assert.match(r.json.corrections[0].text, /^Default address/);
  assert.deepEqual(r.json.matches, []);
  assert.equal(r.json.address.streetAddress, '100 CONGRESS AVE');
  assert.equal(r.json.additionalInfo.DPVConfirmation, 'D');
  r = await address({ streetAddress: '100 Congress Ave', secondaryAddress: 'Suite 2000', city: 'Austin', state: 'TX' }, t);
  assert.equal(r.json.matches[0].code, '31', 'with the suite it is exact');
  assert.equal(r.json.address.secondaryAddress, 'STE 2000');
  r = await address({ streetAddress: '100 Congress Ave Ste 2000', city: 'Austin', state: 'TX' }, t);
  assert.equal(r.json.matches[0].code, '31', 'the suite on the street line');
  r = await address({ streetAddress: '100 Congress Ave', secondaryAddress: 'Ste 9', city: 'Austin', state: 'TX' }, t);
  assert.equal(r.json.corrections[0].code, '32', 'another suite');
  assert.equal(r.json.additionalInfo.DPVConfirmation, 'S');
  r = await address({ streetAddress: '200 Market Street', secondaryAddress: '# 410', city: 'Portland', state: 'OR' }, t);
  assert.equal(r.json.matches[0].code, '31', '# as the unit');
  assert.equal(r.json.address.secondaryAddress, 'STE 410');
  assert.equal((await address({ streetAddress: '200 Market Street', city: 'Portland', state: 'OR' }, t)).json.corrections[0].code, '32');
  r = await address({ streetAddress: '10 Main St', city: 'Springfield', state: 'IL', ZIPCode: '62701' }, t);
  assert.equal(r.status, 400, 'several addresses: 400');
  assert.equal(r.json.error.message, 'Multiple addresses were found for the information you entered, and no default exists.');
  assert.equal((await address({ streetAddress: '10 E Main St', city: 'Springfield', state: 'IL' }, t)).json.matches[0].code, '31', 'the std form picks one');
  r = await address({ streetAddress: '1 Nowhere Rd', city: 'Austin', state: 'TX' }, t);
  assert.equal(r.status, 404);
  assert.equal(r.json.error.code, '404');
  assert.equal(r.json.error.message, 'Address Not Found.');
  assert.equal((await address({ streetAddress: '492 Koller St', city: 'San Francisco', state: 'CA', ZIPCode: '94111' }, t)).status, 404, 'another ZIP');
  assert.equal((await address({ streetAddress: '492 Koller St', city: 'Oakland', state: 'CA' }, t)).status, 404, 'another city');
  assert.equal((await address({ streetAddress: '492 Koller St', city: 'San Francisco', state: 'NV' }, t)).status, 404, 'another state');
  assert.equal((await address({ city: 'Austin', state: 'TX' }, t)).status, 400, 'no street');
  assert.equal((await address({ streetAddress: '492 Koller St', state: 'CA' }, t)).status, 400, 'neither city nor ZIP');
  r = await address({ streetAddress: '492 Koller St', city: 'San Francisco', state: 'CA' }, null);
  assert.equal(r.status, 401);
  assert.ok(r.json.error.message);
});

test('USPS v3 extension country=: other countries of the fixture validate the same way', async () => {
  const t = await uspsToken();
  let r = await address({ streetAddress: '12 Rue de la Paix', city: 'Paris', ZIPCode: '75002', country: 'FR' }, t);
  assert.equal(r.json.matches[0].code, '31');
  assert.equal(r.json.address.streetAddress, '12 RUE DE LA PAIX');
  r = await address({ streetAddress: '8 av. des Champs Elysees', city: 'Paris', ZIPCode: '75008', country: 'fr' }, t);
  assert.equal(r.json.matches[0].code, '31', 'accents, AV and dots');
  r = await address({ streetAddress: 'Kaiserstrasse 12', city: 'Frankfurt am Main', ZIPCode: '60311', country: 'DE' }, t);
  assert.equal(r.json.address.streetAddress, 'KAISERSTRASSE 12', 'ß = SS');
  r = await address({ streetAddress: '100 King Street West', city: 'Toronto', state: 'ON', ZIPCode: 'm5x1a9', country: 'CA' }, t);
  assert.equal(r.status, 404, 'a Canadian postal code needs its space');
  r = await address({ streetAddress: '100 King Street West', city: 'Toronto', state: 'ON', ZIPCode: 'M5X 1A9', country: 'CA' }, t);
  assert.equal(r.json.address.ZIPCode, 'M5X 1A9');
  assert.equal(r.json.address.ZIPPlus4, '');
  assert.equal((await address({ streetAddress: '12 Rue de la Paix', city: 'Paris', state: 'CA', ZIPCode: '75002' }, t)).status, 404, 'US by default');
  assert.equal((await address({ streetAddress: '12 Rue de la Paix', city: 'Paris', country: 'FRA' }, t)).status, 400);
});

test('faults: every mode on both services (token endpoints included); the other service and /_sim/ are unaffected; bad switches refused', async () => {
  const d = await dnbToken(), a = await uspsToken();
  const dnbCall = () => get('/v1/data/duns/804735132?blockIDs=companyinfo_L2_v1', d);
  const addrCall = () => address({ streetAddress: '492 Koller St', city: 'San Francisco', state: 'CA' }, a);
  const calls = { dnb: [dnbCall, () => req('/v2/token', { method: 'POST', headers: { authorization: BASIC }, body: '{"grant_type":"client_credentials"}' })],
    address: [addrCall, () => req('/oauth2/v3/token', { method: 'POST', body: '{}' })] };
  const rawCall = { dnb: 'GET /v1/data/duns/804735132?blockIDs=companyinfo_L2_v1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ' + d + '\r\n\r\n',
    address: 'POST /oauth2/v3/token HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}' };
  try {
    for (const svc of ['dnb', 'address']) {
      const other = svc === 'dnb' ? addrCall : dnbCall;
      let r = await simRequest('/_sim/fault', { service: svc, mode: 'error' });
      assert.equal(r.status, 200);
      assert.equal(r.json[svc].mode, 'error');
      for (const call of calls[svc]) {
        const res = await call();
        assert.equal(res.status, svc === 'dnb' ? 500 : 503, `${svc} error`);
        if (svc === 'dnb') assert.equal(res.json.error.errorCode, '00034');
        else assert.ok(res.json.error.message);
      }
      assert.equal((await other()).status, 200, 'the other service is unaffected');

      await simRequest('/_sim/fault', { service: svc, mode: 'garbage' });
      for (const call of calls[svc]) {
        const res = await call();
        assert.equal(res.status, 200);
        assert.ok(res.text.length > 0);
        assert.equal(res.json, null, 'garbage is not JSON');
      }

      await simRequest('/_sim/fault', { service: svc, mode: 'ratelimit' });
      for (const call of calls[svc]) {
        const res = await call();
        assert.equal(res.status, 429);
        assert.equal(res.headers.get('retry-after'), '1');
        if (svc === 'dnb') assert.equal(res.json.error.errorCode, '00045');
        else assert.ok(res.json.error.message);
      }

      await simRequest('/_sim/fault', { service: svc, mode: 'down' });
      assert.equal(await raw(rawCall[svc]), '', 'down: closed without a byte');
      await assert.rejects(calls[svc][0](), 'down: fetch fails');
      assert.equal((await fetch(SIM + '/_sim/stats')).status, 200, '/_sim/ never faults');
      assert.equal((await other()).status, 200);

      // Slow: a call waits, then is answered normally; meanwhile the other service and /_sim/
      // answer. Asserted by the order of completion, never by a duration.
      r = await simRequest('/_sim/fault', { service: svc, mode: 'slow' });
      assert.deepEqual({ mode: r.json[svc].mode, ms: r.json[svc].ms }, { mode: 'slow', ms: 5000 }, 'default 5000 ms');
      const counter = `${svc}_requests`;
      const seen = (await stats())[counter];
      const done = [];
      const slow = calls[svc][0]().then(res => { done.push(svc); return res; });
      await waitUntil(async () => (await stats())[counter] > seen, { timeoutMs: 60000, what: `the slow ${svc} call to reach the simulator` });
      assert.equal((await other()).status, 200, 'the other service answers while the slow call waits');
      done.push('other');
      assert.equal((await fetch(SIM + '/_sim/fault')).status, 200, '/_sim/ answers while the slow call waits');
      assert.deepEqual(done, ['other'], `the slow ${svc} call is still waiting once the other service has answered`);
      r = await simRequest('/_sim/fault', { service: svc, mode: 'slow', ms: '400' });
      assert.deepEqual({ mode: r.json[svc].mode, ms: r.json[svc].ms }, { mode: 'slow', ms: 400 });
      assert.equal((await slow).status, 200, 'slow then normal');
      assert.deepEqual(done, ['other', svc], 'the slow call completes last');
      assert.equal((await calls[svc][0]()).status, 200, 'slow (400 ms) then normal');

      r = await simRequest('/_sim/fault', { service: svc, mode: 'none' });
      assert.equal(r.json[svc].mode, 'none');
      assert.equal((await calls[svc][0]()).status, 200);
    }
    const state = await fetch(SIM + '/_sim/fault').then(x => x.json());
    assert.deepEqual([state.dnb.mode, state.address.mode], ['none', 'none']);
    for (const bad of [{ service: 'dnb', mode: 'explode' }, { service: 'smtp', mode: 'down' }, { mode: 'down' },
      { service: 'dnb', mode: 'slow', ms: 'soon' }, { service: 'dnb', mode: 'slow', ms: '-5' }, { service: 'dnb', mode: 'slow', ms: '99999999999' }])
      assert.equal((await simRequest('/_sim/fault', bad)).status, 400, JSON.stringify(bad));
  } finally {
    await simRequest('/_sim/reset');
  }
});

test('GET /_sim/stats counts per endpoint (refused and faulted calls only per service); POST /_sim/reset zeroes them and clears faults', async () => {
  try {
    await statsAndReset();
  } finally {
    await simRequest('/_sim/reset');
  }
});

async function statsAndReset() {
  let r = await simRequest('/_sim/reset');
  assert.deepEqual([r.json.dnb.mode, r.json.address.mode], ['none', 'none']);
  let s = await fetch(SIM + '/_sim/stats').then(x => x.json());
  assert.deepEqual(s, { dnb_token: 0, dnb_cleanse_match: 0, dnb_data_duns: 0, address_token: 0, address_validate: 0, dnb_requests: 0, address_requests: 0 });
  const d = await dnbToken(), a = await uspsToken();
  await match({ name: 'Contoso' }, d);
  await match({ name: 'Nothing At All' }, d);
  await get('/v1/data/duns/804735132?blockIDs=companyinfo_L2_v1', d);
  await address({ streetAddress: '492 Koller St', city: 'San Francisco', state: 'CA' }, a);
  await match({ name: 'Contoso' }, 'stale');
  await simRequest('/_sim/fault', { service: 'dnb', mode: 'error' });
  await match({ name: 'Contoso' }, d);
  s = await fetch(SIM + '/_sim/stats').then(x => x.json());
  assert.deepEqual(s, { dnb_token: 1, dnb_cleanse_match: 2, dnb_data_duns: 1, address_token: 1, address_validate: 1, dnb_requests: 6, address_requests: 2 });
  r = await simRequest('/_sim/reset');
  assert.equal(r.json.dnb.mode, 'none');
  s = await fetch(SIM + '/_sim/stats').then(x => x.json());
  assert.ok(Object.values(s).every(v => v === 0));
  assert.equal((await match({ name: 'Contoso' }, d)).status, 200, 'faults cleared');
  assert.equal((await fetch(SIM + '/_sim/nothing')).status, 404);
  assert.equal((await fetch(SIM + '/_sim/reset')).status, 405, 'reset is a POST');
}

test('HTTP: keep-alive and pipelining, Connection: close, Expect: 100-continue, 405 for a wrong method, 404 elsewhere', async () => {
  const one = 'GET /_sim/stats HTTP/1.1\r\nHost: x\r\n\r\n';
  let out = await raw(one + one + 'GET /_sim/fault HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(out.match(/HTTP\/1\.1 200 OK/g)?.length, 3, 'three answers on one connection');
  assert.match(out, /Connection: close/);
  out = await raw('GET /_sim/stats HTTP/1.0\r\n\r\n', { end: false });
  assert.match(out, /^HTTP\/1\.1 200/, 'HTTP/1.0 closes after the answer');
  // The body is sent only once the server said 100 Continue.
  const body = 'grant_type=client_credentials';
  out = await new Promise(resolve => {
    const s = connect(PORT, '127.0.0.1');
    let got = '';
    s.setTimeout(3000, () => s.destroy());
    s.on('data', d => { got += d; if (got.includes('100 Continue\r\n\r\n') && !s.sent) { s.sent = true; s.write(body); } });
    s.on('close', () => resolve(got));
    s.write(`POST /v3/token HTTP/1.1\r\nHost: x\r\nAuthorization: ${BASIC}\r\nContent-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
  });
  assert.match(out, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK/);
  assert.equal((await fetch(SIM + '/v2/token')).status, 405);
  assert.equal((await fetch(SIM + '/addresses/v3/address', { method: 'DELETE' })).status, 405);
  assert.equal((await fetch(SIM + '/v1/nothing')).status, 404);
  assert.equal((await fetch(SIM + '/index.html')).status, 404);
});

test('hostile input: garbage, long lines, huge or bad lengths, bad methods, NUL bytes, odd encodings; the simulator answers normally afterwards', async () => {
  const t = await dnbToken(), a = await uspsToken();
  const answers = await Promise.all([
    raw('GARBAGE\r\n\r\n'),
    raw(`GET /${'a'.repeat(20000)} HTTP/1.1\r\n\r\n`),
    raw('POST /v2/token HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n'),
    raw('DELETE /addresses/v3/address HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n'),
    raw(`GET /${'b'.repeat(6000)} HTTP/1.1\r\n\r\n`),
  ]);
  assert.match(answers[0], /^HTTP\/1\.1 400/);
  assert.match(answers[1], /^HTTP\/1\.1 413/);
  assert.match(answers[2], /^HTTP\/1\.1 413/);
  assert.match(answers[3], /^HTTP\/1\.1 400/);
  assert.match(answers[4], /^HTTP\/1\.1 404/, 'a long target is read whole');
  const auth = `Authorization: Bearer ${t}\r\n`;
  const hostile = [
    Buffer.from([0, 1, 2, 3, 255, 254, 13, 10, 13, 10]),
    'GET / HTTP/9.9\r\n\r\n', 'GET\r\n\r\n', ' / HTTP/1.1\r\n\r\n', 'GET nohost HTTP/1.1\r\n\r\n',
    'BREW /v1/match/cleanseMatch HTTP/1.1\r\n\r\n', 'PUT /v2/token HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc',
    'POST /_sim/fault HTTP/1.1\r\nContent-Length: -1\r\n\r\n', 'POST /_sim/fault HTTP/1.1\r\nContent-Length: 12abc\r\n\r\n',
    'POST /_sim/fault HTTP/1.1\r\nContent-Length: 18446744073709551617\r\n\r\n',
    'POST /_sim/fault HTTP/1.1\r\nContent-Length: 100\r\n\r\nservice=dnb', // body cut short
    'GET /_sim/stats HTTP/1.1\r\n' + 'X-Filler: y\r\n'.repeat(2000) + '\r\n',
    `GET /_sim/stats HTTP/1.1\r\nX-Long: ${'z'.repeat(15000)}\r\n\r\n`,
    'GET /_sim/stats HTTP/1.1\r\nno colon here\r\n\r\n', 'GET /_sim/stats HTTP/1.1\n\n', 'GET /_sim/stats HTTP/1.1\r\n',
    `GET /v1/match/cleanseMatch?name=%ZZ%&countryISOAlpha2Code=%% HTTP/1.1\r\n${auth}\r\n`,
    `GET /v1/match/cleanseMatch?name=%&countryISOAlpha2Code=US&name=x HTTP/1.1\r\n${auth}\r\n`,
    `GET /v1/match/cleanseMatch?name=${'%C3%A9%E2%82%AC%F0%9F%98%80%FF%C3'.repeat(300)}&countryISOAlpha2Code=US HTTP/1.1\r\n${auth}\r\n`,
    `GET /v1/match/cleanseMatch?name=${'Contoso+'.repeat(1500)}&countryISOAlpha2Code=US&streetAddressLine1=${'1+'.repeat(2000)} HTTP/1.1\r\n${auth}\r\n`,
    `GET /v1/match/cleanseMatch?name=%00Contoso%00&countryISOAlpha2Code=U%00 HTTP/1.1\r\n${auth}\r\n`,
    `GET /v1/match/cleanseMatch?candidateMaximumQuantity=99999999999999999999&name=Contoso&countryISOAlpha2Code=US HTTP/1.1\r\n${auth}\r\n`,
    `GET /v1/data/duns/%2e%2e%2f%2e%2e?blockIDs=${'x,'.repeat(3000)} HTTP/1.1\r\n${auth}\r\n`,
    `GET /v1/data/duns/804735132?blockIDs=${'companyinfo_L2_v1,'.repeat(400)} HTTP/1.1\r\n${auth}\r\n`,
    `GET /addresses/v3/address?streetAddress=${'1+Ste+#'.repeat(1500)}&city=x&secondaryAddress=%23%23%23 HTTP/1.1\r\nAuthorization: Bearer ${a}\r\n\r\n`,
    `GET /addresses/v3/address?streetAddress=%C3&city=%F0%9F&ZIPCode=${'9'.repeat(5000)} HTTP/1.1\r\nAuthorization: Bearer ${a}\r\n\r\n`,
    'GET /v1/data/duns/804735132 HTTP/1.1\r\nAuthorization: Bearer \r\n\r\n',
    `GET /v1/data/duns/804735132 HTTP/1.1\r\nAuthorization: Bearer ${'dnb.'.repeat(300)}\r\n\r\n`,
    `POST /v2/token HTTP/1.1\r\nAuthorization: Basic ${'QUFB'.repeat(300)}\r\nContent-Length: 1\r\n\r\n{`,
    'POST /v2/token HTTP/1.1\r\nAuthorization: Basic !!!!\r\nContent-Length: 0\r\n\r\n',
    'POST /oauth2/v3/token HTTP/1.1\r\nContent-Length: 40\r\n\r\n{"client_id":[1,2],"client_secret":{}}  ',
    'POST /oauth2/v3/token HTTP/1.1\r\nContent-Length: 30\r\n\r\nclient_id=%&client_secret=%%%%',
    'POST /_sim/fault HTTP/1.1\r\nContent-Length: 24\r\n\r\nservice=dnb&mode=none&ms',
  ];
  const ids = Array.from({ length: 60 }, (_, i) => i);
  for (let round = 0; round < 3; round++) {
    for (const b of hostile) await Promise.all(ids.slice(0, 4).map(() => raw(b, { timeout: 3000 })));
    // Random bytes, sometimes after a valid request line.
    await Promise.all(ids.map(i => {
      const junk = Buffer.from(Array.from({ length: 1 + ((i * 7919 + round * 104729) % 3000) }, () => Math.floor(Math.random() * 256)));
      return raw(i % 2 ? Buffer.concat([Buffer.from('GET /v1/match/cleanseMatch?'), junk, Buffer.from('\r\n\r\n')]) : junk, { timeout: 3000 });
    }));
  }
  // Connections opened and dropped mid-head.
  await Promise.all(ids.map(() => new Promise(res => {
    const s = connect(PORT, '127.0.0.1', () => { s.write('GET /_sim/stats HTTP/1.1\r\nHo'); s.destroy(); res(); });
    s.on('error', res);
  })));
  // Still itself: tokens, a lookup, an address, faults cleared.
  const r = await match({ name: 'Gorman Manufacturing' }, await dnbToken());
  assert.equal(r.status, 200);
  assert.equal(r.json.matchCandidates[0].organization.duns, '804735132');
  assert.equal((await address({ streetAddress: '492 Koller St', city: 'San Francisco', state: 'CA' }, await uspsToken())).json.matches[0].code, '31');
  const f = await fetch(SIM + '/_sim/fault').then(x => x.json());
  assert.deepEqual([f.dnb.mode, f.address.mode], ['none', 'none']);
});

// ---- strictness: each rule of the published services, as the simulator enforces it ----------

// The USPS error envelope (research §2.2), one for every USPS error: the status as a string,
// the message, one entry in errors[] with source.parameter only when a parameter is at fault.
function assertUspsError(r, status, { message, parameter } = {}) {
  const what = `${status}: ${r.text}`;
  assert.equal(r.status, status, what);
  assert.deepEqual(Object.keys(r.json).sort(), ['apiVersion', 'error'], what);
  assert.equal(r.json.apiVersion, '/addresses/v3');
  const e = r.json.error;
  assert.deepEqual(Object.keys(e).sort(), ['code', 'errors', 'message'], what);
  assert.equal(e.code, String(status));
  assert.ok(typeof e.message === 'string' && e.message, what);
  if (message !== undefined) assert.equal(e.message, message);
  assert.equal(e.errors.length, 1, what);
  const x = e.errors[0];
  const named = parameter !== undefined;
  assert.deepEqual(Object.keys(x).sort(), named ? ['code', 'detail', 'source', 'status', 'title'] : ['code', 'detail', 'status', 'title'], what);
  assert.equal(x.status, String(status));
  assert.match(x.code, /^[A-Z][A-Z_]+$/);
  assert.ok(x.title && x.detail, what);
  if (named) assert.deepEqual(x.source, { parameter });
  return e;
}
// The D+ envelope (research §1.5) with its errorCode and, for 10002, the parameter at fault.
function assertDnbError(r, status, code, parameter) {
  const what = `${status} ${code}: ${r.text}`;
  assert.equal(r.status, status, what);
  assert.ok(r.json.transactionDetail.transactionID.startsWith('rrt-'), what);
  assert.equal(r.json.error.errorCode, code, what);
  assert.ok(r.json.error.errorMessage, what);
  if (parameter !== undefined) assert.equal(r.json.error.errorDetails[0].parameter, parameter, what);
}
const addressQuery = (query, t) => get('/addresses/v3/address?' + query, t);
const GORMAN_ADDRESS = { streetAddress: '492 Koller St', city: 'San Francisco', state: 'CA' };
const uspsTokenCall = (body, contentType = 'application/json') =>
  req('/oauth2/v3/token', { method: 'POST', headers: contentType ? { 'content-type': contentType } : {}, body });
const uspsCredentials = extra => ({ grant_type: 'client_credentials', client_id: ini['address.client_id'], client_secret: ini['address.client_secret'], ...extra });

test('USPS v3 parameters: only the documented ones (and country= other than US), none empty; each refusal is a 400 naming its parameter', async () => {
  const t = await uspsToken();
  let r = await address({ ...GORMAN_ADDRESS, secondaryAddress: 'Ste 1', ZIPCode: '94110', ZIPPlus4: '1227', firm: 'Gorman Manufacturing', urbanization: 'Mission' }, t);
  assert.equal(r.status, 200, `every documented parameter: ${r.text}`);
  for (const [name, value] of [['zip', '94110'], ['State', 'CA'], ['ZIPcode', '94110'], ['addressLine1', '492 Koller St'], ['apikey', 'k'], ['countryCode', 'US']])
    assertUspsError(await address({ ...GORMAN_ADDRESS, [name]: value }, t), 400, { parameter: name });
  for (const name of ['secondaryAddress', 'firm', 'ZIPCode', 'ZIPPlus4', 'urbanization', 'country'])
    assertUspsError(await address({ ...GORMAN_ADDRESS, [name]: '' }, t), 400, { parameter: name });
  assertUspsError(await addressQuery('streetAddress=492+Koller+St&city&state=CA', t), 400, { parameter: 'city' });
  assertUspsError(await addressQuery('streetAddress=492+Koller+St&city=San+Francisco&state=CA&=x', t), 400, { parameter: '' });
  assert.equal((await addressQuery('streetAddress=492+Koller+St&&city=San+Francisco&state=CA&', t)).status, 200, 'empty pairs are no parameters');
  for (const country of ['US', 'us', 'Us', 'USA', 'F', 'F1'])
    assertUspsError(await address({ ...GORMAN_ADDRESS, country }, t), 400, { parameter: 'country' });
  r = await address({ streetAddress: '12 Rue de la Paix', city: 'Paris', ZIPCode: '75002', country: 'FR' }, t);
  assert.equal(r.status, 200, 'another country selects its rows');
});

test('USPS v3 US rules: streetAddress, state as a USPS code in capitals, city or ZIPCode; ZIPCode 5 digits; ZIPPlus4 4 digits with ZIPCode and compared; other countries keep their own forms', async () => {
  const t = await uspsToken();
  const { streetAddress, city, state } = GORMAN_ADDRESS;
  assertUspsError(await address({ city, state }, t), 400, { parameter: 'streetAddress' });
  assertUspsError(await address({ streetAddress, city }, t), 400, { parameter: 'state' });
  for (const bad of ['ca', 'Ca', 'Calif', 'California', 'C A', 'XX', 'CAL'])
    assertUspsError(await address({ streetAddress, city, state: bad }, t), 400, { parameter: 'state' });
  assert.equal((await address({ streetAddress, city, state: 'DC' }, t)).status, 404, 'DC is a state code: found nowhere');
  assert.equal((await address({ streetAddress, city, state: 'PR' }, t)).status, 404, 'PR (a territory) is a state code');
  assertUspsError(await address({ streetAddress, state }, t), 400, { parameter: 'city' });
  for (const zip of ['94110-1227', '941101227', '9411', '941100', '9411a', ' 94110'])
    assertUspsError(await address({ streetAddress, state, ZIPCode: zip }, t), 400, { parameter: 'ZIPCode' });
  for (const plus4 of ['123', '12345', '12a4', '-1227'])
    assertUspsError(await address({ streetAddress, state, ZIPCode: '94110', ZIPPlus4: plus4 }, t), 400, { parameter: 'ZIPPlus4' });
  assertUspsError(await address({ streetAddress, city, state, ZIPPlus4: '1227' }, t), 400, { parameter: 'ZIPCode' });
  let r = await address({ streetAddress, state, ZIPCode: '94110' }, t);
  assert.equal(r.status, 200, 'ZIPCode without city');
  assert.equal(r.json.matches[0].code, '31');
  r = await address({ streetAddress, state, ZIPCode: '94110', ZIPPlus4: '1227' }, t);
  assert.deepEqual([r.status, r.json.address.ZIPCode, r.json.address.ZIPPlus4], [200, '94110', '1227'], 'the row\'s ZIP+4');
  assert.equal((await address({ streetAddress, state, ZIPCode: '94110', ZIPPlus4: '9999' }, t)).status, 404, 'another add-on');
  // Not the US: the fixture's own forms, no state required.
  r = await address({ streetAddress: '100 King Street West', city: 'Toronto', state: 'ON', ZIPCode: 'M5X 1A9', country: 'CA' }, t);
  assert.equal(r.status, 200);
  r = await address({ streetAddress: 'Kaiserstrasse 12', city: 'Frankfurt am Main', state: 'he', country: 'de' }, t);
  assert.equal(r.status, 200, 'a German region in any case');
  assert.equal((await address({ streetAddress: '1 Canada Square', ZIPCode: 'E14 5AB', country: 'GB' }, t)).status, 200, 'ZIPCode alone');
});

test('USPS v3 error envelope: the same shape for 400, 401, 403, 404, 429 and 503, on the address and token endpoints', async () => {
  const t = await uspsToken();
  assertUspsError(await address({ ...GORMAN_ADDRESS, state: 'Calif' }, t), 400, { parameter: 'state' });
  assertUspsError(await address({ streetAddress: '10 Main St', city: 'Springfield', state: 'IL' }, t), 400,
    { message: 'Multiple addresses were found for the information you entered, and no default exists.' });
  assertUspsError(await address(GORMAN_ADDRESS, null), 401);
  assertUspsError(await address(GORMAN_ADDRESS, 'address.0.1.2.3'), 401);
  assertUspsError(await uspsTokenCall(JSON.stringify(uspsCredentials({ client_secret: 'wrong', scope: 'addresses' }))), 401);
  assertUspsError(await address({ streetAddress: '1 Nowhere Rd', city: 'Austin', state: 'TX' }, t), 404, { message: 'Address Not Found.' });
  assertUspsError(await get('/addresses/v3/nothing', t), 404);
  assertUspsError(await req('/addresses/v3/address', { method: 'DELETE' }), 405);
  try {
    for (const [fault, status] of [[{ mode: 'error', status: '403' }, 403], [{ mode: 'ratelimit' }, 429], [{ mode: 'error' }, 503]]) {
      assert.equal((await simRequest('/_sim/fault', { service: 'address', ...fault })).status, 200);
      assertUspsError(await address(GORMAN_ADDRESS, t), status);
      assertUspsError(await uspsTokenCall(JSON.stringify(uspsCredentials({ scope: 'addresses' }))), status);
    }
  } finally {
    await simRequest('/_sim/reset');
  }
});

test('USPS v3 answers: the success shape, ZIP+4 split, 31/32, the dpv column (N, S) and the unit rule (D, S), several rows → 400, unknown → 404', async () => {
  const t = await uspsToken();
  let r = await address({ ...GORMAN_ADDRESS, ZIPCode: '94110' }, t);
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.json).sort(), ['additionalInfo', 'address', 'corrections', 'firm', 'matches']);
  assert.deepEqual(Object.keys(r.json.address).sort(), ['ZIPCode', 'ZIPPlus4', 'city', 'cityAbbreviation', 'secondaryAddress', 'state', 'streetAddress', 'streetAddressAbbreviation', 'urbanization']);
  assert.deepEqual(Object.keys(r.json.additionalInfo).sort(), ['DPVCMRA', 'DPVConfirmation', 'business', 'carrierRoute', 'centralDeliveryPoint', 'deliveryPoint', 'vacant']);
  assert.deepEqual([r.json.address.ZIPCode, r.json.address.ZIPPlus4], ['94110', '1227']);
  assert.deepEqual(r.json.matches, [{ code: '31', text: 'Single Response - exact match' }]);
  assert.equal(r.json.additionalInfo.DPVConfirmation, 'Y', 'no dpv column: Y');
  // dpv N: found, not deliverable.
  r = await address({ streetAddress: '9 Undeliverable Road', city: 'Boise', state: 'ID' }, t);
  assert.equal(r.status, 200);
  assert.equal(r.json.additionalInfo.DPVConfirmation, 'N');
  assert.deepEqual([r.json.address.streetAddress, r.json.address.ZIPCode, r.json.address.ZIPPlus4], ['9 UNDELIVERABLE RD', '83702', '5901']);
  assert.equal(r.json.matches[0].code, '31');
  // dpv S: the primary address confirmed, the unit entered not.
  r = await address({ streetAddress: '250 Harbor Drive', city: 'San Diego', state: 'CA', ZIPCode: '92101' }, t);
  assert.equal(r.json.additionalInfo.DPVConfirmation, 'S');
  r = await address({ streetAddress: '250 Harbor Dr', secondaryAddress: 'Apt 5', city: 'San Diego', state: 'CA' }, t);
  assert.deepEqual([r.json.additionalInfo.DPVConfirmation, r.json.address.secondaryAddress], ['S', 'APT 5']);
  // The unit rule wins over the default Y: D without the suite, S with another one, 32 both times.
  r = await address({ streetAddress: '100 Congress Ave', city: 'Austin', state: 'TX' }, t);
  assert.deepEqual([r.json.additionalInfo.DPVConfirmation, r.json.corrections[0].code, r.json.matches.length], ['D', '32', 0]);
  r = await address({ streetAddress: '100 Congress Ave', secondaryAddress: 'Ste 9', city: 'Austin', state: 'TX' }, t);
  assert.deepEqual([r.json.additionalInfo.DPVConfirmation, r.json.corrections[0].code], ['S', '32']);
  r = await address({ streetAddress: '100 Congress Ave', secondaryAddress: 'Suite 2000', city: 'Austin', state: 'TX' }, t);
  assert.deepEqual([r.json.additionalInfo.DPVConfirmation, r.json.matches[0].code], ['Y', '31']);
  // Two rows with the same entry: 400, whatever the ZIP or city given; the std form picks one.
  for (const entry of [{ city: 'Springfield' }, { ZIPCode: '62701' }, { city: 'springfield', ZIPCode: '62701' }])
    assertUspsError(await address({ streetAddress: '10 Main Street', state: 'IL', ...entry }, t), 400,
      { message: 'Multiple addresses were found for the information you entered, and no default exists.' });
  r = await address({ streetAddress: '10 W Main St', city: 'Springfield', state: 'IL' }, t);
  assert.deepEqual([r.status, r.json.address.ZIPPlus4], [200, '1306']);
  assertUspsError(await address({ streetAddress: '11 Main St', city: 'Springfield', state: 'IL' }, t), 404, { message: 'Address Not Found.' });
});

test('USPS token: Content-Type application/json with a JSON object, scope holding addresses; form bodies, other grants and scopes are 400s in the envelope', async () => {
  const form = new URLSearchParams(uspsCredentials({ scope: 'addresses' })).toString();
  assertUspsError(await uspsTokenCall(form, 'application/x-www-form-urlencoded'), 400);
  assertUspsError(await uspsTokenCall(JSON.stringify(uspsCredentials({ scope: 'addresses' })), 'text/plain'), 400);
  assertUspsError(await uspsTokenCall(JSON.stringify(uspsCredentials({ scope: 'addresses' })), null), 400);
  assertUspsError(await uspsTokenCall('[1,2]'), 400);
  assertUspsError(await uspsTokenCall(JSON.stringify(uspsCredentials({ scope: 'addresses', grant_type: 'password' }))), 400, { parameter: 'grant_type' });
  for (const scope of [undefined, '', 'tracking', 'address', 'addresses-x'])
    assertUspsError(await uspsTokenCall(JSON.stringify(uspsCredentials(scope === undefined ? {} : { scope }))), 400, { parameter: 'scope' });
  for (const [scope, ct] of [['addresses', 'application/json'], ['tracking addresses', 'application/json; charset=utf-8'], ['addresses prices', 'Application/JSON']]) {
    const r = await uspsTokenCall(JSON.stringify(uspsCredentials({ scope })), ct);
    assert.equal(r.status, 200, `${scope} (${ct}): ${r.text}`);
    assert.equal(r.json.token_type, 'Bearer');
  }
});

test('D&B tokens: /v2/token refuses a form body (400 00008, D+ envelope), /v3/token a JSON body (400, OAuth style); credentials are checked first', async () => {
  const v2 = (body, ct) => req('/v2/token', { method: 'POST', headers: { authorization: BASIC, ...(ct ? { 'content-type': ct } : {}) }, body });
  const v3 = (body, ct) => req('/v3/token', { method: 'POST', headers: { authorization: BASIC, ...(ct ? { 'content-type': ct } : {}) }, body });
  assertDnbError(await v2('grant_type=client_credentials', 'application/x-www-form-urlencoded'), 400, '00008');
  assertDnbError(await v2('{"grant_type":"client_credentials"}', 'application/x-www-form-urlencoded'), 400, '00008');
  assertDnbError(await v2('{"grant_type":"client_credentials"}', 'text/plain'), 400, '00008');
  assertDnbError(await v2('{"grant_type":"client_credentials"}', null), 400, '00008');
  assertDnbError(await v2('"client_credentials"', 'application/json'), 400, '00008');
  assert.equal((await v2('{"grant_type":"client_credentials"}', 'application/json; charset=UTF-8')).status, 200);
  let r = await v3('{"grant_type":"client_credentials"}', 'application/json');
  assert.equal(r.status, 400);
  assert.deepEqual(Object.keys(r.json).sort(), ['error', 'error_description']);
  assert.equal(r.json.error, 'invalid_request');
  r = await v3('{"grant_type":"client_credentials"}', 'application/x-www-form-urlencoded');
  assert.equal(r.status, 400, 'a JSON body sent as a form has no grant_type');
  assert.match(r.json.error_description, /grant_type.*05007/);
  r = await v3('grant_type=client_credentials', null);
  assert.deepEqual([r.status, r.json.error], [400, 'invalid_request'], 'no Content-Type');
  assert.equal((await v3('grant_type=client_credentials', 'application/x-www-form-urlencoded;charset=UTF-8')).status, 200);
  // Bad credentials: 401 whatever the body.
  r = await req('/v2/token', { method: 'POST', headers: { authorization: basicOf('x', 'y'), 'content-type': 'text/plain' }, body: 'grant_type=client_credentials' });
  assertDnbError(r, 401, '00004');
  r = await req('/v3/token', { method: 'POST', headers: { authorization: basicOf('x', 'y'), 'content-type': 'application/json' }, body: '{}' });
  assert.deepEqual([r.status, r.json.error], [401, 'invalid_client']);
});

test('D&B: a company without a name is primaryName null, in a lookup beside the named company at its address, by DUNS and in data by DUNS', async () => {
  const t = await dnbToken();
  for (const params of [{ name: 'Litware' }, { name: 'Litware Inc', streetAddressLine1: '4000 North 1st Street', addressLocality: 'San Jose', addressRegion: 'CA', postalCode: '95134' }]) {
    const r = await match(params, t);
    assert.equal(r.status, 200, JSON.stringify(params));
    const c = r.json.matchCandidates;
    assert.deepEqual(c.map(x => x.organization.duns), ['112233445', '112233487'], JSON.stringify(params));
    assert.equal(c[0].organization.primaryName, 'LITWARE INC');
    assert.ok('primaryName' in c[1].organization, 'the key is there');
    assert.equal(c[1].organization.primaryName, null);
    assert.equal(c[1].organization.primaryAddress.streetAddress.line1, '4000 N 1ST ST');
    assert.equal(c[1].matchQualityInformation.matchGrade[0], 'Z', 'no name to grade');
    assert.equal(c[1].matchQualityInformation.nameMatchScore, 0);
    assert.ok(c[1].matchQualityInformation.confidenceCode >= 1 && c[1].matchQualityInformation.confidenceCode < c[0].matchQualityInformation.confidenceCode);
    assert.equal(r.json.candidatesMatchedQuantity, 2);
  }
  assert.equal((await match({ name: 'Litware', candidateMaximumQuantity: '1' }, t)).json.matchCandidates.length, 1);
  assert.equal((await match({ name: 'Litware', confidenceLowerLevelThresholdValue: '2' }, t)).json.matchCandidates.length, 1, 'under the threshold');
  assert.ok((await match({ name: 'Contoso' }, t)).json.matchCandidates.every(x => x.organization.primaryName), 'only at its address');
  assert.equal((await match({ name: 'Litware', countryISOAlpha2Code: 'CA' }, t)).status, 404, 'nor in another country');
  let r = await get('/v1/match/cleanseMatch?duns=112233487', t);
  assert.equal(r.json.matchCandidates[0].organization.primaryName, null);
  r = await get('/v1/data/duns/112233487?blockIDs=companyinfo_L2_v1', t);
  assert.equal(r.status, 200);
  assert.ok('primaryName' in r.json.organization);
  assert.equal(r.json.organization.primaryName, null);
});

test('cleanseMatch refuses what D+ refuses (400 10002 naming the parameter): unknown parameters, country not 2 capitals, no name, candidateMaximumQuantity out of 1–25; data by DUNS 400/404', async () => {
  const t = await dnbToken();
  const raw = query => get('/v1/match/cleanseMatch?' + query, t);
  for (const [query, parameter] of [
    ['name=Contoso&countryISOAlpha2Code=US&zip=98052', 'zip'],
    ['name=Contoso&countryISOAlpha2Code=US&Name=x', 'Name'],
    ['name=Contoso&countryISOAlpha2Code=US&countryCode=US', 'countryCode'],
    ['name=Contoso&countryISOAlpha2Code=US&%ZZ=1', '%ZZ'],
    ['name=Contoso', 'countryISOAlpha2Code'],
    ['name=Contoso&countryISOAlpha2Code=us', 'countryISOAlpha2Code'],
    ['name=Contoso&countryISOAlpha2Code=Us', 'countryISOAlpha2Code'],
    ['name=Contoso&countryISOAlpha2Code=U1', 'countryISOAlpha2Code'],
    ['name=Contoso&countryISOAlpha2Code=', 'countryISOAlpha2Code'],
    ['countryISOAlpha2Code=US', 'name'],
    ['countryISOAlpha2Code=US&name=', 'name'],
    ['countryISOAlpha2Code=US&streetAddressLine1=1+Microsoft+Way&addressLocality=Redmond', 'name'],
    ['name=Contoso&countryISOAlpha2Code=US&candidateMaximumQuantity=0', 'candidateMaximumQuantity'],
    ['name=Contoso&countryISOAlpha2Code=US&candidateMaximumQuantity=26', 'candidateMaximumQuantity'],
    ['name=Contoso&countryISOAlpha2Code=US&candidateMaximumQuantity=100', 'candidateMaximumQuantity'],
    ['name=Contoso&countryISOAlpha2Code=US&candidateMaximumQuantity=', 'candidateMaximumQuantity'],
    ['name=Contoso&countryISOAlpha2Code=US&candidateMaximumQuantity=5x', 'candidateMaximumQuantity'],
    ['name=Contoso&countryISOAlpha2Code=US&candidateMaximumQuantity=-1', 'candidateMaximumQuantity'],
    ['name=Contoso&countryISOAlpha2Code=US&confidenceLowerLevelThresholdValue=11', 'confidenceLowerLevelThresholdValue'],
    ['duns=804735132&countryISOAlpha2Code=usa', 'countryISOAlpha2Code'],
    ['duns=80-473-5132', 'duns'],
  ]) {
    const r = await raw(query);
    assertDnbError(r, 400, '10002', parameter);
    assert.equal(r.json.error.errorMessage, 'Invalid parameters.');
  }
  assert.equal((await raw('name=Contoso&countryISOAlpha2Code=US&candidateMaximumQuantity=25')).status, 200, '25 is the most');
  assert.equal((await raw('name=Contoso&countryISOAlpha2Code=US&candidateMaximumQuantity=1')).json.matchCandidates.length, 1);
  // Every documented parameter is accepted.
  let r = await raw('name=Gorman&countryISOAlpha2Code=US&streetAddressLine1=492+Koller+St&streetAddressLine2=&addressLocality=San+Francisco' +
    '&addressRegion=CA&postalCode=94110&url=gorman.example&email=a%40gorman.example&isCleanseAndStandardizeInformationRequired=true' +
    '&exclusionCriteria=ExcludeNonMarketable&inLanguage=en-US&customerReference=ref1&customerBillingEndorsement=x&registrationNumberType=1');
  assert.equal(r.status, 200, r.text);
  // A phone or registration number stands for the name (the fixture has neither: no match).
  for (const query of ['countryISOAlpha2Code=US&telephoneNumber=4155550100', 'countryISOAlpha2Code=US&registrationNumber=123456789'])
    assert.equal((await raw(query)).status, 404, query);
  assert.equal((await raw('duns=804735132')).status, 200, 'a lookup by DUNS needs no country');
  assert.equal((await raw('duns=804735132&countryISOAlpha2Code=US')).status, 200);
  // Data by DUNS: 9 digits or 400 10002; unknown 404 10001.
  for (const d of ['80473513', '8047351320', '80473513X', '80-473-5132', '%20804735132'])
    assertDnbError(await get(`/v1/data/duns/${d}?blockIDs=companyinfo_L2_v1`, t), 400, '10002', 'duns');
  r = await get('/v1/data/duns/000000001?blockIDs=companyinfo_L2_v1', t);
  assertDnbError(r, 404, '10001');
});

test('faults: mode=error with status= and code= (D+ envelope on /v2/token and the API, OAuth style on /v3/token; USPS envelope); shown by GET /_sim/fault, cleared by reset; bad switches refused', async () => {
  const d = await dnbToken(), a = await uspsToken();
  const dnbCalls = [() => get('/v1/data/duns/804735132?blockIDs=companyinfo_L2_v1', d), () => match({ name: 'Contoso' }, d),
    () => req('/v2/token', { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials"}' })];
  const v3 = () => req('/v3/token', { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
  const state = () => fetch(SIM + '/_sim/fault').then(x => x.json());
  try {
    let s = await state();
    assert.deepEqual(s, { dnb: { mode: 'none', ms: 5000, status: 500, code: '00034' }, address: { mode: 'none', ms: 5000, status: 503 } }, 'the defaults');
    for (const [fault, status, code, oauth] of [
      [{ status: '401', code: '00004' }, 401, '00004', 'invalid_client'],
      [{ status: '400', code: '00005' }, 400, '00005', 'invalid_request'],
      [{ status: '400' }, 400, '00005', 'invalid_request'],
      [{ status: '401' }, 401, '00004', 'invalid_client'],
      [{ status: '403' }, 403, '00004', 'unauthorized_client'],
      [{ status: '503' }, 503, '00034', 'temporarily_unavailable'],
      [{ status: '502', code: '12345' }, 502, '12345', 'server_error'],
      [{}, 500, '00034', 'server_error'],
    ]) {
      const r = await simRequest('/_sim/fault', { service: 'dnb', mode: 'error', ...fault });
      assert.equal(r.status, 200, JSON.stringify(fault));
      assert.deepEqual(r.json.dnb, { mode: 'error', ms: 5000, status, code }, JSON.stringify(fault));
      assert.deepEqual((await state()).dnb, { mode: 'error', ms: 5000, status, code });
      for (const call of dnbCalls) assertDnbError(await call(), status, code);
      const t3 = await v3();
      assert.equal(t3.status, status);
      assert.deepEqual(Object.keys(t3.json).sort(), ['error', 'error_description']);
      assert.equal(t3.json.error, oauth);
      assert.ok(t3.json.error_description.includes(`ErrorCode: ${code}.`), t3.json.error_description);
      assert.equal((await address(GORMAN_ADDRESS, a)).status, 200, 'the address service is unaffected');
    }
    let r = await simRequest('/_sim/fault', { service: 'dnb', mode: 'ratelimit' });
    assert.deepEqual(r.json.dnb, { mode: 'ratelimit', ms: 5000, status: 500, code: '00034' }, 'a switch without status= takes the defaults');
    r = await v3();
    assert.deepEqual([r.status, r.json.error, r.headers.get('retry-after')], [429, 'temporarily_unavailable', '1'], '/v3/token rate-limited OAuth-style');
    assert.match(r.json.error_description, /ErrorCode: 00045\./);
    for (const [fault, status] of [[{ status: '403' }, 403], [{ status: '401' }, 401], [{ status: '500' }, 500], [{}, 503]]) {
      r = await simRequest('/_sim/fault', { service: 'address', mode: 'error', ...fault });
      assert.deepEqual(r.json.address, { mode: 'error', ms: 5000, status }, JSON.stringify(fault));
      assertUspsError(await address(GORMAN_ADDRESS, a), status);
      assertUspsError(await uspsTokenCall(JSON.stringify(uspsCredentials({ scope: 'addresses' }))), status);
    }
    await simRequest('/_sim/fault', { service: 'dnb', mode: 'error', status: '401', code: '00004' });
    r = await simRequest('/_sim/reset');
    assert.deepEqual(r.json, { dnb: { mode: 'none', ms: 5000, status: 500, code: '00034' }, address: { mode: 'none', ms: 5000, status: 503 } }, 'reset clears status and code');
    assert.equal((await dnbCalls[0]()).status, 200);
    await simRequest('/_sim/fault', { service: 'dnb', mode: 'error', status: '401' });
    await simRequest('/_sim/fault', { service: 'dnb', mode: 'error' });
    assertDnbError(await dnbCalls[0](), 500, '00034', undefined);
    for (const bad of [{ status: '399' }, { status: '600' }, { status: '200' }, { status: 'abc' }, { status: '' }, { status: '4o1' },
      { code: '1234' }, { code: '123456' }, { code: 'abcde' }, { code: '' }])
      assert.equal((await simRequest('/_sim/fault', { service: 'dnb', mode: 'error', ...bad })).status, 400, JSON.stringify(bad));
    for (const bad of [{ service: 'address', mode: 'error', code: '00004' }, { service: 'dnb', mode: 'slow', status: '500' },
      { service: 'dnb', mode: 'ratelimit', code: '00045' }, { service: 'address', mode: 'none', status: '503' }])
      assert.equal((await simRequest('/_sim/fault', bad)).status, 400, JSON.stringify(bad));
    s = await state();
    assert.deepEqual(s.dnb, { mode: 'error', ms: 5000, status: 500, code: '00034' }, 'a refused switch changes nothing');
  } finally {
    await simRequest('/_sim/reset');
  }
});

test('refused requests are counted in /_sim/stats like the others (per endpoint and per service)', async () => {
  try {
    const d = await dnbToken(), a = await uspsToken();
    await simRequest('/_sim/reset');
    await address({ ...GORMAN_ADDRESS, zip: '94110' }, a);
    await address({ ...GORMAN_ADDRESS, state: 'ca' }, a);
    await address({ streetAddress: '10 Main St', city: 'Springfield', state: 'IL' }, a);
    await uspsTokenCall('grant_type=client_credentials', 'application/x-www-form-urlencoded');
    await uspsTokenCall(JSON.stringify(uspsCredentials({})));
    await req('/v2/token', { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    await req('/v3/token', { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/json' }, body: '{}' });
    await match({ name: 'Contoso', zip: '1' }, d);
    await match({ name: 'Contoso', countryISOAlpha2Code: 'us' }, d);
    await match({ name: 'Contoso', candidateMaximumQuantity: '26' }, d);
    await get('/v1/data/duns/12345?blockIDs=companyinfo_L2_v1', d);
    const s = await stats();
    assert.deepEqual(s, { dnb_token: 2, dnb_cleanse_match: 3, dnb_data_duns: 1, address_token: 2, address_validate: 3, dnb_requests: 6, address_requests: 5 });
  } finally {
    await simRequest('/_sim/reset');
  }
});

// A second simulator started by the test: its own fixtures (options and environment), a short
// token lifetime from the config, the port file, fixture errors, SIGTERM. stopSims() ends those
// still running (a failed test must not leave one behind).
const startedSims = new Set();
function startSim(args, env) {
  const bin = join(BUILD, 'src', 'partnerdesk-sim');
  assert.ok(existsSync(bin), `${bin} exists`);
  const p = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  startedSims.add(p);
  let log = '';
  p.stderr.on('data', d => { log += d; });
  const exited = new Promise(res => p.on('exit', (code, signal) => { startedSims.delete(p); res({ code, signal, log: () => log }); }));
  return { p, exited, log: () => log };
}
function stopSims() {
  for (const p of startedSims) p.kill('SIGTERM');
}

test('the program: --companies/--addresses and the environment, --port-file, [sim] token_seconds, the dpv column, bad fixtures refused, SIGTERM stops it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pdsim-'));
  const conf = join(dir, 'extra.ini');
  writeFileSync(conf, '[sim]\ntoken_seconds=2\n[dnb]\nkey=k1\nsecret=s1\n');
  writeFileSync(join(dir, 'c.tsv'), '# test\nduns\tname\tstreet\tcity\tregion\tpostal_code\tcountry\tstatus\n' +
    '111111111\tÉTOILE TESTING SARL\t1 RUE X\tLYON\t\t69001\tFR\tactive\n');
  const addressHead = 'street\tcity\tregion\tpostal_code\tcountry\tstd_street\tstd_city\tstd_region\tstd_postal_code\tdpv\n';
  writeFileSync(join(dir, 'a.tsv'), addressHead + '1 Test Road\tTestville\tTX\t75001\tUS\t1 TEST RD\tTESTVILLE\tTX\t75001-0001\n' +
    '2 Test Road\tTestville\tTX\t75001\tUS\t2 TEST RD\tTESTVILLE\tTX\t75001-0002\tN\n' +
    '3 Test Road\tTestville\tTX\t75001\tUS\t3 TEST RD\tTESTVILLE\tTX\t75001-0003\t\n');
  writeFileSync(join(dir, 'bad.tsv'), 'duns\tname\n12345\tshort row\n');
  writeFileSync(join(dir, 'bad-dpv.tsv'), addressHead + '1 Test Road\tTestville\tTX\t75001\tUS\t1 TEST RD\tTESTVILLE\tTX\t75001-0001\tX\n');
  const env = { PARTNERDESK_CONF: conf, PARTNERDESK_SIM_ADDRESSES: join(dir, 'a.tsv') };
  try {
    const portFile = join(dir, 'port');
    const sim = startSim(['--port', '0', '--port-file', portFile, '--companies', join(dir, 'c.tsv')], env);
    for (let i = 0; i < 100 && !existsSync(portFile); i++) await new Promise(r => setTimeout(r, 50));
    const base = `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}`;
    let r = await fetch(base + '/v2/token', { method: 'POST', headers: { authorization: basicOf('k1', 's1'), 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials"}' });
    const tok = await r.json();
    assert.equal(tok.expiresIn, 2, '[sim] token_seconds from PARTNERDESK_CONF');
    const look = () => fetch(base + '/v1/match/cleanseMatch?name=etoile+testing&countryISOAlpha2Code=FR', { headers: { authorization: `Bearer ${tok.access_token}` } });
    r = await look();
    assert.equal((await r.json()).matchCandidates[0].organization.duns, '111111111', '--companies');
    assert.equal((await fetch(base + '/v1/match/cleanseMatch?name=Gorman&countryISOAlpha2Code=US', { headers: { authorization: `Bearer ${tok.access_token}` } })).status, 404, 'only that fixture');
    // The addresses of PARTNERDESK_SIM_ADDRESSES, their dpv column (N; empty = Y; absent = Y).
    r = await fetch(base + '/oauth2/v3/token', { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: ini['address.client_id'], client_secret: ini['address.client_secret'], scope: 'addresses' }) });
    const atok = (await r.json()).access_token;
    for (const [no, dpv] of [['1', 'Y'], ['2', 'N'], ['3', 'Y']]) {
      r = await fetch(base + '/addresses/v3/address' + qs({ streetAddress: `${no} Test Road`, city: 'Testville', state: 'TX' }), { headers: { authorization: `Bearer ${atok}` } });
      assert.equal((await r.json()).additionalInfo.DPVConfirmation, dpv, `row ${no}`);
    }
    await new Promise(res => setTimeout(res, 3100));
    r = await look();
    assert.equal(r.status, 401, 'the token expired');
    assert.equal((await r.json()).error.errorCode, '00040');
    sim.p.kill('SIGTERM');
    const end = await sim.exited;
    assert.equal(end.code, 0, `clean exit on SIGTERM: ${end.log()}`);
    assert.match(end.log(), /stopped/);

    const bad = startSim(['--port', '0', '--companies', join(dir, 'bad.tsv')], env);
    const b = await bad.exited;
    assert.notEqual(b.code, 0);
    assert.match(b.log(), /bad\.tsv:2: expected 8 tab-separated columns/);
    const badDpv = await startSim(['--port', '0', '--companies', join(dir, 'c.tsv'), '--addresses', join(dir, 'bad-dpv.tsv')], env).exited;
    assert.notEqual(badDpv.code, 0);
    assert.match(badDpv.log(), /bad-dpv\.tsv:2: expected 9 or 10 tab-separated columns: .*dpv: Y, D, S or N/);
    const missing = await startSim(['--port', '0', '--addresses', join(dir, 'none.tsv')], env).exited;
    assert.notEqual(missing.code, 0);
    assert.match(missing.log(), /cannot read/);
    const usage = await startSim(['--bogus'], env).exited;
    assert.equal(usage.code, 2);
  } finally {
    stopSims();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the simulator is left reset for the next suites', async () => {
  const r = await simRequest('/_sim/reset');
  assert.equal(r.status, 200);
  assert.deepEqual([r.json.dnb.mode, r.json.address.mode], ['none', 'none']);
});

await run();
