// HTTP behaviour through nginx (CONTRACT §3, §5, "Operations"): security headers, cookies, 404/405,
// body limits, malformed bodies, a bounded fuzz loop that must never see a 5xx, health check, HEAD,
// static files.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  test, run, assert, BASE, ROOT, VAR, Client, htmlLang, signUp, rawHttp, uniqueDomain, userId,
} from '../acceptance/lib.mjs';

const MiB = 1024 * 1024;

// Checks the four security headers (a fetch Headers object or a plain lower-case object).
function assertSecurityHeaders(h, what) {
  const get = n => (typeof h.get === 'function' ? h.get(n) : h[n]);
  const csp = get('content-security-policy');
  assert.ok(csp, `${what}: Content-Security-Policy`);
  const dirs = Object.fromEntries(csp.split(';').map(d => d.trim()).filter(Boolean).map(d => {
    const [k, ...v] = d.split(/\s+/);
    return [k.toLowerCase(), v];
  }));
  const scripts = dirs['script-src'] || dirs['default-src'];
  assert.ok(scripts, `${what}: CSP restricts scripts (script-src or default-src): ${csp}`);
  assert.ok(!scripts.includes("'unsafe-inline'"), `${what}: no 'unsafe-inline' for scripts: ${csp}`);
  assert.ok(!scripts.includes('*') && !scripts.includes("'unsafe-eval'"), `${what}: no wildcard or eval: ${csp}`);
  assert.equal((get('x-content-type-options') || '').toLowerCase(), 'nosniff', `${what}: nosniff`);
  assert.equal((get('x-frame-options') || '').toUpperCase(), 'DENY', `${what}: X-Frame-Options`);
  assert.equal((get('referrer-policy') || '').toLowerCase(), 'same-origin', `${what}: Referrer-Policy`);
}

function cookieAttrs(sc) {
  const [pair, ...attrs] = sc.split(';').map(s => s.trim());
  return { name: pair.slice(0, pair.indexOf('=')), value: pair.slice(pair.indexOf('=') + 1), attrs: attrs.map(a => a.toLowerCase()) };
}

test('security headers on every dynamic page (200, 303, 400, 403, 404, 405, text/plain)', async () => {
  const c = new Client();
  const pages = [
    ['GET /', await c.get('/')],
    ['GET /signup', await c.get('/signup')],
    ['GET /signin?lang=fr', await c.get('/signin?lang=fr')],
    ['GET /healthz', await c.get('/healthz')],
    ['GET /dashboard signed out (303)', await c.get('/dashboard')],
    ['GET /verify-email without token', await c.get('/verify-email')],
    ['GET /set-password without token', await c.get('/set-password')],
    ['GET unknown (404)', await c.get('/nothing-here')],
    ['DELETE /signin (405)', await c.request('DELETE', '/signin')],
    ['POST /signup without csrf (403)', await c.post('/signup', {}, { csrf: null })],
    ['POST /signin wrong (401)', await c.post('/signin', { email: `nobody@${uniqueDomain('h')}`, password: 'not the password' })],
    // The directory's own nginx locations (www/nginx.conf.in): the same headers from the app.
    ['GET /partners', await c.get('/partners')],
    ['GET /partners?country=FR&lang=fr', await c.get('/partners?country=FR&lang=fr')],
    ['GET /partners/no-such-partner (404)', await c.get('/partners/no-such-partner')],
    ['DELETE /partners (405)', await c.request('DELETE', '/partners')],
    ['POST /partners/x/contact without csrf (403)', await c.post('/partners/no-such-partner/contact', {}, { csrf: null })],
  ];
  for (const [what, r] of pages) {
    assert.ok(r.status < 500, `${what}: ${r.status}`);
    assertSecurityHeaders(r.headers, what);
  }
  const s = await signUp();
  const d = await s.client.get('/dashboard');
  assert.equal(d.status, 200);
  assertSecurityHeaders(d.headers, 'GET /dashboard signed in');
  assert.match(d.headers.get('cache-control') || '', /no-store|private/, 'signed-in pages are not cached by shared caches');
});

