// The remote services misbehaving (issue 4 §3, CONTRACT §6 faults): every fault mode of the DUNS and
// address services against the wizard (a clear page, never a 5xx, the manual path completes,
// nothing lost), token expiry and renewal, the answers cache, the circuit breaker (open, half-open,
// closed), and a request in flight that survives SIGHUP. The simulator's faults are reset at the end
// and the breaker is closed again before the next suite.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  test, run, assert, signUp, verifyEmail, sql, sqlValue, quote, fieldErrors, pidOf, childrenOf, alive, waitUntil, sleep, VAR,
} from '../acceptance/lib.mjs';

const SIM = `http://127.0.0.1:${readFileSync(join(VAR, 'sim.port'), 'utf8').trim()}`;
const simPost = (path, fields = {}) => fetch(SIM + path, { method: 'POST', body: new URLSearchParams(fields) }).then(r => r.json());
const stats = () => fetch(SIM + '/_sim/stats').then(r => r.json());
const fault = (service, mode, ms) => simPost('/_sim/fault', { service, mode, ...(ms ? { ms: String(ms) } : {}) });
const tenantOf = email => sqlValue(`SELECT tenant_id FROM users WHERE email = ${quote(email)}`);
// Earlier runs on the same database (the suites run twice: normal and sanitizer builds) left
// answers in the cache; the tests that count calls start without them.
const forgetLookups = () => sql('DELETE FROM lookup_cache');

