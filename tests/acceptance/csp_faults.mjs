// CSP onboarding when the remote services misbehave (issue 4; DOMAIN §3.3–3.4; CONTRACT §6
// faults): every fault mode of the DUNS and the address service against the wizard — a clear
// page within the page deadline, never a 5xx, the manual path completes, nothing of the draft is
// lost — then token expiry and renewal, the answers cache, the circuit breakers, and a lookup in
// flight across a SIGHUP. Needs the simulator of scripts/run ($PARTNERDESK_VAR/sim.port); without
// it every test is skipped.
// The simulator's faults are reset after each test and at the end, and both breakers are left
// closed, so that the suites after this one find healthy services.
import {
  test, run, assert, simBase, simPost, simFault, simStats, simGorman, simSearchName, configValue, cspPartner, cspContactFields,
  cspApp, cspStatus, cspCurrentStep, tagsWith, fieldErrors, cspText, reviewer, inputValue, sleep, pidOf, childrenOf, alive,
  waitUntil,
} from './lib.mjs';

const SIM = simBase();
const SKIP = SIM ? '' : ' # SKIP no simulator';

// Bounded; no fault survives a test.
const t = (name, fn, ms = 180000) => test(`${name}${SKIP}`, () => (SIM ? fn() : undefined), {
  timeoutMs: ms, after: () => (SIM ? simPost('/_sim/reset').catch(() => {}) : undefined),
});

// The breaker settings of the instance (defaults of the implementation: 5 failures, 30 s).
const breaker = service => ({
  failures: Number(configValue(service, 'breaker_failures', '5')),
  cooldown: Number(configValue(service, 'breaker_cooldown_ms', '30000')),
});
const DNB = breaker('dnb');
const ADDRESS = breaker('address');

const GORMAN = SIM ? simGorman() : null;

// Unique words, so that no answer comes from the cache (lookup_cache) of an earlier run.
let seq = 0;
const uniq = () => `q${Date.now().toString(36)}${process.pid.toString(36)}${++seq}`;
// A search that the DUNS service answers with candidates (the fixture company's name plus a new word).
const matchingName = () => `${simSearchName(GORMAN)} ${uniq()}`;
// A search that matches no company.
const unknownName = () => `Zyxwv ${uniq()}`;
// An address the address service does not know (a new street number each time): not_found when healthy.
const unknownAddress = () => ({ address_line1: `${10000 + Math.floor(Math.random() * 80000)} ${uniq()} Road`, address_line2: '', city: 'Springfield', region: 'IL', postal_code: '62701' });

const fault = simFault;
const delta = (a, b, k) => b[k] - a[k];

async function timed(fn) {
  const t0 = Date.now();
  const r = await fn();
  return { r, ms: Date.now() - t0 };
}

const lookup = (p, company_name) => p.client.post('/csp/enroll/company', { mode: 'lookup', company_name, country: 'US' });
const candidates = html => tagsWith(html, 'input').filter(a => a.name === 'duns' && 'data-confidence' in a).map(a => a.value);
const serviceError = html => html.match(/<([a-z]+)\b[^>]*\sdata-service-error="dnb"[^>]*>([\s\S]*?)<\/\1>/);
const manualOpen = html => tagsWith(html, 'details').some(a => 'open' in a) && /name="mode" value="manual"/.test(html);

// A US company at a given wizard step (1: location chosen; 2: company entered by hand).
async function partnerAt(step) {
  const p = await cspPartner();
  await p.client.get('/csp/enroll');
  let r = await p.client.post('/csp/enroll/location', { partner_id: p.location });
  assert.equal(r.status, 303, `location step: ${r.status}`);
  if (step >= 2) {
    r = await p.client.post('/csp/enroll/company', { mode: 'manual', legal_name: `Fault Tolerant Widgets ${p.domain}`, address_line1: '1 Microsoft Way', city: 'Redmond', region: 'WA', postal_code: '98052', country: 'US' });
    assert.equal(r.status, 303, `company step: ${r.status}`);
  }
  return p;
}

// A company of its own at step 2, whose posts check that a service answers (a lookup and an
// address check change nothing in its draft).
let probeP;
async function probe() {
  if (!probeP) probeP = await partnerAt(2);
  return probeP;
}