test('a static file is served by nginx with the security headers', async () => {
  const res = await fetch(BASE + '/static/app.css');
  assert.equal(res.status, 200);
  const body = await res.text();
  assert.match(res.headers.get('content-type') || '', /^text\/css/);
  assert.equal(body, readFileSync(join(ROOT, 'www/static/app.css'), 'utf8'), 'the file of www/static');
  assert.ok(res.headers.get('etag') || res.headers.get('last-modified'), 'nginx validators (ETag/Last-Modified)');
  assert.equal(res.headers.get('content-language'), null, 'not produced by the app');
  assertSecurityHeaders(res.headers, 'GET /static/app.css');
  const missing = await fetch(BASE + '/static/no-such-file.css');
  assert.equal(missing.status, 404);
  const traversal = await rawHttp('GET /static/../scripts/run HTTP/1.1');
  assert.ok(traversal.status >= 400 && traversal.status < 500, `traversal answered ${traversal.status}`);
  assert.ok(!traversal.text.includes('#!/usr/bin/env bash'), 'no file outside www/static');
});

test('session cookies are HttpOnly and SameSite=Lax, with random values of at least 128 bits', async () => {
  const seen = {};
  const c = new Client();
  const take = r => { for (const sc of r.headers.getSetCookie()) { const a = cookieAttrs(sc); if (a.value) seen[a.name] = a; } };
  take(await c.get('/signup?lang=fr'));
  const domain = uniqueDomain('ck');
  const r = await c.post('/signup', { email: `cookie.test@${domain}`, password: 'a long enough password', display_name: 'Cookie Test', company_name: 'Cookies', country: 'FR' });
  assert.equal(r.status, 303);
  take(r);
  for (const name of ['pd_pre', 'pd_session', 'pd_lang']) {
    assert.ok(seen[name], `${name} was set`);
    assert.ok(seen[name].attrs.includes('httponly'), `${name} HttpOnly`);
    assert.ok(seen[name].attrs.includes('samesite=lax'), `${name} SameSite=Lax`);
    assert.ok(seen[name].attrs.includes('path=/'), `${name} Path=/`);
  }
  for (const name of ['pd_pre', 'pd_session']) {
    assert.match(seen[name].value, /^[A-Za-z0-9_-]{22,}$/, `${name} has at least 128 random bits`);
  }
  const other = new Client();
  await other.get('/signup');
  assert.notEqual(other.cookies.get('pd_pre'), seen.pd_pre.value, 'each visitor gets its own pre-session');
  await c.get('/dashboard');
  const out = await c.post('/signout');
  assert.equal(out.status, 303);
  const cleared = out.headers.getSetCookie().map(cookieAttrs).find(a => a.name === 'pd_session');
  assert.ok(cleared && cleared.value === '' && cleared.attrs.includes('max-age=0'), 'sign-out clears the cookie');
  assert.ok(cleared.attrs.includes('httponly'));
});

test('an unknown route gives the 404 page, HTML, in the visitor\'s language', async () => {
  for (const [path, lang] of [['/no/such/page', 'en'], ['/no/such/page?lang=fr', 'fr'], ['/account/users/1/roles/x', 'en'], ['/signup/', 'en'], ['/%C3%A9t%C3%A9', 'en'],
    ['/partners/', 'en'], ['/partners/no-such-partner/x?lang=fr', 'fr'], ['/partnership', 'en'], ['/partners-x', 'en']]) {
    const r = await new Client().get(path);
    assert.equal(r.status, 404, path);
    assert.match(r.headers.get('content-type') || '', /^text\/html;\s*charset=utf-8/i, path);
    assert.match(r.text, /^<!DOCTYPE html>/i, path);
    assert.equal(htmlLang(r.text), lang, path);
    assert.match(r.text, /data-status="404"/, path);
  }
  const fr = await new Client({ 'accept-language': 'fr' }).get('/nope');
  assert.match(fr.text, /Page introuvable/);
  const head = await new Client().request('HEAD', '/nope');
  assert.equal(head.status, 404);
  assert.equal(head.text, '');
});