// [section] key of the instance's configuration (the ini, then $PARTNERDESK_CONF).
function setting(section, key, def) {
  let v = def;
  for (const f of [join(VAR, 'partnerdesk.ini'), process.env.PARTNERDESK_CONF].filter(Boolean)) {
    let cur = '';
    let text = '';
    try { text = readFileSync(f, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').map(l => l.trim())) {
      const s = line.match(/^\[(.+)\]$/);
      if (s) { cur = s[1]; continue; }
      const kv = line.match(/^([a-z_]+)\s*=\s*(.*)$/);
      if (kv && cur === section && kv[1] === key) v = kv[2];
    }
  }
  return Number(v);
}
const FAILURES = setting('dnb', 'breaker_failures', 5);
const COOLDOWN = setting('dnb', 'breaker_cooldown_ms', 30000);

let seq = 0;
const lookupName = () => `Nonexistent Company ${process.pid} ${++seq}`;

// A US partner at the company step of the wizard.
async function atCompanyStep() {
  const s = await signUp({ country: 'US' });
  await verifyEmail(s.email);
  await s.client.get('/enroll');
  assert.equal((await s.client.post('/enroll', {
    legal_name: 'Fault Testing Inc', country: 'US', address_line1: '1 Microsoft Way', city: 'Redmond', region: 'WA',
    postal_code: '98052', phone: '+1 425 555 0100', website: 'https://faults.example', contact_name: 'Sam', contact_email: s.email,
  })).status, 303);
  const page = await s.client.get('/csp/enroll');
  const location = page.text.match(/name="partner_id" value="(\d+)"/)[1];
  assert.equal((await s.client.post('/csp/enroll/location', { partner_id: location })).status, 303);
  return s;
}

// Waits (bounded) until a DUNS lookup reaches the simulator and answers: the breaker is closed.
async function dnbHealthy(c) {
  await fault('dnb', 'none');
  await waitUntil(async () => {
    forgetLookups(); // a cached answer would not tell whether the breaker lets calls through
    const r = await c.post('/csp/enroll/company', { mode: 'lookup', company_name: 'Contoso', country: 'US' });
    return r.status === 200 && /data-confidence/.test(r.text);
  }, { timeoutMs: COOLDOWN + 10000, intervalMs: 500, what: 'the DUNS breaker to close' });
}

let P;
test('healthy: a lookup reaches the simulator once; the same lookup again is answered by the cache', async () => {
  await simPost('/_sim/reset');
  forgetLookups();
  P = await atCompanyStep();
  const before = await stats();
  let r = await P.client.post('/csp/enroll/company', { mode: 'lookup', company_name: 'Northwind Traders', country: 'US' });
  assert.equal(r.status, 200);
  assert.match(r.text, /name="duns" value="362281243" data-confidence="\d+"/);
  const mid = await stats();
  assert.equal(mid.dnb_cleanse_match, before.dnb_cleanse_match + 1);
  r = await P.client.post('/csp/enroll/company', { mode: 'lookup', company_name: 'northwind   TRADERS', country: 'US' });
  assert.match(r.text, /value="362281243"/);
  assert.equal((await stats()).dnb_cleanse_match, mid.dnb_cleanse_match, 'answered from lookup_cache');
});

test('an expired token is renewed once and the lookup still succeeds', async () => {
  forgetLookups();
  const before = await stats();
  await simPost('/_sim/expire-tokens', { service: 'dnb' });
  const r = await P.client.post('/csp/enroll/company', { mode: 'lookup', company_name: 'Fabrikam', country: 'US' });
  assert.equal(r.status, 200);
  assert.match(r.text, /value="038732116"/);
  const after = await stats();
  assert.equal(after.dnb_token, before.dnb_token + 1, 'one new token');
  assert.equal(after.dnb_cleanse_match, before.dnb_cleanse_match + 1, 'the refused call is not counted as answered');
});

for (const mode of ['slow', 'error', 'garbage', 'down', 'ratelimit']) {
  test(`DUNS service ${mode}: the lookup page says so and opens the manual entry; the manual path completes; no 5xx`, async () => {
    const p = await atCompanyStep();
    await dnbHealthy(p.client);
    await fault('dnb', mode, mode === 'slow' ? 5000 : undefined);
    try {
      const r = await p.client.post('/csp/enroll/company', { mode: 'lookup', company_name: lookupName(), country: 'US' });
      assert.equal(r.status, 200);
      assert.match(r.text, /data-service-error="dnb"/);
      assert.match(r.text, /<details class="card" open="open">/, 'manual entry open');
      const byDuns = await p.client.post('/csp/enroll/company', { mode: 'duns', duns: '804735132' });
      assert.ok(byDuns.status < 500, `DUNS number under ${mode}: ${byDuns.status}`);
      const m = await p.client.post('/csp/enroll/company', { mode: 'manual', legal_name: 'Fault Testing Inc', address_line1: '1 Microsoft Way', city: 'Redmond', region: 'WA', postal_code: '98052', country: 'US' });
      assert.equal(m.status, 303);
      const app = sqlValue(`SELECT CONCAT(step, '/', company_source, '/', partner_account_id IS NOT NULL) FROM csp_applications WHERE tenant_id = ${tenantOf(p.email)}`);
      assert.equal(app, '2/manual/1', 'the location of step 1 is kept and the company saved');
    } finally {
      await fault('dnb', 'none');
    }
  });
}

for (const mode of ['slow', 'error', 'garbage', 'down', 'ratelimit']) {
  test(`address service ${mode}: the address is kept as entered and flagged unverified for the reviewer`, async () => {
    const p = await atCompanyStep();
    await p.client.post('/csp/enroll/company', { mode: 'manual', legal_name: 'Fault Testing Inc', address_line1: '1 Microsoft Way', city: 'Redmond', region: 'WA', postal_code: '98052', country: 'US' });
    await fault('address', mode, mode === 'slow' ? 5000 : undefined);
    try {
      const r = await p.client.post('/csp/enroll/address', { address_line1: '1 Microsoft Way', city: 'Redmond', region: 'WA', postal_code: `9805${seq++ % 10}` });
      assert.equal(r.status, 303);
      assert.match(r.location, /unverified=1/);
      const page = await p.client.get(r.location);
      assert.match(page.text, /marked unverified/);
      assert.equal(sqlValue(`SELECT address_verdict FROM csp_applications WHERE tenant_id = ${tenantOf(p.email)}`), 'unverified');
    } finally {
      await fault('address', 'none');
    }
  });
}

test(`breaker: after ${FAILURES} failed lookups it opens (no request reaches the service), then half-open and closed`, async () => {
  const p = await atCompanyStep();
  await dnbHealthy(p.client);
  await fault('dnb', 'down');
  try {
    for (let i = 0; i < FAILURES; i++) {
      const r = await p.client.post('/csp/enroll/company', { mode: 'lookup', company_name: lookupName(), country: 'US' });
      assert.match(r.text, /data-service-error="dnb"/);
    }
    const open = (await stats()).dnb_requests;
    const r = await p.client.post('/csp/enroll/company', { mode: 'lookup', company_name: lookupName(), country: 'US' });
    assert.equal(r.status, 200);
    assert.match(r.text, /data-service-error="dnb"/);
    assert.equal((await stats()).dnb_requests, open, 'open: the lookup failed fast without calling');
    if (COOLDOWN > 10000) return; // a long cooldown: only the open state is checked here
    await fault('dnb', 'none');
    forgetLookups();
    await sleep(COOLDOWN + 300);
    const probe = await p.client.post('/csp/enroll/company', { mode: 'lookup', company_name: 'Tailspin Toys', country: 'US' });
    assert.match(probe.text, /value="051957769"/, 'half-open: the probe went through and succeeded');
    const closed = (await stats()).dnb_requests;
    const next = await p.client.post('/csp/enroll/company', { mode: 'lookup', company_name: 'Wingtip Toys', country: 'US' });
    assert.match(next.text, /value="262847391"/);
    assert.ok((await stats()).dnb_requests > closed, 'closed: calls go through again');
  } finally {
    await fault('dnb', 'none');
  }
});

test('SIGHUP while a lookup waits for a slow service: the request in flight is answered, the workers are replaced', async () => {
  const p = await atCompanyStep();
  await dnbHealthy(p.client);
  const master = pidOf('app');
  const before = childrenOf(master);
  await fault('dnb', 'slow', 5000);
  try {
    const pending = p.client.post('/csp/enroll/company', { mode: 'lookup', company_name: lookupName(), country: 'US' });
    await sleep(500);
    process.kill(master, 'SIGHUP');
    const r = await pending;
    assert.equal(r.status, 200, 'drained, not cut');
    assert.match(r.text, /data-service-error="dnb"/);
    await waitUntil(() => { const c = childrenOf(master); return c.length === before.length && c.every(x => !before.includes(x)); },
      { timeoutMs: 20000, what: 'a new set of workers' });
    assert.ok(alive(master));
  } finally {
    await fault('dnb', 'none');
  }
  await dnbHealthy(p.client);
});

test('the simulator is left healthy for the next suites', async () => {
  await simPost('/_sim/reset');
  const s = await stats();
  assert.equal(s.dnb_requests, 0);
  const f = await fetch(SIM + '/_sim/fault').then(r => r.json());
  assert.deepEqual([f.dnb.mode, f.address.mode], ['none', 'none']);
  await dnbHealthy(P.client);
});

await run();