// Clears the service's fault and waits (bounded: the breaker's cooldown and 15 s) until a call
// reaches the simulator and is answered: the breaker is closed and its failure count is zero.
async function dnbHealthy() {
  await fault('dnb', 'none');
  const p = await probe();
  const end = Date.now() + DNB.cooldown + 15000;
  for (;;) {
    const before = await simStats();
    const r = await lookup(p, unknownName());
    const after = await simStats();
    if (r.status === 200 && !serviceError(r.text) && delta(before, after, 'dnb_cleanse_match') >= 1) return;
    if (Date.now() > end) throw new Error(`the DUNS service did not come back (last: ${r.status} ${cspText(serviceError(r.text)?.[2] || '')})`);
    await sleep(500);
  }
}
async function addressHealthy() {
  await fault('address', 'none');
  const p = await probe();
  const end = Date.now() + ADDRESS.cooldown + 15000;
  for (;;) {
    const before = await simStats();
    const r = await p.client.post('/csp/enroll/address', unknownAddress());
    const after = await simStats();
    if (r.status === 422 && 'address_line1' in fieldErrors(r.text) && delta(before, after, 'address_validate') >= 1) return;
    if (Date.now() > end) throw new Error(`the address service did not come back (last: ${r.status} ${r.location || ''})`);
    await sleep(500);
  }
}

const staff = reviewer;

// The rest of the wizard once the address is saved: contacts, review (address verdict), submit.
async function finish(p, verdict) {
  let r = await p.client.post('/csp/enroll/contact', cspContactFields(p.email));
  assert.equal(r.status, 303, `contacts: ${r.status}`);
  r = await p.client.get('/csp/enroll');
  assert.match(cspCurrentStep(r.text) || '', /Review/);
  assert.equal(tagsWith(r.text, '*', 'data-address-verdict')[0]?.['data-address-verdict'], verdict, 'the review step shows the address verdict');
  r = await p.client.post('/csp/enroll/submit', {});
  assert.equal(r.status, 303, `submit: ${r.status}`);
  assert.equal(cspStatus((await p.client.get('/csp/enroll')).text), 'pending_review');
}

// ---- faults of the DUNS service ----------------------------------------------------------

for (const mode of ['slow', 'error', 'garbage', 'down', 'ratelimit']) {
  t(`DUNS service ${mode}${mode === 'slow' ? ' (5 s)' : ''}: the lookup answers 200 with [data-service-error="dnb"] and the manual form open; the draft keeps step 1; the manual path completes to pending_review under the fault`, async () => {
    const p = await partnerAt(1);
    await dnbHealthy();
    const draft = cspApp(p.tenant, ['step', 'partner_account_id', 'status']);
    await fault('dnb', mode, mode === 'slow' ? 5000 : undefined);
    const before = await simStats();
    const name = matchingName();
    const { r, ms } = await timed(() => lookup(p, name));
    const after = await simStats();
    console.log(`# DUNS ${mode}: lookup page in ${ms} ms, ${delta(before, after, 'dnb_requests')} call(s) to the simulator`);
    assert.equal(r.status, 200, `lookup under ${mode}: ${r.status}`);
    assert.ok(delta(before, after, 'dnb_requests') >= 1, 'the lookup did reach the (faulty) service');
    const err = serviceError(r.text);
    assert.ok(err && cspText(err[2]).length > 10, '[data-service-error="dnb"] with a message');
    assert.ok(manualOpen(r.text), 'the manual entry is open (details[open])');
    assert.deepEqual(candidates(r.text), [], 'no candidates');
    assert.equal(inputValue(r.text, 'company_name'), name, 'the searched name is kept');
    assert.equal(cspStatus(r.text), 'draft');
    assert.deepEqual(cspApp(p.tenant, ['step', 'partner_account_id', 'status']), draft, 'the draft keeps what it had');

    const typed = await timed(() => p.client.post('/csp/enroll/company', { mode: 'duns', duns: String(100000000 + Math.floor(Math.random() * 800000000)) }));
    assert.ok(typed.r.status < 500, `a DUNS number typed under ${mode}: ${typed.r.status}`);
    assert.doesNotMatch(fieldErrors(typed.r.text).duns || '', /knows no company/, 'an unanswered check does not claim the DUNS is unknown');
    assert.deepEqual(cspApp(p.tenant, ['step', 'partner_account_id', 'status']), draft);

    const m = await p.client.post('/csp/enroll/company', { mode: 'manual', legal_name: `Manual Under ${mode} ${p.domain}`, address_line1: '1 Microsoft Way', city: 'Redmond', region: 'WA', postal_code: '98052', country: 'US' });
    assert.equal(m.status, 303, `manual company under ${mode}: ${m.status}`);
    assert.deepEqual(cspApp(p.tenant, ['step', 'company_source', 'partner_account_id']), { step: '2', company_source: 'manual', partner_account_id: draft.partner_account_id }, 'step 1 kept, company saved');
    const a = await p.client.post('/csp/enroll/address', { address_line1: '1 Microsoft Way', address_line2: '', city: 'Redmond', region: 'WA', postal_code: '98052', use: 'entered' });
    assert.equal(a.status, 303, `address under a DUNS ${mode}: ${a.status}`);
    await finish(p, cspApp(p.tenant, ['address_verdict']).address_verdict);
  });
}

