// The simulator speaks the real protocols (research/duns_address.md §1, §2.2; CONTRACT §6): token
// endpoints and credentials, cleanseMatch candidates and errors, data by DUNS, USPS v3 verdicts,
// and it survives hostile input.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test, run, assert, VAR } from '../acceptance/lib.mjs';

const PORT = Number(readFileSync(join(VAR, 'sim.port'), 'utf8').trim());
const SIM = `http://127.0.0.1:${PORT}`;
const creds = Object.fromEntries(readFileSync(join(VAR, 'partnerdesk.ini'), 'utf8').split('\n')
  .reduce((acc, line) => {
    const s = line.match(/^\[(.+)\]$/);
    if (s) acc.section = s[1];
    const kv = line.match(/^([a-z_]+)=(.*)$/);
    if (kv) acc.push([`${acc.section}.${kv[1]}`, kv[2]]);
    return acc;
  }, Object.assign([], { section: '' })));

async function dnbToken() {
  const r = await fetch(SIM + '/v2/token', {
    method: 'POST', headers: { 'content-type': 'application/json',
      authorization: 'Basic ' + Buffer.from(`${creds['dnb.key']}:${creds['dnb.secret']}`).toString('base64') },
    body: JSON.stringify({ grant_type: 'client_credentials' }),
  });
  assert.equal(r.status, 200);
  return (await r.json()).access_token;
}
async function uspsToken() {
  const r = await fetch(SIM + '/oauth2/v3/token', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: creds['address.client_id'], client_secret: creds['address.client_secret'] }) });
  assert.equal(r.status, 200);
  return (await r.json()).access_token;
}
const get = async (path, token) => {
  const r = await fetch(SIM + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: r.status, json: await r.json().catch(() => null) };
};