test('a known route with the wrong method gives 405 with Allow', async () => {
  const cases = [['DELETE', '/signin'], ['PUT', '/signup'], ['PATCH', '/'], ['POST', '/dashboard'], ['POST', '/healthz'],
    ['GET', '/signout'], ['GET', '/verify-email/resend'], ['OPTIONS', '/signin'], ['GET', '/account/users/1/roles']];
  for (const [method, path] of cases) {
    const c = new Client();
    await c.get('/signin');
    const r = method === 'POST' ? await c.post(path, {}) : await c.request(method, path);
    assert.equal(r.status, 405, `${method} ${path}`);
    assert.ok(r.headers.get('allow'), `${method} ${path}: Allow header`);
    if (method !== 'OPTIONS') assert.match(r.text, /data-status="405"/);
  }
  const weird = await rawHttp('FOO /signin HTTP/1.1');
  assert.ok([400, 405].includes(weird.status), `unknown method: ${weird.status}`);
});

test('a body of 12 MiB + 1 byte gets the app\'s 413 page', async () => {
  const c = new Client();
  await c.get('/signup');
  const body = Buffer.alloc(12 * MiB + 1, 'a');
  const r = await c.request('POST', '/signup', { body, contentType: 'application/x-www-form-urlencoded' });
  assert.equal(r.status, 413);
  assert.match(r.text, /data-status="413"/);
  assert.equal(htmlLang(r.text), 'en');
  assert.ok(r.headers.get('content-language'), 'the page comes from the app (bilingual page, Content-Language)');
  assertSecurityHeaders(r.headers, '413 (app)');
  const fr = await new Client({ 'accept-language': 'fr' }).request('POST', '/signup', { body, contentType: 'multipart/form-data; boundary=x' });
  assert.equal(fr.status, 413);
  assert.equal(htmlLang(fr.text), 'fr');
  const h = await fetch(BASE + '/healthz');
  assert.equal(h.status, 200, 'the worker that refused it still serves');
});

test('a body of exactly 12 MiB is not refused for its size', async () => {
  // Two files of 6 MiB minus the multipart framing: the form is read; without csrf → 403.
  const boundary = 'pdbound' + Date.now();
  const part = (name, size) => Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    Buffer.alloc(size, 0x25), Buffer.from('\r\n')]);
  const tail = Buffer.from(`--${boundary}--\r\n`);
  const overhead = part('a', 0).length + part('b', 0).length + tail.length;
  const first = Math.floor((12 * MiB - overhead) / 2);
  const body = Buffer.concat([part('a', first), part('b', 12 * MiB - overhead - first), tail]);
  assert.equal(body.length, 12 * MiB);
  const r = await new Client().request('POST', '/signup', { body, contentType: `multipart/form-data; boundary=${boundary}` });
  assert.equal(r.status, 403, `answered ${r.status}`);
});

test('a body over 13 MiB is stopped by nginx with its static 413 page', async () => {
  const len = 14 * MiB;
  const r = await rawHttp(`POST /signup HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${len}`, Buffer.alloc(len, 'a'));
  assert.equal(r.status, 413);
  assert.match(r.text, /Request too large/);
  assert.match(r.text, /Requête trop volumineuse/, 'nginx\'s page is bilingual');
  assert.equal(r.headers['content-language'], undefined, 'not from the app');
  assertSecurityHeaders(r.headers, '413 (nginx)');
  const announced = await rawHttp(`POST /signin HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${50 * MiB}`);
  assert.equal(announced.status, 413, 'refused on the announced length alone');
});

test('300 form fields → 400 with a clear message, nothing done', async () => {
  for (const lang of ['en', 'fr']) {
    const c = new Client({ 'accept-language': lang });
    await c.get('/signup');
    const fields = { email: `many.fields@${uniqueDomain('mf')}`, password: 'a long enough password', display_name: 'Many', company_name: 'Fields', country: 'FR' };
    for (let i = 0; i < 300; i++) fields[`extra${i}`] = String(i);
    const r = await c.post('/signup', fields);
    assert.equal(r.status, 400);
    assert.match(r.text, /data-status="400"/);
    assert.equal(htmlLang(r.text), lang);
    const msg = lang === 'en' ? /could not be read|too many/i : /illisible|trop/i;
    assert.match(r.text.replace(/<[^>]+>/g, ' '), msg, 'says what is wrong');
    assert.equal(c.cookies.get('pd_session'), undefined, 'no account created');
  }
});