// ---- faults of the address service ---------------------------------------------------------

for (const mode of ['slow', 'error', 'garbage', 'down', 'ratelimit']) {
  t(`address service ${mode}${mode === 'slow' ? ' (5 s)' : ''}: the address step answers 303, the address is saved as entered and unverified (notice; data-address-verdict="unverified" on the review step and for the reviewer); earlier steps kept; the application completes`, async () => {
    const p = await partnerAt(2);
    await addressHealthy();
    const draft = cspApp(p.tenant, ['partner_account_id', 'legal_name', 'company_source']);
    await fault('address', mode, mode === 'slow' ? 5000 : undefined);
    const before = await simStats();
    const addr = unknownAddress();
    const { r, ms } = await timed(() => p.client.post('/csp/enroll/address', addr));
    const after = await simStats();
    console.log(`# address ${mode}: address page in ${ms} ms, ${delta(before, after, 'address_requests')} call(s) to the simulator`);
    assert.equal(r.status, 303, `address under ${mode}: ${r.status} ${cspText(r.text).slice(0, 300)}`);
    assert.ok(delta(before, after, 'address_requests') >= 1, 'the check did reach the (faulty) service');
    assert.match(r.location || '', /^\/csp\/enroll\?(.*&)?unverified=1/);
    const page = await p.client.get(r.location);
    assert.equal(page.status, 200);
    assert.match(cspText(page.text), /marked unverified/i, 'the page says the address is kept, marked unverified');
    assert.match(cspCurrentStep(page.text) || '', /Contacts/, 'on to the next step');
    assert.deepEqual(cspApp(p.tenant, ['address_line1', 'city', 'postal_code', 'address_verdict', 'step']),
      { address_line1: addr.address_line1, city: addr.city, postal_code: addr.postal_code, address_verdict: 'unverified', step: '3' }, 'saved as entered');
    assert.deepEqual(cspApp(p.tenant, ['partner_account_id', 'legal_name', 'company_source']), draft, 'earlier steps kept');
    await finish(p, 'unverified');
    const id = cspApp(p.tenant, ['id']).id;
    const review = await (await staff()).get(`/review/${id}`);
    assert.equal(tagsWith(review.text, '*', 'data-address-verdict')[0]?.['data-address-verdict'], 'unverified', 'the reviewer sees it');
  });
}

// ---- tokens and cache -----------------------------------------------------------------------

t('DUNS token expiry: after POST /_sim/expire-tokens service=dnb the next lookup asks for exactly one new token and is answered once; every later lookup still succeeds', async () => {
  await dnbHealthy();
  const p = await probe();
  let r = await lookup(p, matchingName());
  assert.ok(candidates(r.text).includes(GORMAN.duns), 'a token in use before the expiry');
  await simPost('/_sim/expire-tokens', { service: 'dnb' });
  const before = await simStats();
  r = await lookup(p, matchingName());
  const first = await simStats();
  assert.ok(!serviceError(r.text) && candidates(r.text).includes(GORMAN.duns), 'the first lookup after the expiry has its candidates');
  assert.equal(delta(before, first, 'dnb_token'), 1, 'it asked for exactly one new token');
  assert.equal(delta(before, first, 'dnb_cleanse_match'), 1, 'and was answered once (the refused call is not counted as answered)');
  const n = 4;
  for (let i = 1; i < n; i++) {
    r = await lookup(p, matchingName());
    assert.equal(r.status, 200);
    assert.ok(!serviceError(r.text), `lookup ${i + 1} after the expiry: ${cspText(serviceError(r.text)?.[2] || '')}`);
    assert.ok(candidates(r.text).includes(GORMAN.duns), `lookup ${i + 1} has its candidates`);
  }
  const after = await simStats();
  assert.ok(delta(before, after, 'dnb_token') >= 1, `a new token was requested (${delta(before, after, 'dnb_token')})`);
  assert.equal(delta(before, after, 'dnb_cleanse_match'), n, 'each lookup answered once');
  const refused = delta(before, after, 'dnb_requests') - delta(before, after, 'dnb_cleanse_match') - delta(before, after, 'dnb_token');
  console.log(`# after the expiry: ${delta(before, after, 'dnb_token')} token request(s), ${refused} call(s) refused with the old token`);
  assert.ok(refused >= 0 && refused <= delta(before, after, 'dnb_token'), `a refused call per renewal at most (${refused} refused)`);
});