test('D&B token: v2 JSON with expiresIn, v3 form with expires_in; bad credentials get 401 with the error envelope', async () => {
  const basic = 'Basic ' + Buffer.from(`${creds['dnb.key']}:${creds['dnb.secret']}`).toString('base64');
  let r = await fetch(SIM + '/v2/token', { method: 'POST', headers: { authorization: basic, 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials"}' });
  const v2 = await r.json();
  assert.ok(v2.access_token && Number.isInteger(v2.expiresIn));
  r = await fetch(SIM + '/v3/token', { method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
  const v3 = await r.json();
  assert.equal(v3.token_type, 'Bearer');
  assert.ok(Number.isInteger(v3.expires_in));
  r = await fetch(SIM + '/v2/token', { method: 'POST', headers: { authorization: 'Basic ' + Buffer.from('x:y').toString('base64') }, body: '{}' });
  assert.equal(r.status, 401);
  assert.ok((await r.json()).error.errorCode);
});

test('cleanseMatch: candidates by confidence, 11-letter match grade, Gorman with its address scores high; 404 for none; 400 10002', async () => {
  const t = await dnbToken();
  let r = await get('/v1/match/cleanseMatch?name=Contoso&countryISOAlpha2Code=US', t);
  assert.equal(r.status, 200);
  const c = r.json.matchCandidates;
  assert.ok(c.length >= 2, 'several Contoso companies in the US');
  for (let i = 1; i < c.length; i++) assert.ok(c[i - 1].matchQualityInformation.confidenceCode >= c[i].matchQualityInformation.confidenceCode);
  assert.ok(c.every(x => x.matchQualityInformation.matchGrade.length === 11 && /^\d{9}$/.test(x.organization.duns)));
  r = await get('/v1/match/cleanseMatch?name=Gorman%20Manufacturing&countryISOAlpha2Code=US&streetAddressLine1=492%20Koller%20Street&addressLocality=San%20Francisco&postalCode=94110', t);
  assert.equal(r.json.matchCandidates[0].organization.duns, '804735132');
  assert.ok(r.json.matchCandidates[0].matchQualityInformation.confidenceCode >= 8);
  r = await get('/v1/match/cleanseMatch?name=Gorman&countryISOAlpha2Code=FR', t);
  assert.equal(r.status, 404, 'another country: no candidate');
  r = await get('/v1/match/cleanseMatch?name=Zzyzx%20Nothing&countryISOAlpha2Code=US', t);
  assert.equal(r.status, 404);
  r = await get('/v1/match/cleanseMatch?countryISOAlpha2Code=US', t);
  assert.equal(r.status, 400);
  assert.equal(r.json.error.errorCode, '10002');
  assert.ok(r.json.error.errorDetails.length);
  r = await get('/v1/match/cleanseMatch?duns=804735132', t);
  assert.equal(r.json.matchDataCriteria, 'DUNS Number Lookup');
  r = await get('/v1/match/cleanseMatch?name=Contoso&countryISOAlpha2Code=US', null);
  assert.equal(r.status, 401);
  assert.equal(r.json.error.errorCode, '00040');
});

test('data by DUNS: 200 with blockStatus, 404 10001 unknown, 400 malformed; out of business shown as such', async () => {
  const t = await dnbToken();
  let r = await get('/v1/data/duns/804735132?blockIDs=companyinfo_L2_v1', t);
  assert.equal(r.status, 200);
  assert.equal(r.json.blockStatus[0].status, 'ok');
  assert.equal(r.json.organization.primaryName, 'GORMAN MANUFACTURING COMPANY, INC.');
  assert.equal((await get('/v1/data/duns/123456780', t)).json.error.errorCode, '10001');
  assert.equal((await get('/v1/data/duns/12345', t)).status, 400);
  r = await get('/v1/data/duns/457413500', t);
  assert.equal(r.json.organization.dunsControlStatus.operatingStatus.description, 'Out of business');
});

test('USPS v3: 31 exact, 32 needs a unit, 22 several, 404 not found, 400 incomplete, 401 without token', async () => {
  const t = await uspsToken();
  let r = await get('/addresses/v3/address?streetAddress=492%20Koller%20Street&city=San%20Francisco&state=CA&ZIPCode=94110', t);
  assert.equal(r.json.matches[0].code, '31');
  assert.equal(r.json.address.streetAddress, '492 KOLLER ST');
  assert.equal(r.json.address.ZIPPlus4, '1227');
  r = await get('/addresses/v3/address?streetAddress=100%20Congress%20Ave&city=Austin&state=TX&ZIPCode=78701', t);
  assert.equal(r.json.corrections[0].code, '32');
  r = await get('/addresses/v3/address?streetAddress=100%20Congress%20Ave&secondaryAddress=Suite%202000&city=Austin&state=TX&ZIPCode=78701', t);
  assert.equal(r.json.matches[0].code, '31', 'with the suite it is exact');
  r = await get('/addresses/v3/address?streetAddress=10%20Main%20St&city=Springfield&state=IL&ZIPCode=62701', t);
  assert.equal(r.json.matches[0].code, '22');
  assert.equal((await get('/addresses/v3/address?streetAddress=1%20Nowhere&city=Austin&state=TX', t)).status, 404);
  assert.equal((await get('/addresses/v3/address?city=Austin', t)).status, 400);
  assert.equal((await get('/addresses/v3/address?streetAddress=x&city=y', null)).status, 401);
  r = await get('/addresses/v3/address?streetAddress=12%20Rue%20de%20la%20Paix&city=Paris&ZIPCode=75002&country=FR', t);
  assert.equal(r.json.matches[0].code, '31', 'the country= extension');
});

test('faults are switched per service and reported; unknown modes are refused', async () => {
  let r = await fetch(SIM + '/_sim/fault', { method: 'POST', body: new URLSearchParams({ service: 'address', mode: 'error' }) });
  assert.equal((await r.json()).address.mode, 'error');
  const t = await dnbToken();
  assert.equal((await get('/v1/data/duns/804735132', t)).status, 200, 'the other service is unaffected');
  r = await fetch(SIM + '/oauth2/v3/token', { method: 'POST', body: '{}' });
  assert.equal(r.status, 503);
  r = await fetch(SIM + '/_sim/fault', { method: 'POST', body: new URLSearchParams({ service: 'dnb', mode: 'explode' }) });
  assert.equal(r.status, 400);
  r = await fetch(SIM + '/_sim/reset', { method: 'POST' });
  assert.equal((await r.json()).address.mode, 'none');
});

function raw(bytes) {
  return new Promise(resolve => {
    const s = connect(PORT, '127.0.0.1');
    const chunks = [];
    s.setTimeout(5000, () => s.destroy());
    s.on('data', d => chunks.push(d));
    s.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    s.on('error', () => resolve(''));
    s.end(bytes);
  });
}

test('hostile input (garbage, a huge head, a huge body, bad methods) never stops the simulator', async () => {
  const answers = await Promise.all([
    raw('GARBAGE\r\n\r\n'),
    raw(`GET /${'a'.repeat(20000)} HTTP/1.1\r\n\r\n`),
    raw('POST /v2/token HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n'),
    raw('GET /v1/match/cleanseMatch?name=%ZZ%&countryISOAlpha2Code=%% HTTP/1.1\r\n\r\n'),
    raw(Buffer.from([0, 1, 2, 3, 255, 254, 13, 10, 13, 10])),
    raw('DELETE /addresses/v3/address HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n'),
  ]);
  assert.match(answers[0], /^HTTP\/1\.1 400/);
  assert.match(answers[1], /^HTTP\/1\.1 413/);
  assert.match(answers[2], /^HTTP\/1\.1 413/);
  const r = await fetch(SIM + '/_sim/stats');
  assert.equal(r.status, 200, 'still answering');
});

await run();
