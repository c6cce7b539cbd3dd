// Resilience (CONTRACT §2 "Processes"): a killed FastCGI worker is replaced, SIGHUP replaces the
// workers, a MariaDB restart with the same command line leaves the portal answering without losing
// an acknowledged write; the public directory's own pool (pd-directory workers) is replaced the same
// way and answers /partners while the main pool is stuck. Every wait is bounded; MariaDB is left
// running whatever happens.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import {
  test, run, assert, BASE, VAR_ABS, Client, signUp, signIn, waitMail, pidOf, alive, childrenOf, procCmdline, configuredWorkers,
  configValue, waitUntil, uniqueDomain,
} from '../acceptance/lib.mjs';

const STEP_MS = 20000;
// Bounds that only turn a hang into a failure; nothing here measures how fast the site is.
const HANG_MS = 60000;
const healthz = async () => {
  try {
    const r = await fetch(BASE + '/healthz', { signal: AbortSignal.timeout(HANG_MS) });
    return { status: r.status, text: await r.text(), type: r.headers.get('content-type') || '' };
  } catch (e) { return { status: 0, text: String(e), type: '' }; }
};
const healthy = async () => (await healthz()).status === 200;

function master() {
  const pid = pidOf('app');
  assert.ok(pid && alive(pid), `the FastCGI master of run/app.pid (${pid}) runs`);
  return pid;
}