t('address token expiry: after POST /_sim/expire-tokens service=address the address check still gets its answer, with a new token', async () => {
  await addressHealthy();
  const p = await probe();
  await simPost('/_sim/expire-tokens', { service: 'address' });
  const before = await simStats();
  for (let i = 0; i < 3; i++) {
    const r = await p.client.post('/csp/enroll/address', unknownAddress());
    assert.equal(r.status, 422, `check ${i + 1}: answered (not found), not unverified: ${r.status} ${r.location || ''}`);
    assert.ok('address_line1' in fieldErrors(r.text));
  }
  const after = await simStats();
  assert.ok(delta(before, after, 'address_token') >= 1, 'a new token was requested');
  assert.equal(delta(before, after, 'address_validate'), 3);
});

t('one token per host: after the expiry, 8 lookups at once (as many workers) ask the DUNS token endpoint once, and 6 address checks at once the address token endpoint once', async () => {
  await dnbHealthy();
  const p = await probe();
  await simPost('/_sim/expire-tokens', { service: 'dnb' });
  let before = await simStats();
  const looked = await Promise.all(Array.from({ length: 8 }, () => lookup(p, matchingName())));
  let after = await simStats();
  looked.forEach((r, i) => assert.ok(r.status === 200 && !serviceError(r.text) && candidates(r.text).includes(GORMAN.duns), `lookup ${i + 1} answered`));
  assert.equal(delta(before, after, 'dnb_token'), 1, `one new D&B token for the host (${delta(before, after, 'dnb_token')})`);
  await addressHealthy();
  await simPost('/_sim/expire-tokens', { service: 'address' });
  before = await simStats();
  const checked = await Promise.all(Array.from({ length: 6 }, () => p.client.post('/csp/enroll/address', unknownAddress())));
  after = await simStats();
  checked.forEach((r, i) => assert.ok(r.status === 422 && 'address_line1' in fieldErrors(r.text), `check ${i + 1} answered (not found): ${r.status}`));
  assert.equal(delta(before, after, 'address_token'), 1, `one new address token for the host (${delta(before, after, 'address_token')})`);
});

t('D&B refusing the key (401 00004 on every endpoint) or the contract (400 00005): a lookup and a DUNS number both say the lookup is unavailable and open the manual entry, never "no company with this DUNS number"; nothing is saved', async () => {
  for (const [status, code] of [['401', '00004'], ['400', '00005']]) {
    await dnbHealthy();
    const p = await probe();
    const before = JSON.stringify(cspApp(p.tenant, ['company_source', 'duns', 'legal_name', 'step']));
    await simPost('/_sim/fault', { service: 'dnb', mode: 'error', status, code });
    let r = await lookup(p, matchingName());
    assert.equal(r.status, 200, `${status} ${code}: lookup answered ${r.status}`);
    assert.ok(serviceError(r.text), `${status} ${code}: the lookup says the service is unavailable`);
    assert.ok(manualOpen(r.text), 'the manual entry is open');
    assert.deepEqual(candidates(r.text), []);
    const duns = String(100000000 + Math.floor(Math.random() * 899999999)).slice(0, 9);
    r = await p.client.post('/csp/enroll/company', { mode: 'duns', duns });
    assert.equal(r.status, 200, `${status} ${code}: by DUNS number answered ${r.status}: ${JSON.stringify(fieldErrors(r.text))}`);
    assert.ok(serviceError(r.text), 'the DUNS step says the service is unavailable');
    assert.ok(!('duns' in fieldErrors(r.text)), 'no "unknown DUNS number" next to the field');
    assert.equal(JSON.stringify(cspApp(p.tenant, ['company_source', 'duns', 'legal_name', 'step'])), before, 'nothing saved');
  }
  await dnbHealthy();
});