test('malformed multipart bodies → 400, never 5xx', async () => {
  const b = 'XyZ123';
  const cd = 'Content-Disposition: form-data; name="email"';
  const bodies = [
    ['no boundary parameter', 'multipart/form-data', `--${b}\r\n${cd}\r\n\r\nx\r\n--${b}--\r\n`],
    ['empty boundary', 'multipart/form-data; boundary=', `--\r\n${cd}\r\n\r\nx\r\n----\r\n`],
    ['garbage body', `multipart/form-data; boundary=${b}`, 'this is not multipart at all'],
    ['unterminated part', `multipart/form-data; boundary=${b}`, `--${b}\r\n${cd}\r\n\r\nvalue without end`],
    ['headers never end', `multipart/form-data; boundary=${b}`, `--${b}\r\n${cd}\r\nContent-Type: text/plain`],
    ['boundary over 70 characters', `multipart/form-data; boundary=${'b'.repeat(200)}`, `--${'b'.repeat(200)}\r\n${cd}\r\n\r\nx\r\n--${'b'.repeat(200)}--\r\n`],
    ['wrong boundary in body', `multipart/form-data; boundary=${b}`, `--other\r\n${cd}\r\n\r\nx\r\n--other--\r\n`],
    ['header line over limits', `multipart/form-data; boundary=${b}`, `--${b}\r\nContent-Disposition: form-data; name="${'n'.repeat(5000)}"\r\n\r\nx\r\n--${b}--\r\n`],
  ];
  const wrong = [];
  for (const [what, ct, body] of bodies) {
    const c = new Client();
    await c.get('/signup');
    const r = await c.request('POST', '/signup', { body, contentType: ct });
    assert.ok(r.status < 500, `${what}: ${r.status}`);
    if (r.status !== 400 || !/data-status="400"/.test(r.text)) wrong.push(`${what}: ${r.status}`);
  }
  assert.deepEqual(wrong, [], 'every malformed body gets the 400 page');
  // Parts that are well framed but carry no form-data name are skipped like unknown fields
  // (CONTRACT §5): any 4xx, never a 5xx.
  for (const [what, body] of [
    ['part without Content-Disposition', `--${b}\r\nContent-Type: text/plain\r\n\r\nx\r\n--${b}--\r\n`],
    ['Content-Disposition without a name', `--${b}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--${b}--\r\n`],
  ]) {
    const r = await new Client().request('POST', '/signup', { body, contentType: `multipart/form-data; boundary=${b}` });
    assert.ok(r.status >= 400 && r.status < 500, `${what}: ${r.status}`);
  }
});

test('a request body the app does not read (PUT/DELETE/GET with a body) never makes a later request fail', async () => {
  // Bodies sent with methods the routes do not take are answered 405/200 without being read. The
  // FastCGI connection nginx keeps for the next request must stay usable: concurrent POSTs right
  // after such a request must never get nginx's 502 (nginx retries only idempotent requests).
  const post = () => rawHttp('POST /signin HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 11', 'email=x&y=z');
  const seen = {};
  const end = Date.now() + 15000;
  for (let i = 0; i < 800 && Date.now() < end && !seen[502]; i++) {
    const n = [100, 5000, 20000][i % 3];
    const m = ['PUT', 'DELETE', 'GET'][Math.floor(i / 3) % 3];
    const jobs = [rawHttp(`${m} /signin HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${n}`, 'a'.repeat(n))];
    for (let k = 0; k < 6; k++) jobs.push(post());
    for (const r of await Promise.all(jobs)) seen[r.status] = (seen[r.status] || 0) + 1;
  }
  assert.ok(!Object.keys(seen).some(s => Number(s) >= 500 || Number(s) === 0), `statuses: ${JSON.stringify(seen)}`);
});