// The directory's pool ([app] directory_socket, directory_workers; src/app/main.c): its workers
// are named pd-directory, the main pool's keep the program's name.
const DIRECTORY_NAME = 'pd-directory';
const directorySocket = () => configValue('app', 'directory_socket', '');
// Without the key, the master's default: one per core and one more.
function configuredDirectoryWorkers() {
  if (!directorySocket()) return 0;
  const fallback = availableParallelism() + 1;
  const n = Number(configValue('app', 'directory_workers', String(fallback)));
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
const procName = pid => { try { return readFileSync(`/proc/${pid}/comm`, 'utf8').trim(); } catch { return ''; } };
// The master's workers by pool: { main: [pids], directory: [pids] }.
function pools(m) {
  const all = childrenOf(m);
  const directory = all.filter(p => procName(p) === DIRECTORY_NAME);
  return { main: all.filter(p => !directory.includes(p)), directory };
}

// The full set of workers of the master, once it has them all, both pools at their size (bounded wait).
async function fullSet(m) {
  const want = configuredWorkers();
  const dir = configuredDirectoryWorkers();
  return waitUntil(() => {
    const p = pools(m);
    const ok = want ? p.main.length === want && p.directory.length === dir : p.main.length > 0;
    return ok && childrenOf(m);
  }, { timeoutMs: STEP_MS, what: `the master to run its ${want} + ${dir} directory workers` });
}

// GET path with a bound; { status, ms, lang } or { status: 0 } when no answer came in time.
async function timedGet(path, timeoutMs) {
  const t0 = Date.now();
  try {
    const r = await fetch(BASE + path, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await r.text();
    return { status: r.status, ms: Date.now() - t0, lang: r.headers.get('content-language') };
  } catch (e) { return { status: 0, ms: Date.now() - t0, error: String(e) }; }
}

// n sequential directory requests; returns those that did not answer as expected.
async function probeDirectory(n = 12) {
  const bad = [];
  for (let i = 0; i < n; i++) {
    const [path, want] = [['/partners', 200], ['/partners?country=FR', 200], ['/partners?q=cloud&lang=fr', 200],
      ['/partners/no-such-partner', 404]][i % 4];
    const r = await timedGet(path, HANG_MS);
    if (r.status !== want) bad.push(`${path}: ${r.status}`);
  }
  return bad;
}

// n sequential requests of a few kinds; returns the statuses that were not expected.
async function probe(n = 20) {
  const bad = [];
  for (let i = 0; i < n; i++) {
    const path = ['/healthz', '/signin', '/', '/signup'][i % 4];
    const r = await fetch(BASE + path, { redirect: 'manual', signal: AbortSignal.timeout(HANG_MS) }).catch(e => ({ status: 0, e }));
    if (r.status !== 200) bad.push(`${path}: ${r.status}`);
    if (r.text) await r.text();
  }
  return bad;
}

test('kill -9 of one FastCGI worker: the site keeps answering and the master replaces it', async () => {
  const m = master();
  const before = await fullSet(m);
  const victim = before[before.length - 1];
  process.kill(victim, 'SIGKILL');
  await waitUntil(() => !alive(victim), { timeoutMs: STEP_MS, what: `worker ${victim} to die` });
  await waitUntil(healthy, { timeoutMs: STEP_MS, what: '/healthz 200 after the kill' });
  const after = await waitUntil(() => {
    const c = childrenOf(m);
    return c.length === before.length && !c.includes(victim) && c;
  }, { timeoutMs: STEP_MS, what: `the master to be back to ${before.length} workers` });
  assert.ok(after.some(p => !before.includes(p)), 'a new worker took its place');
  assert.deepEqual(await probe(20), [], 'every request answered 200');
  assert.equal(pidOf('app'), m, 'same master');
});

test('kill -9 of every worker at once: the master brings the full set back and the site answers', async () => {
  const m = master();
  const before = await fullSet(m);
  for (const p of before) process.kill(p, 'SIGKILL');
  const after = await waitUntil(() => {
    const c = childrenOf(m);
    return c.length === before.length && c.every(p => !before.includes(p)) && c;
  }, { timeoutMs: STEP_MS, what: `${before.length} new workers` });
  assert.equal(after.length, before.length);
  await waitUntil(healthy, { timeoutMs: STEP_MS, what: '/healthz 200' });
  assert.deepEqual(await probe(20), []);
});

test('SIGHUP to the master: still answers, and every worker is replaced even without further traffic', async () => {
  const m = master();
  // Concurrent requests first, so that nginx keeps idle connections to some workers (the usual
  // state of a running site): a worker must leave on the master's request even then.
  await fullSet(m);
  await Promise.all(Array.from({ length: 8 }, () => fetch(BASE + '/signin').then(r => r.text())));
  const before = childrenOf(m);
  process.kill(m, 'SIGHUP');
  // No requests while waiting: an old worker must not need a new connection to notice. Polled
  // until the set is all new; the bound is generous and only stops a hang.
  let last = [];
  const ok = await waitUntil(() => {
    last = childrenOf(m);
    return last.length === before.length && last.every(p => !before.includes(p));
  }, { timeoutMs: HANG_MS * 2, intervalMs: 100, what: 'every worker to be replaced' }).catch(() => false);
  const stale = before.filter(p => last.includes(p));
  assert.ok(ok, `${stale.length} old worker(s) never left after SIGHUP (pids ${stale.join(', ')}; ${last.length} workers)`);
  assert.equal(last.length, before.length, 'as many workers as before');
  assert.ok(before.every(p => !alive(p)), `the old workers are gone (${before.filter(alive).join(', ')})`);
  const first = await healthz();
  assert.equal(first.status, 200, 'answers after SIGHUP');
  assert.ok(alive(m) && pidOf('app') === m, 'the master itself stays');
  assert.deepEqual(await probe(20), []);
});

// The directory's own pool. Without one (PARTNERDESK_DIRECTORY_WORKERS=0) the main pool serves
// /partners and there is nothing of it to check but that.
if (configuredDirectoryWorkers() > 0) {
  test('kill -9 of one pd-directory worker: /partners keeps answering 200 and the master replaces it', async () => {
    const m = master();
    await fullSet(m);
    const before = pools(m);
    const victim = before.directory[0];
    process.kill(victim, 'SIGKILL');
    await waitUntil(() => !alive(victim), { timeoutMs: STEP_MS, what: `directory worker ${victim} to die` });
    assert.deepEqual(await probeDirectory(12), [], 'the directory answers through the kill');
    const after = await waitUntil(() => {
      const p = pools(m);
      return p.directory.length === configuredDirectoryWorkers() && !p.directory.includes(victim) && p;
    }, { timeoutMs: STEP_MS, what: `the master to be back to ${configuredDirectoryWorkers()} ${DIRECTORY_NAME} workers` });
    assert.ok(after.directory.some(p => !before.directory.includes(p)), 'a new directory worker took its place');
    assert.deepEqual(after.main, before.main, 'the main pool is untouched');
    assert.equal(pidOf('app'), m, 'same master');
  });

  test('SIGHUP replaces the directory workers too (new pids, as many as configured)', async () => {
    const m = master();
    await fullSet(m);
    const before = pools(m);
    process.kill(m, 'SIGHUP');
    let last = { main: [], directory: [] };
    const ok = await waitUntil(() => {
      last = pools(m);
      return last.directory.length === before.directory.length && last.directory.every(p => !before.directory.includes(p)) &&
        last.main.length === before.main.length && last.main.every(p => !before.main.includes(p));
    }, { timeoutMs: HANG_MS * 2, intervalMs: 100, what: 'both pools to be replaced' }).catch(() => false);
    const stale = before.directory.filter(p => last.directory.includes(p));
    assert.ok(ok, `after SIGHUP: ${last.directory.length} directory workers, old ones left: ${stale.join(', ') || 'none'}`);
    assert.equal(last.directory.length, configuredDirectoryWorkers());
    assert.ok(before.directory.every(p => !alive(p)), 'the old directory workers are gone');
    assert.ok(alive(m) && pidOf('app') === m, 'the master itself stays');
    assert.deepEqual(await probeDirectory(8), []);
  });

  test('routing: with every main-pool worker stopped, /partners still answers from its own pool and /signin does not', async () => {
    const m = master();
    await fullSet(m);
    const { main } = pools(m);
    assert.ok(main.length > 0, 'main-pool workers found');
    const results = {};
    try {
      for (const p of main) process.kill(p, 'SIGSTOP');
      // A short bound: the directory must not depend on the main pool at all.
      results.signin = await timedGet('/signin', 1500);
      for (const path of ['/partners', '/partners?country=FR', '/partners/no-such-partner', '/partners?lang=fr'])
        results[path] = await timedGet(path, 5000);
    } finally {
      for (const p of main) { try { process.kill(p, 'SIGCONT'); } catch { /* gone */ } }
    }
    assert.equal(results.signin.status, 0, `/signin must wait for the stopped main pool, got ${results.signin.status} in ${results.signin.ms} ms`);
    for (const [path, want] of [['/partners', 200], ['/partners?country=FR', 200], ['/partners/no-such-partner', 404], ['/partners?lang=fr', 200]]) {
      const r = results[path];
      assert.equal(r.status, want, `${path} with the main pool stopped: ${r.status} ${r.error || ''}`);
      assert.ok(r.lang, `${path}: answered by the app (Content-Language)`);
    }
    await waitUntil(healthy, { timeoutMs: STEP_MS, what: '/healthz 200 once the main pool runs again' });
    assert.deepEqual(await probe(8), []);
  });
} else {
  test('no directory pool (PARTNERDESK_DIRECTORY_WORKERS=0): no pd-directory worker, no socket, the main pool serves /partners', async () => {
    const m = master();
    await fullSet(m);
    assert.deepEqual(pools(m).directory, []);
    assert.ok(!existsSync(join(VAR_ABS, 'run', 'directory.sock')), 'no run/directory.sock');
    assert.deepEqual(await probeDirectory(8), []);
  });
}

// MariaDB restart: one test does the restart (and always leaves MariaDB running); the following
// tests check what was observed.
const R = { outage: {} };

async function startMariadb() {
  R.started = true;
  const child = spawn(R.argv[0], R.argv.slice(1), { cwd: R.cwd, detached: true, stdio: 'ignore', env: process.env });
  child.on('error', e => { R.spawnError = e; });
  child.unref();
  await waitUntil(() => pidOf('mariadb') && alive(pidOf('mariadb')), { timeoutMs: 60000, what: 'mariadbd to write its pid file' });
}

// Last resort if the suite dies between stopping and restarting MariaDB.
process.on('exit', () => {
  if (R.argv && R.killed && !R.started && !alive(pidOf('mariadb')))
    spawn(R.argv[0], R.argv.slice(1), { cwd: R.cwd, detached: true, stdio: 'ignore' }).unref();
});

test('MariaDB restart with the same command line: the portal answers 200 again', async () => {
  // An acknowledged write just before the restart.
  R.before = await signUp();
  R.beforeSession = new Client();
  R.beforeSession.cookies = new Map(R.before.client.cookies);
  const pid = pidOf('mariadb');
  assert.ok(pid && alive(pid), 'run/mariadb.pid names a running server');
  Object.assign(R, procCmdline(pid));
  assert.match(R.argv.join(' '), /mariadbd|mysqld/, `command line: ${R.argv.join(' ')}`);
  R.cwd = VAR_ABS;
  try {
    R.killed = true;
    process.kill(pid, 'SIGTERM');
    await waitUntil(() => !alive(pid), { timeoutMs: 60000, what: `mariadbd ${pid} to exit` });
    R.stopped = true;
    // During the outage.
    R.outage.healthz = await healthz();
    const c = new Client();
    const form = await c.get('/signup');
    R.outage.signupForm = form.status;
    const email = `outage.user@${uniqueDomain('outage')}`;
    R.outage.signup = await c.post('/signup', { email, password: 'a long enough password', display_name: 'Outage', company_name: 'Outage Inc', country: 'FR' });
    R.outage.dashboard = await R.beforeSession.get('/dashboard');
    R.outage.signin = await (async () => { const s = new Client(); await s.get('/signin'); return s.post('/signin', { email: R.before.email, password: R.before.password }); })();
  } finally {
    if (!alive(pidOf('mariadb'))) await startMariadb();
  }
  await waitUntil(healthy, { timeoutMs: 60000, what: '/healthz 200 after the restart' });
  assert.ok(!R.spawnError, String(R.spawnError));
  assert.notEqual(pidOf('mariadb'), pid, 'a new server runs');
});

test('during the database outage /healthz answers 503 (from the app, not 502 from nginx)', () => {
  assert.ok(R.stopped, 'the outage happened');
  assert.equal(R.outage.healthz.status, 503, `healthz: ${R.outage.healthz.status} ${R.outage.healthz.text.slice(0, 100)}`);
  assert.match(R.outage.healthz.type, /^text\/plain/);
});

test('during the outage a sign-up attempt answers a clean page (app 503 page or a form), never an nginx 5xx', () => {
  assert.ok(R.stopped);
  assert.equal(R.outage.signupForm, 200, 'the sign-up form needs no database');
  const r = R.outage.signup;
  assert.ok(r.status === 503 || (r.status >= 300 && r.status < 500), `status ${r.status}`);
  if (r.status === 503) {
    assert.match(r.text, /data-status="503"/, 'the app\'s own 503 page');
    assert.match(r.headers.get('content-type') || '', /^text\/html/);
    assert.ok(r.headers.get('content-language'), 'rendered by the app');
  }
  assert.ok(![500, 502, 504].includes(R.outage.signin.status), `sign-in during the outage: ${R.outage.signin.status}`);
});

test('a signed-in user is not signed out by the database outage (no session cookie cleared)', async () => {
  assert.ok(R.stopped);
  const r = R.outage.dashboard;
  assert.ok(![500, 502, 504].includes(r.status), `dashboard during the outage: ${r.status}`);
  const cleared = r.headers.getSetCookie().some(sc => /^pd_session=;/.test(sc) || /^pd_session=[^;]*;.*max-age=0/i.test(sc));
  assert.ok(!cleared, `the outage answer clears the session cookie: ${r.status} ${r.headers.getSetCookie().join(' | ')}`);
  const after = new Client();
  after.cookies.set('pd_session', R.before.client.cookies.get('pd_session'));
  const d = await after.get('/dashboard');
  assert.equal(d.status, 200, 'the session still works after the restart');
});

test('after the restart: the user created before can sign in, a new sign-up works and its mail goes out', async () => {
  assert.ok(R.stopped);
  const c = await signIn(R.before.email, R.before.password);
  const d = await c.get('/dashboard');
  assert.equal(d.status, 200);
  assert.match(d.text, /data-role="global_admin"/);
  const s = await signUp();
  await waitMail(s.email, /verify-email\?token=/, 20000);
  const again = await signIn(s.email, s.password);
  assert.equal((await again.get('/dashboard')).status, 200);
  assert.deepEqual(await probe(12), []);
});

await run();