t('cache: the same DUNS lookup twice reaches the simulator once (cleanseMatch +1), with the same candidates; the same address check twice too', async () => {
  await dnbHealthy();
  await addressHealthy();
  const p = await probe();
  const name = matchingName();
  const s0 = await simStats();
  const first = await lookup(p, name);
  const s1 = await simStats();
  assert.equal(delta(s0, s1, 'dnb_cleanse_match'), 1, 'the first lookup asks the service');
  assert.ok(candidates(first.text).includes(GORMAN.duns));
  const second = await lookup(p, name);
  const s2 = await simStats();
  assert.equal(delta(s1, s2, 'dnb_cleanse_match'), 0, 'the second is answered from the cache');
  assert.deepEqual(candidates(second.text), candidates(first.text));
  const confidences = html => tagsWith(html, 'input').filter(a => a.name === 'duns').map(a => a['data-confidence']);
  assert.deepEqual(confidences(second.text), confidences(first.text));
  const variant = name.split(' ').map((w, i) => (i % 2 ? w.toUpperCase() : w.toLowerCase())).join('   ');
  const third = await lookup(p, variant);
  assert.equal(delta(s2, await simStats(), 'dnb_cleanse_match'), 0, `the same name in another case and spacing ("${variant}") is answered from the cache too`);
  assert.deepEqual(candidates(third.text), candidates(first.text));
  const addr = unknownAddress();
  const a1 = await p.client.post('/csp/enroll/address', addr);
  const s3 = await simStats();
  const a2 = await p.client.post('/csp/enroll/address', addr);
  const s4 = await simStats();
  assert.deepEqual([a1.status, a2.status], [422, 422]);
  assert.equal(delta(s2, s3, 'address_validate'), 1);
  assert.equal(delta(s3, s4, 'address_validate'), 0, 'the same address again is answered from the cache');
});

// ---- circuit breakers -----------------------------------------------------------------------

const cycleNote = cfg => (cfg.cooldown <= 10000 ? ', then half-open (one probe) and closed once the service is back'
  : ` (cooldown ${cfg.cooldown} ms > 10 s: only the open state)`);

t(`DUNS breaker: with the service down, after ${DNB.failures} failed lookups the next ones fail without reaching the simulator${cycleNote(DNB)}`, async () => {
  const p = await partnerAt(1);
  await dnbHealthy();
  await fault('dnb', 'down');
  for (let i = 0; i < DNB.failures; i++) {
    const before = await simStats();
    const r = await lookup(p, unknownName());
    const after = await simStats();
    assert.ok(serviceError(r.text), `failure ${i + 1} shown`);
    assert.ok(delta(before, after, 'dnb_requests') >= 1, `failure ${i + 1} reached the simulator (the breaker was closed)`);
  }
  const open = await simStats();
  for (let i = 0; i < 3; i++) {
    const r = await lookup(p, unknownName());
    assert.equal(r.status, 200);
    assert.ok(serviceError(r.text) && manualOpen(r.text), 'open: the page says the lookup is unavailable, manual entry open');
  }
  assert.equal((await simStats()).dnb_requests, open.dnb_requests, 'open: no request reached the simulator');
  assert.equal((await p.client.post('/csp/enroll/company', { mode: 'manual', legal_name: `Breaker Widgets ${p.domain}`, address_line1: '1 Microsoft Way', city: 'Redmond', region: 'WA', postal_code: '98052', country: 'US' })).status, 303, 'the manual path works while open');
  if (DNB.cooldown > 10000) return;
  await sleep(DNB.cooldown + 300);
  let s0 = await simStats();
  let r = await lookup(p, unknownName());
  let s1 = await simStats();
  assert.ok(serviceError(r.text), 'half-open, still down: the probe fails');
  assert.ok(delta(s0, s1, 'dnb_requests') >= 1, 'half-open: one probe goes through');
  r = await lookup(p, unknownName());
  assert.equal(delta(s1, await simStats(), 'dnb_requests'), 0, 'the failed probe opens it again');
  await fault('dnb', 'none');
  await sleep(DNB.cooldown + 300);
  s0 = await simStats();
  r = await lookup(p, matchingName());
  s1 = await simStats();
  assert.ok(!serviceError(r.text) && candidates(r.text).includes(GORMAN.duns), 'half-open, service back: the probe succeeds');
  assert.ok(delta(s0, s1, 'dnb_cleanse_match') >= 1);
  r = await lookup(p, matchingName());
  assert.ok(!serviceError(r.text) && delta(s1, await simStats(), 'dnb_cleanse_match') === 1, 'closed: lookups reach the service again');
});