// Deterministic pseudo-random generator (mulberry32), so a failure can be replayed with PD_FUZZ_SEED.
function prng(seed) {
  let a = seed >>> 0;
  return () => { a = (a + 0x6D2B79F5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

test('~200 garbage requests (paths, queries, cookies, bodies) never get a 5xx, and no worker crashes', async () => {
  const seed = Number(process.env.PD_FUZZ_SEED) || (Date.now() % 1e9);
  const rnd = prng(seed);
  const int = n => Math.floor(rnd() * n);
  const pick = a => a[int(a.length)];
  const bytes = n => Buffer.from(Array.from({ length: n }, () => int(256)));
  const pct = buf => [...buf].map(x => '%' + x.toString(16).padStart(2, '0')).join('');
  const word = () => pick(['a', 'email', 'csrf', 'token', 'lang', 'role', 'password', 'x'.repeat(200), '', '%', '%zz', '%00', '%ff%fe', '&', '=', 'partner_id', '+', '%2B', '\u00e9t\u00e9', pct(bytes(int(20)))]);
  const admin = await signUp();
  admin.id = userId(admin.email);
  await admin.client.get('/account/users');
  const csrf = admin.client.csrf;
  const session = admin.client.cookies.get('pd_session');
  // A worker that crashes is logged by the master as "worker N ended (signal|status …)".
  const appLog = join(VAR, 'log', 'app.log');
  const logStart = (() => { try { return statSync(appLog).size; } catch { return 0; } })();

  const paths = ['/', '/signup', '/signin', '/signout', '/dashboard', '/healthz', '/verify-email', '/verify-email/resend',
    '/set-password', '/account/users', '/account/users/1/roles', '/account/users/0/roles', '/account/users/-1/roles',
    '/account/users/99999999999999999999999/roles', '/account/users/1e3/roles', '/account/users/%2e%2e/roles',
    '/account/users//roles', '/%00', '/%ff%fe', '/..%2f..%2fetc/passwd', '/static/%2e%2e/%2e%2e/etc/passwd',
    '/' + 'a'.repeat(3000), '/signup%00.html', '/signup;x', '/SIGNUP', '/signup/..', '/./signup', '/%2fsignup', '/%',
    '/a%zz', '/\u00e9', '/account/users/1/roles%00', '/_sim/fault', '/static/', '/healthz/'];
  const methods = ['GET', 'GET', 'POST', 'POST', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'FOO'];
  const ctypes = ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8', 'multipart/form-data',
    'multipart/form-data; boundary=zz', 'multipart/form-data; boundary="q q"', 'application/json', 'text/plain', '', 'x/y; a=b; c',
    'multipart/mixed; boundary=zz', 'application/x-www-form-urlencoded' + ';'.repeat(100)];
  const cookieGen = () => pick([
    '', `pd_session=${session}`, `pd_session=${'A'.repeat(43)}`, `pd_session=${pct(bytes(10))}`, 'pd_session=', `pd_pre=${'x'.repeat(60)}`,
    'pd_lang=fr', 'pd_lang=' + 'z'.repeat(500), ';;;==;=;', 'a=b; '.repeat(400), '"quoted"="x"', `pd_session=${session}; pd_session=bad`,
    Buffer.from([0xc3, 0x28, 0x3b, 0xff]).toString('latin1'), 'x'.repeat(3000), `pd_pre=${'B'.repeat(43)}; pd_lang=en`,
  ]);
  const bodyGen = (ct) => {
    switch (int(7)) {
      case 0: return '';
      case 1: return bytes(int(2000));
      case 2: return Array.from({ length: int(40) }, () => `${word()}=${word()}`).join(pick(['&', '&&', ';', '']));
      case 3: return `csrf=${pick(['', 'x', csrf.slice(1)])}&` + Array.from({ length: int(8) }, () => `${pick(['email', 'display_name', 'role', 'partner_id', 'password', 'password_confirm', 'token', 'company_name', 'country'])}=${word()}`).join('&');
      case 4: { const b = (ct.match(/boundary=("?)([^";]+)\1/) || [])[2] || 'zz';
        return `--${b}\r\nContent-Disposition: form-data; name="${word()}"${rnd() < 0.5 ? `; filename="${word()}"` : ''}\r\n\r\n${bytes(int(300)).toString('latin1')}\r\n${rnd() < 0.5 ? `--${b}--\r\n` : ''}`; }
      case 5: return '{"email": "x@y.example", "password": ' + '['.repeat(int(500));
      default: return 'a'.repeat(int(70000));
    }
  };

  const N = 200;
  const seen = {};
  const forms = ['/signup', '/signin', '/set-password', '/account/users', `/account/users/${admin.id}/roles`, '/account/users/1/roles', '/verify-email/resend'];
  const formFields = ['email', 'display_name', 'role', 'partner_id', 'password', 'password_confirm', 'token', 'company_name', 'country', 'csrf', 'lang'];
  for (let i = 0; i < N; i++) {
    let method = pick(methods);
    let path = pick(paths);
    let cookie = cookieGen();
    let body = '';
    const headers = [];
    if (rnd() < 0.35) {
      // Into the handlers: the admin's session and a valid csrf token, garbage field values.
      method = 'POST';
      path = pick(forms);
      cookie = `pd_session=${session}`;
      body = `csrf=${encodeURIComponent(csrf)}&` + Array.from({ length: 1 + int(8) }, () => `${pick(formFields)}=${word()}`).join('&');
      headers.push('Content-Type: application/x-www-form-urlencoded', `Content-Length: ${Buffer.byteLength(body)}`);
    } else if (method === 'POST' || method === 'PUT' || rnd() < 0.1) {
      const ct = pick(ctypes);
      body = bodyGen(ct);
      if (ct) headers.push(`Content-Type: ${ct}`);
      headers.push(`Content-Length: ${Buffer.byteLength(body)}`);
    }
    if (rnd() < 0.6) path += '?' + Array.from({ length: int(rnd() < 0.1 ? 400 : 6) }, () => `${word()}=${word()}`).join(pick(['&', ';', '&&']));
    if (cookie) headers.push(`Cookie: ${cookie}`);
    if (rnd() < 0.3) headers.push(`Accept-Language: ${pick(['fr', 'fr-FR,en;q=0.1', ';q=abc', 'x'.repeat(500), '*;q=2', ',,,', 'en;q=1e999'])}`);
    // Paths and headers go out as sent, one byte per character (latin1).
    const head = Buffer.from(`${method} ${path} HTTP/1.1${headers.length ? '\r\n' + headers.join('\r\n') : ''}`, 'latin1');
    const r = await rawHttp(head, body, { noBody: method === 'HEAD' });
    seen[r.status] = (seen[r.status] || 0) + 1;
    const desc = `#${i} (seed ${seed}) ${method} ${path.slice(0, 120)} cookie=${cookie.slice(0, 60)} body=${String(body).slice(0, 80)}`;
    assert.ok(r.status >= 200 && r.status < 500, `${desc} answered ${r.status}`);
  }
  console.log(`# fuzz seed ${seed} (replay with PD_FUZZ_SEED=${seed}): statuses ${JSON.stringify(seen)}`);
  const h = await fetch(BASE + '/healthz');
  assert.equal(h.status, 200);
  const d = await admin.client.get('/dashboard');
  assert.equal(d.status, 200, 'the admin session still works');
  let logged = '';
  try { logged = readFileSync(appLog).subarray(logStart).toString('utf8'); } catch { /* no log */ }
  const ended = logged.split('\n').filter(l => /worker \d+ ended/.test(l));
  assert.deepEqual(ended, [], `no FastCGI worker crashed (seed ${seed})`);
});

test('GET /healthz → 200 "ok" (text/plain); HEAD works', async () => {
  const r = await fetch(BASE + '/healthz');
  assert.equal(r.status, 200);
  assert.equal((await r.text()).trim(), 'ok');
  assert.match(r.headers.get('content-type') || '', /^text\/plain/);
  for (const p of ['/healthz', '/signin', '/', '/static/app.css', '/partners']) {
    const h = await fetch(BASE + p, { method: 'HEAD', redirect: 'manual' });
    assert.equal(h.status, 200, `HEAD ${p}`);
    assert.equal(await h.text(), '', `HEAD ${p} has no body`);
    assert.ok(h.headers.get('content-type'), `HEAD ${p} content-type`);
  }
  const rh = await rawHttp('HEAD /signin HTTP/1.1', '', { noBody: true });
  assert.equal(rh.status, 200);
  const rg = await rawHttp('GET /signin HTTP/1.1');
  assert.equal(Number(rh.headers['content-length']), Number(rg.headers['content-length']), 'HEAD announces the GET length');
  const dash = await fetch(BASE + '/dashboard', { method: 'HEAD', redirect: 'manual' });
  assert.equal(dash.status, 303, 'HEAD follows the same access rules');
});

await run();