t(`address breaker: with the service down, after ${ADDRESS.failures} failed checks the next addresses are saved unverified without reaching the simulator${cycleNote(ADDRESS)}`, async () => {
  const p = await partnerAt(2);
  await addressHealthy();
  await fault('address', 'down');
  for (let i = 0; i < ADDRESS.failures; i++) {
    const before = await simStats();
    const r = await p.client.post('/csp/enroll/address', unknownAddress());
    const after = await simStats();
    assert.match(r.location || '', /unverified=1/, `failure ${i + 1}: saved unverified`);
    assert.ok(delta(before, after, 'address_requests') >= 1, `failure ${i + 1} reached the simulator`);
  }
  const open = await simStats();
  for (let i = 0; i < 3; i++) {
    const r = await p.client.post('/csp/enroll/address', unknownAddress());
    assert.equal(r.status, 303);
    assert.match(r.location || '', /unverified=1/);
  }
  assert.equal((await simStats()).address_requests, open.address_requests, 'open: no request reached the simulator');
  assert.equal(cspApp(p.tenant, ['address_verdict']).address_verdict, 'unverified');
  if (ADDRESS.cooldown > 10000) return;
  await fault('address', 'none');
  await sleep(ADDRESS.cooldown + 300);
  const s0 = await simStats();
  let r = await p.client.post('/csp/enroll/address', unknownAddress());
  const s1 = await simStats();
  assert.equal(r.status, 422, 'half-open, service back: the probe gets the answer (not found)');
  assert.ok(delta(s0, s1, 'address_validate') >= 1);
  r = await p.client.post('/csp/enroll/address', unknownAddress());
  assert.equal(r.status, 422);
  assert.equal(delta(s1, await simStats(), 'address_validate'), 1, 'closed: checks reach the service again');
});

// ---- configuration reload --------------------------------------------------------------------

t('SIGHUP while a lookup waits for a slow DUNS service: the request in flight is answered (200, the service error shown), the workers are replaced', async () => {
  const p = await partnerAt(1);
  await dnbHealthy();
  const master = pidOf('app');
  assert.ok(master && alive(master), 'the FastCGI master runs');
  const before = childrenOf(master);
  assert.ok(before.length > 0, 'it has workers');
  await fault('dnb', 'slow', 5000);
  const pending = lookup(p, unknownName());
  await sleep(500);
  process.kill(master, 'SIGHUP');
  const r = await pending;
  assert.equal(r.status, 200, 'drained, not cut');
  assert.ok(serviceError(r.text), 'the slow service is reported on the page');
  assert.equal(cspStatus(r.text), 'draft');
  await waitUntil(() => { const c = childrenOf(master); return c.length === before.length && c.every(x => !before.includes(x)); },
    { timeoutMs: 20000, what: 'a new set of workers' });
  assert.ok(alive(master), 'the same master');
  assert.equal(pidOf('app'), master);
  await dnbHealthy();
});

t('the simulator is left healthy for the next suites: faults reset, counters zero, both breakers closed (a lookup and an address check reach it again)', async () => {
  await simPost('/_sim/reset');
  const counters = await simStats();
  assert.deepEqual([counters.dnb_requests, counters.address_requests], [0, 0], 'the reset zeroes the counters');
  const f = await fetch(`${SIM}/_sim/fault`, { signal: AbortSignal.timeout(10000) }).then(x => x.json());
  assert.deepEqual([f.dnb.mode, f.address.mode], ['none', 'none']);
  await dnbHealthy();
  await addressHealthy();
}, Math.max(DNB.cooldown, ADDRESS.cooldown) * 2 + 60000);

try {
  await run();
} finally {
  if (SIM) await simPost('/_sim/reset').catch(() => {});
}
process.exit();
