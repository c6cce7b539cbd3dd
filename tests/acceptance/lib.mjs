// Helpers for the HTTP suites: a cookie-keeping client that talks to the portal through nginx,
// form and HTML helpers, the mail spool and the database of the instance under test, and a
// small sequential TAP runner (one flat "ok N - name" line per test).
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import { createHmac } from 'node:crypto';
import { join, resolve as resolvePath } from 'node:path';
import assert from 'node:assert/strict';

export { assert };
export const BASE = process.env.PD_BASE_URL || 'http://127.0.0.1:8080';
export const VAR = process.env.PARTNERDESK_VAR || 'var';
export const BUILD = process.env.PARTNERDESK_BUILD || 'build';

const tests = [];
// test(name, fn, { timeoutMs, after }): timeoutMs bounds the test whatever the server does (a
// failure, not a measurement); after() runs once the test is over, passed or not.
export function test(name, fn, opts = {}) { tests.push({ name, fn, ...opts }); }

async function runOne(t) {
  let timer;
  try {
    if (!t.timeoutMs) return await t.fn();
    return await Promise.race([t.fn(), new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`test timed out after ${t.timeoutMs} ms`)), t.timeoutMs);
    })]);
  } finally {
    clearTimeout(timer);
    if (t.after) await t.after();
  }
}

export async function run() {
  let n = 0, failed = 0;
  for (const t of tests) {
    n++;
    try {
      await runOne(t);
      console.log(`ok ${n} - ${t.name}`);
    } catch (e) {
      failed++;
      console.log(`not ok ${n} - ${t.name}`);
      for (const line of String(e && e.stack || e).split('\n').slice(0, 12)) console.log(`# ${line}`);
    }
  }
  console.log(`1..${n}`);
  process.exitCode = failed ? 1 : 0;
}

let counter = 0;
// A unique, valid work-email domain per call (reserved .example TLD).
export function uniqueDomain(prefix = 'co') {
  counter++;
  return `${prefix}${Date.now().toString(36)}${process.pid.toString(36)}${counter}.example`;
}

// A loopback address other than 127.0.0.1, new at each call (127.a.b.c): a client connecting
// from it is a client address nginx passes on as REMOTE_ADDR, not exempt from the limits by
// address ([limits] exempt_addresses=127.0.0.1 in the test INI) and unused by earlier runs.
export function freshAddress() {
  const r = () => Math.floor(Math.random() * 254) + 1;
  return `127.${r()}.${r()}.${r()}`;
}

// An HTTP request from a given local address (node's fetch cannot choose it), answered as a
// fetch Response-like object.
function fetchFrom(localAddress, url, { method, headers, body }) {
  return new Promise((resolve, reject) => {
    if (body) headers = { ...headers, 'content-length': Buffer.byteLength(body) };
    const req = httpRequest(url, { method, headers, localAddress }, res => {
      const chunks = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) for (const x of [].concat(v)) h.append(k, x);
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode, headers: h, text: async () => text });
      });
      res.on('error', reject);
    });
    req.setTimeout(30000, () => req.destroy(new Error(`no answer from ${url} within 30 s`)));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

export class Client {
  // from: the local address to connect from (freshAddress()), default the system's choice.
  constructor(headers = {}, { from } = {}) {
    this.cookies = new Map(); this.headers = headers; this.csrf = null; this.from = from;
  }

  cookieHeader() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }

  storeCookies(res) {
    for (const sc of res.headers.getSetCookie()) {
      const [pair, ...attrs] = sc.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim(), value = pair.slice(i + 1).trim();
      const maxAge = attrs.map(a => a.trim().toLowerCase()).find(a => a.startsWith('max-age='));
      if (value === '' || maxAge === 'max-age=0') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(method, path, { body, headers = {}, contentType } = {}) {
    const h = { ...this.headers, ...headers };
    const cookie = this.cookieHeader();
    if (cookie) h.cookie = cookie;
    if (contentType) h['content-type'] = contentType;
    const res = this.from ? await fetchFrom(this.from, BASE + path, { method, headers: h, body })
      : await fetch(BASE + path, { method, headers: h, body, redirect: 'manual' });
    this.storeCookies(res);
    const text = await res.text();
    const m = text.match(/name="csrf" value="([^"]+)"/) || text.match(/value="([^"]+)" name="csrf"/);
    if (m) this.csrf = m[1];
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
  }

  get(path, opts) { return this.request('GET', path, opts); }

  // POST urlencoded fields; the csrf token of the last page is added unless csrf: null/value given.
  async post(path, fields = {}, { csrf } = {}) {
    const data = new URLSearchParams();
    const token = csrf === undefined ? this.csrf : csrf;
    if (token !== null && token !== undefined) data.set('csrf', token);
    for (const [k, v] of Object.entries(fields)) data.append(k, v);
    return this.request('POST', path, { body: data.toString(), contentType: 'application/x-www-form-urlencoded' });
  }

  // Loads a page first (for its csrf token), then posts to it.
  async submit(pagePath, postPath, fields) {
    await this.get(pagePath);
    return this.post(postPath, fields);
  }
}

// { field: message } of the error elements (CONTRACT §3): any element whose class list holds
// "error" and that has a data-field attribute, whatever the attribute order; the message is the
// element's text.
export function fieldErrors(html) {
  const out = {};
  for (const m of html.matchAll(/<([a-z]+)\b([^>]*\sdata-field="([^"]+)"[^>]*)>([\s\S]*?)<\/\1>/g))
    if (/\sclass="(?:[^"]*\s)?error(?:\s[^"]*)?"/.test(` ${m[2]}`)) out[m[3]] = unescapeHtml(m[4].replace(/<[^>]*>/g, '')).trim();
  return out;
}

export function htmlLang(html) { const m = html.match(/<html[^>]*\slang="([a-z]+)"/); return m && m[1]; }

// Messages in the mail spool addressed to `to`, oldest first, as {file, headers, body}.
export function mailsTo(to) {
  const dir = join(VAR, 'mail');
  let files = [];
  try { files = readdirSync(dir).filter(f => f.endsWith('.eml')); } catch { return []; }
  return files.map(f => ({ f, t: statSync(join(dir, f)).mtimeMs })).sort((a, b) => a.t - b.t || a.f.localeCompare(b.f))
    .map(({ f }) => parseMail(join(dir, f)))
    .filter(m => (m.headers.to || '').toLowerCase().includes(to.toLowerCase()));
}

export function parseMail(file) {
  const raw = readFileSync(file, 'utf8');
  const [head, ...rest] = raw.split('\r\n\r\n');
  const headers = {};
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  if (/^=\?UTF-8\?B\?/i.test(headers.subject || ''))
    headers.subject = Buffer.from(headers.subject.slice(10, -2), 'base64').toString('utf8');
  return { file, raw, headers, body: rest.join('\r\n\r\n') };
}

// Waits (bounded) for the mailer to deliver a message to `to` matching `pattern`.
export async function waitMail(to, pattern = /./, timeoutMs = 10000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = mailsTo(to).filter(m => pattern.test(m.body) || pattern.test(m.headers.subject || ''));
    if (found.length) return found[found.length - 1];
    if (Date.now() > end) throw new Error(`no mail to ${to} matching ${pattern} within ${timeoutMs} ms`);
    await sleep(100);
  }
}

export function linkIn(mail, path) {
  const m = mail.body.match(new RegExp(`https?://[^\\s<>]*${path.replace(/[?]/g, '\\?')}[^\\s<>]*`));
  if (!m) throw new Error(`no ${path} link in mail:\n${mail.body}`);
  return new URL(m[0]);
}

export const sleep = ms => new Promise(r => setTimeout(r, ms));

// One SQL statement against the instance's MariaDB; rows as arrays of strings.
export function sql(query) {
  const out = execFileSync('mariadb', ['--no-defaults', '-S', join(VAR, 'run', 'mariadb.sock'), '-N', '-B',
    'partnerdesk', '-e', query], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map(l => l.split('\t'));
}
export const sqlValue = q => { const r = sql(q); return r.length ? r[0][0] : null; };
export const quote = s => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

// Signs up a new company and returns { client, email, password, domain }.
// from: the client address to sign up from (see Client).
export async function signUp({ lang = 'en', country = 'FR', name = 'Ana López', company, domain, from } = {}) {
  domain = domain || uniqueDomain();
  const email = `ana.lopez@${domain}`;
  const password = 'correct horse battery';
  const c = new Client({ 'accept-language': lang }, { from });
  await c.get(`/signup?lang=${lang}`);
  const r = await c.post('/signup', { email, password, display_name: name, company_name: company || `Company ${domain}`, country });
  assert.equal(r.status, 303, `sign-up answered ${r.status}: ${r.text.slice(0, 400)}`);
  assert.equal(r.location, '/dashboard');
  return { client: c, email, password, domain };
}

export async function verifyEmail(email) {
  const mail = await waitMail(email, /verify-email\?token=/);
  const url = linkIn(mail, '/verify-email?token=');
  const r = await new Client().get(url.pathname + url.search);
  assert.equal(r.status, 200);
  return mail;
}

export async function signIn(email, password, headers = {}) {
  const c = new Client(headers);
  await c.get('/signin');
  const r = await c.post('/signin', { email, password });
  assert.equal(r.status, 303, `sign-in answered ${r.status}`);
  return c;
}

// ---------------------------------------------------------------------------------------------
// Additions for the HTTP, resilience and SMTP suites. Everything above keeps working unchanged.

// The checkout (tests/acceptance/../..), for files nginx serves from www/.
export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
// Absolute state dir, as the instance's own processes see it in their environment.
export const VAR_ABS = resolvePath(VAR);

// Waits (bounded) until fn() returns a truthy value, which is returned. fn may be async.
export async function waitUntil(fn, { timeoutMs = 20000, intervalMs = 100, what = 'condition' } = {}) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try { last = await fn(); } catch (e) { last = undefined; }
    if (last) return last;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

// Pid recorded in $PARTNERDESK_VAR/run/NAME.pid, or null.
export function pidOf(name) {
  try {
    const n = Number(readFileSync(join(VAR, 'run', `${name}.pid`), 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch { return null; }
}

// True while pid exists and is not a zombie.
export function alive(pid) {
  if (!pid) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch { return false; }
}

// Live direct children of pid (from /proc/PID/task/*/children), sorted.
export function childrenOf(pid) {
  const out = new Set();
  let tasks = [];
  try { tasks = readdirSync(`/proc/${pid}/task`); } catch { return []; }
  for (const t of tasks) {
    let s = '';
    try { s = readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8'); } catch { continue; }
    for (const c of s.split(/\s+/).filter(Boolean)) if (alive(Number(c))) out.add(Number(c));
  }
  return [...out].sort((a, b) => a - b);
}

// Command line of a running process as an array, and its working directory.
export function procCmdline(pid) {
  const argv = readFileSync(`/proc/${pid}/cmdline`).toString('utf8').split('\0');
  if (argv[argv.length - 1] === '') argv.pop();
  let cwd = '/';
  try { cwd = readlinkSync(`/proc/${pid}/cwd`); } catch { /* keep / */ }
  return { argv, cwd };
}

// Runs $PARTNERDESK_BUILD/src/partnerdesk-ctl with args (input on stdin) against this instance.
export function ctl(args, { input = '' } = {}) {
  const r = spawnSync(join(BUILD, 'src', 'partnerdesk-ctl'), args, {
    input, encoding: 'utf8', timeout: 30000,
    env: { ...process.env, PARTNERDESK_VAR: VAR_ABS },
  });
  return { status: r.status, stdout: r.stdout || '', stderr: r.stderr || '', error: r.error };
}

// One raw HTTP/1.1 exchange over a new TCP connection (Connection: close), for requests that
// fetch() refuses to send (odd paths, bad headers, raw bytes). `head` (string, or Buffer for raw
// bytes) is the request line and headers without Host/Connection and the final blank line; body a
// string or Buffer. Resolves with { status, headers (lower-case names, last value wins), text }
// as soon as the whole answer is in (Content-Length), or when the server closes; status 0 when it
// closed without an answer. Bounded by timeoutMs. Set noBody for HEAD.
export function rawHttp(head, body = '', { timeoutMs = 15000, noBody = false } = {}) {
  const u = new URL(BASE);
  const headBuf = Buffer.concat([Buffer.isBuffer(head) ? head : Buffer.from(head, 'utf8'),
    Buffer.from(`\r\nHost: ${u.host}\r\nConnection: close\r\n\r\n`)]);
  const firstLine = headBuf.toString('latin1').split('\r\n')[0].slice(0, 200);
  return new Promise((resolve, reject) => {
    const chunks = [];
    let done = false;
    const sock = connect({ host: u.hostname, port: Number(u.port || 80) });
    const parse = () => {
      const raw = Buffer.concat(chunks);
      const i = raw.indexOf('\r\n\r\n');
      const headText = (i >= 0 ? raw.subarray(0, i) : raw).toString('latin1');
      const m = headText.match(/^HTTP\/1\.[01] (\d{3})/);
      const headers = {};
      for (const line of headText.split('\r\n').slice(1)) {
        const k = line.indexOf(':');
        if (k > 0) headers[line.slice(0, k).trim().toLowerCase()] = line.slice(k + 1).trim();
      }
      const bodyBuf = i >= 0 ? raw.subarray(i + 4) : Buffer.alloc(0);
      return { status: m ? Number(m[1]) : 0, headers, text: bodyBuf.toString('utf8'), complete: i >= 0 && (noBody || (headers['content-length'] !== undefined && bodyBuf.length >= Number(headers['content-length']))) };
    };
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const { complete, ...res } = parse();
      sock.destroy();
      resolve(res);
    };
    const timer = setTimeout(() => { done = true; sock.destroy(); reject(new Error(`no answer within ${timeoutMs} ms to ${firstLine}`)); }, timeoutMs);
    sock.on('data', d => { chunks.push(d); if (parse().complete) finish(); });
    sock.on('error', () => { /* a reset after the answer is normal (nginx closes early) */ });
    sock.on('close', finish);
    sock.on('connect', () => {
      sock.write(headBuf);
      if (body && body.length) sock.write(body);
    });
  });
}

// Number of rows of a table matching an optional WHERE clause.
export const countRows = (table, where = '1') => Number(sqlValue(`SELECT COUNT(*) FROM ${table} WHERE ${where}`));

// Decodes the few entities the templates produce.
export function unescapeHtml(s) {
  return String(s).replace(/&(lt|gt|quot|apos|amp|#39|#34|#x27|#x22);/g, (m, e) => ({
    lt: '<', gt: '>', quot: '"', apos: "'", amp: '&', '#39': "'", '#34': '"', '#x27': "'", '#x22': '"',
  })[e]);
}

// The value attribute of the <input name=NAME> (first match), decoded; null without value.
export function inputValue(html, name) {
  for (const m of html.matchAll(/<input\b[^>]*>/g)) {
    if (!new RegExp(`\\sname="${name}"`).test(m[0])) continue;
    const v = m[0].match(/\svalue="([^"]*)"/);
    return v ? unescapeHtml(v[1]) : null;
  }
  return undefined;
}

// The value of the selected <option> of <select name=NAME>, or null.
export function selectedOption(html, name) {
  const s = html.match(new RegExp(`<select\\b[^>]*\\sname="${name}"[^>]*>([\\s\\S]*?)</select>`));
  if (!s) return undefined;
  for (const m of s[1].matchAll(/<option\b[^>]*>/g))
    if (/\sselected(=|\s|>)/.test(m[0])) { const v = m[0].match(/\svalue="([^"]*)"/); return v ? unescapeHtml(v[1]) : ''; }
  return null;
}

// The pd_session cookie of a client (or undefined).
export const sessionOf = c => c.cookies.get('pd_session');

// Id of a user by email.
export const userId = email => sqlValue(`SELECT id FROM users WHERE email = ${quote(email)}`);
// Roles of a user as 'role:scope' words, sorted ('*' when not scoped to a partner ID).
export const rolesOf = id => sql(`SELECT role, COALESCE(partner_id, '*') FROM user_roles WHERE user_id = ${Number(id)} ORDER BY role, partner_id`)
  .map(r => `${r[0]}:${r[1]}`).join(' ');

// [app] workers of the instance (the ini, then $PARTNERDESK_CONF), or null.
export function configuredWorkers() {
  const n = Number(configValue('app', 'workers', ''));
  return Number.isInteger(n) && n > 0 ? n : null;
}

// ---------------------------------------------------------------------------------------------
// Additions for the partner program suites (partners.mjs, roles_audit.mjs). Everything above keeps
// working unchanged.

// Attributes of one start tag ('<tr data-x="1" hidden>') as { name: decoded value } ('' if bare).
export function attrsOf(startTag) {
  const out = {};
  const body = startTag.replace(/^<[a-zA-Z0-9]+/, '').replace(/\/?>$/, '');
  for (const m of body.matchAll(/([^\s=<>"'/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g))
    out[m[1].toLowerCase()] = unescapeHtml(m[2] ?? m[3] ?? m[4] ?? '');
  return out;
}

// Attributes of every <TAG …> start tag (any tag when tag is '*') that carries attribute attr.
export function tagsWith(html, tag, attr) {
  const re = new RegExp(`<${tag === '*' ? '[a-zA-Z][a-zA-Z0-9]*' : tag}\\b[^>]*>`, 'g');
  return [...html.matchAll(re)].map(m => attrsOf(m[0])).filter(a => attr === undefined || attr in a);
}

// Field names of the error elements, as a Set.
export const errorFields = html => new Set(Object.keys(fieldErrors(html)));

// href of the first <a> whose visible text (tags stripped, spaces collapsed) is exactly text.
export function linkByText(html, text) {
  for (const m of html.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a>/g)) {
    const label = unescapeHtml(m[2].replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
    if (label === text) { const a = attrsOf(`<a${m[1]}>`); if (a.href) return a.href; }
  }
  return null;
}

// Rows of the Identifiers table: [{ id, kind, country, status, csp }] (csp undefined when absent).
export const partnerIdRows = html => tagsWith(html, 'tr', 'data-partner-id').map(a => ({
  id: a['data-partner-id'], kind: a['data-kind'], country: a['data-country'], status: a['data-status'], csp: a['data-csp'],
}));
// IDs listed as deleted on the Identifiers page.
export const deletedPartnerIds = html => tagsWith(html, 'li', 'data-deleted-partner-id').map(a => a['data-deleted-partner-id']);

export const tenantIdOf = email => sqlValue(`SELECT tenant_id FROM users WHERE email = ${quote(email)}`);
export const partnerAccountId = pid => sqlValue(`SELECT id FROM partner_accounts WHERE partner_id = ${quote(pid)}`);
export const partnerStatus = pid => sqlValue(`SELECT status FROM partner_accounts WHERE partner_id = ${quote(pid)}`);
// Links a partner ID to a use (csp, profile, program) the way CSP enrollment and profiles do.
export function linkPartnerId(pid, purpose, ref = 'acceptance') {
  sql(`INSERT INTO partner_id_links (partner_account_id, purpose, ref) VALUES (${partnerAccountId(pid)}, ${quote(purpose)}, ${quote(ref)})`);
}

// A complete, valid POST /enroll body; over replaces fields.
export function enrollFields(email, over = {}) {
  return {
    legal_name: 'Northwind Traders SARL', country: 'FR', address_line1: '8 rue du Faubourg', address_line2: 'Bâtiment B',
    city: 'Paris', region: 'Île-de-France', postal_code: '75008', phone: '+33 1 40 00 00 00',
    website: 'https://northwind.example', contact_name: 'Ana López', contact_email: email, ...over,
  };
}

// A new company whose global admin has verified the email, signed in, not enrolled.
export async function verifiedAdmin(opts = {}) {
  const s = await signUp(opts);
  await verifyEmail(s.email);
  await s.client.get('/dashboard');
  return { ...s, tenant: tenantIdOf(s.email) };
}

// A verified global admin whose company is enrolled: adds { pga, pla } (the two partner IDs).
export async function enrolledCompany(opts = {}) {
  const s = await verifiedAdmin(opts);
  await s.client.get('/enroll');
  const r = await s.client.post('/enroll', enrollFields(s.email, opts.fields || {}));
  assert.equal(r.status, 303, `enrollment answered ${r.status}: ${r.text.slice(0, 300)}`);
  const rows = partnerIdRows((await s.client.get('/account/identifiers')).text);
  const g = rows.find(i => i.kind === 'global'), l = rows.find(i => i.kind === 'location');
  assert.ok(g && l, `one global and one location ID on Identifiers: ${JSON.stringify(rows)}`);
  return { ...s, pga: g.id, pla: l.id };
}

// Adds a location through POST /account/locations; returns its new partner ID.
export async function addLocation(c, email, over = {}) {
  await c.get('/account/locations');
  const r = await c.post('/account/locations', {
    name: 'Northwind Lyon', country: 'FR', address_line1: '3 quai Saint-Vincent', address_line2: '', city: 'Lyon',
    region: '', postal_code: '69001', contact_name: 'Léa Martin', contact_email: email, ...over,
  });
  assert.equal(r.status, 303, `adding a location answered ${r.status}: ${r.text.slice(0, 300)}`);
  const m = (r.location || '').match(/^\/account\/identifiers\?(?:.*&)?added=(\d+)/);
  assert.ok(m, `303 to /account/identifiers?added=<id>, got ${r.location}`);
  return m[1];
}

// Invites a user of c's company with role; the invitee sets a password from the mail and is
// signed in. Returns { client, email, id }.
export async function inviteUser(c, domain, role, { name = 'Invited User' } = {}) {
  const email = `u.${Math.random().toString(36).slice(2, 10)}@${domain}`;
  await c.get('/account/users');
  const r = await c.post('/account/users', { email, display_name: name, role });
  assert.equal(r.status, 303, `invite answered ${r.status}: ${r.text.slice(0, 300)}`);
  const url = linkIn(await waitMail(email, /set-password\?token=/, 20000), '/set-password?token=');
  const u = new Client();
  await u.get(url.pathname + url.search);
  const pw = 'invited password 2026';
  const s = await u.post('/set-password', { token: url.searchParams.get('token'), password: pw, password_confirm: pw });
  assert.equal(s.status, 303, `set-password answered ${s.status}`);
  await u.get('/dashboard');
  return { client: u, email, id: userId(email) };
}

// POST of [name, value] pairs (repeated names allowed) with the client's csrf token.
export function postForm(c, path, pairs) {
  const data = new URLSearchParams([['csrf', c.csrf || ''], ...pairs]);
  return c.request('POST', path, { body: data.toString(), contentType: 'application/x-www-form-urlencoded' });
}

// ---------------------------------------------------------------------------------------------
// Additions for the CSP suites (csp.mjs, csp_faults.mjs, browser/csp_wizard.mjs). Everything
// above keeps working unchanged. Names start with csp/sim to stay clear of the other additions.

// Rows of a TSV file (header line first, '#' lines and blank lines ignored) as objects keyed by
// the header's column names.
export function readTsv(file) {
  const lines = readFileSync(file, 'utf8').split('\n').map(l => l.replace(/\r$/, '')).filter(l => l && !l.startsWith('#'));
  const [head, ...rows] = lines;
  const cols = head.split('\t');
  return rows.map(l => { const v = l.split('\t'); return Object.fromEntries(cols.map((c, i) => [c, v[i] ?? ''])); });
}

// The simulator's fixtures (CONTRACT §6): $PARTNERDESK_SIM_COMPANIES / $PARTNERDESK_SIM_ADDRESSES
// when set, else the defaults in src/sim/fixtures.
export const simCompanies = () => readTsv(process.env.PARTNERDESK_SIM_COMPANIES || join(ROOT, 'src/sim/fixtures/companies.tsv'));
export const simAddresses = () => readTsv(process.env.PARTNERDESK_SIM_ADDRESSES || join(ROOT, 'src/sim/fixtures/addresses.tsv'));

// Upper case, commas, dots and runs of spaces folded to one space: how the fixtures are compared.
export const upperWords = s => String(s).toUpperCase().replace(/[\s,.]+/g, ' ').trim();
// D&B's public test company (804735132) of the fixtures, else their first active US company.
export const simGorman = () => {
  const companies = simCompanies();
  return companies.find(c => c.duns === '804735132' && c.status === 'active') || companies.find(c => c.country === 'US' && c.status === 'active');
};
// A search string from a fixture company's name: its first two words, capitalised as a person types them.
export const simSearchName = c => c.name.replace(/[^A-Za-z0-9' ]/g, ' ').split(/\s+/).filter(Boolean).slice(0, 2)
  .map(w => w[0] + w.slice(1).toLowerCase()).join(' ');

// Base URL of the simulator ($PARTNERDESK_VAR/sim.port), or null when there is none.
export function simBase() {
  try {
    const port = readFileSync(join(VAR, 'sim.port'), 'utf8').trim();
    return /^\d+$/.test(port) ? `http://127.0.0.1:${port}` : null;
  } catch { return null; }
}
// POST to a control endpoint of the simulator (/_sim/fault, /_sim/reset, …): { status, json }
// (json null when the answer is not JSON).
export async function simRequest(path, fields = {}) {
  const res = await fetch(simBase() + path, { method: 'POST', body: new URLSearchParams(fields), signal: AbortSignal.timeout(10000) });
  return { status: res.status, json: await res.json().catch(() => null) };
}
// The same, for a call that must succeed: its JSON answer.
export async function simPost(path, fields = {}) {
  const { status, json } = await simRequest(path, fields);
  if (status !== 200) throw new Error(`simulator ${path} answered ${status}: ${JSON.stringify(json)}`);
  return json;
}
// Switches a fault of the simulator (service dnb|address, mode none|slow|error|garbage|down|ratelimit).
export const simFault = (service, mode, ms) => simPost('/_sim/fault', { service, mode, ...(ms ? { ms: String(ms) } : {}) });
// The simulator's counters (GET /_sim/stats).
export const simStats = () => fetch(simBase() + '/_sim/stats', { signal: AbortSignal.timeout(10000) }).then(r => r.json());

// [section] key of the instance's configuration: $PARTNERDESK_VAR/partnerdesk.ini, then
// $PARTNERDESK_CONF (read after it, so it wins); def when neither sets it.
export function configValue(section, key, def) {
  let v = def;
  for (const f of [join(VAR, 'partnerdesk.ini'), process.env.PARTNERDESK_CONF].filter(Boolean)) {
    let cur = '';
    let text = '';
    try { text = readFileSync(f, 'utf8'); } catch { continue; }
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (!line || line.startsWith(';') || line.startsWith('#')) continue;
      const s = line.match(/^\[(.+)\]$/);
      if (s) { cur = s[1].trim(); continue; }
      const kv = line.match(/^([A-Za-z0-9_.]+)\s*=\s*(.*)$/);
      if (kv && cur === section && kv[1] === key) v = kv[2].trim();
    }
  }
  return v;
}

// The one data-status of a page (CSP wizard, review detail); throws unless there is exactly one.
export function cspStatus(html) {
  const all = [...html.matchAll(/\sdata-status="([^"]*)"/g)].map(m => m[1]);
  if (all.length !== 1) throw new Error(`expected exactly one data-status, found ${JSON.stringify(all)}`);
  return all[0];
}

// Title of the wizard step marked aria-current="step" in ol.progress (text only), or null.
export function cspCurrentStep(html) {
  const ol = html.match(/<ol class="progress"[^>]*>([\s\S]*?)<\/ol>/);
  if (!ol) return null;
  for (const li of ol[1].matchAll(/<li\b([^>]*)>([\s\S]*?)<\/li>/g))
    if (/aria-current="step"/.test(li[1])) return unescapeHtml(li[2].replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
  return null;
}

// A verified global admin of a company in `country`, enrolled in the partner program (POST
// /enroll), signed in. Adds { location } (its location partner ID), { tenant } and the enrolled
// address. `company` names the tenant (sign-up company name).
export async function cspPartner({ lang = 'en', country = 'US', name = 'Pat Gorman', company, address } = {}) {
  const s = await signUp({ lang, country, name, company });
  await verifyEmail(s.email);
  const addr = address || { address_line1: '492 Koller St', address_line2: '', city: 'San Francisco', region: 'CA', postal_code: '94110' };
  await s.client.get(`/enroll?lang=${lang}`);
  const r = await s.client.post('/enroll', {
    legal_name: company || `Gorman ${s.domain}`, country, ...addr, phone: '+1 415 555 0100',
    website: `https://www.${s.domain}`, contact_name: name, contact_email: s.email,
  });
  assert.equal(r.status, 303, `POST /enroll answered ${r.status}: ${r.text.slice(0, 300)}`);
  const loc = partnerIdRows((await s.client.get('/account/identifiers')).text).find(r => r.kind === 'location');
  assert.ok(loc, 'a location partner ID on /account/identifiers after enrollment');
  return { ...s, location: loc.id, tenant: tenantIdOf(s.email), country, address: addr };
}

// Fields of the contacts step (indirect reseller unless over says otherwise).
export const cspContactFields = (email, over = {}) => ({
  contact_name: 'Pat Gorman', contact_email: email, contact_phone: '+1 415 555 0100', support_email: email,
  support_phone: '+1 415 555 0199', model: 'indirect_reseller', ...over,
});

// The tenant's CSP application row as an object of the named columns (strings; SQL NULL → null).
export function cspApp(tenant, cols = ['id', 'status', 'step']) {
  const rows = sql(`SELECT ${cols.join(', ')} FROM csp_applications WHERE tenant_id = ${Number(tenant)}`);
  if (!rows.length) return null;
  return Object.fromEntries(cols.map((c, i) => [c, rows[0][i] === 'NULL' ? null : rows[0][i]]));
}

// POST /csp/enroll/document (multipart) with the client's session and csrf token (from the
// wizard page, loaded first unless csrf is given). { status, text, headers }.
export async function cspUpload(c, bytes, filename, { type = 'business_registration', csrf, mime = 'application/octet-stream' } = {}) {
  if (csrf === undefined) { await c.get('/csp/enroll'); csrf = c.csrf; }
  const fd = new FormData();
  if (csrf !== null) fd.append('csrf', csrf);
  fd.append('document_type', type);
  fd.append('document', new Blob([bytes], { type: mime }), filename);
  const res = await fetch(BASE + '/csp/enroll/document', { method: 'POST', body: fd, redirect: 'manual', headers: { ...c.headers, cookie: c.cookieHeader() } });
  c.storeCookies(res);
  return { status: res.status, text: await res.text(), headers: res.headers, location: res.headers.get('location') };
}

// A new staff member (scripts/ctl staff add) signed in: { client, email }.
export async function staffMember(role = 'reviewer') {
  const email = `${role}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@${uniqueDomain('staff')}`;
  const password = 'staff member password 2026';
  const out = ctl(['staff', 'add', email, '--role', role], { input: `${password}\n` });
  assert.equal(out.status, 0, `ctl staff add: ${out.stderr || out.error}`);
  return { client: await signIn(email, password), email };
}

// One reviewer per suite, signed in on first use: its client.
let sharedReviewer;
export async function reviewer() {
  if (!sharedReviewer) sharedReviewer = (await staffMember('reviewer')).client;
  return sharedReviewer;
}

// Inner HTML of the <label> that holds <input name=NAME value=VALUE>, or null.
export function cspLabelOf(html, name, value) {
  for (const m of html.matchAll(/<label\b[^>]*>([\s\S]*?)<\/label>/g))
    if (tagsWith(m[1], 'input').some(a => a.name === name && a.value === value)) return m[1];
  return null;
}

// Visible text of an HTML fragment (tags dropped, entities decoded, spaces collapsed).
export const cspText = html => unescapeHtml(String(html).replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();

// ---------------------------------------------------------------------------------------------
// Sessions (accounts.mjs): the "your sessions" page and the CSRF token of a (pre-)session.

// Rows of /account/sessions: [{ id, current, cells: [created, last seen, address, browser, …] }].
export const sessionRows = html => [...html.matchAll(/<tr\b[^>]*\sdata-session-id="[^"]*"[^>]*>[\s\S]*?<\/tr>/g)]
  .map(m => {
    const a = attrsOf(m[0].match(/^<tr\b[^>]*>/)[0]);
    const cells = [...m[0].matchAll(/<td\b[^>]*>([\s\S]*?)<\/td>/g)]
      .map(c => unescapeHtml(c[1].replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim());
    return { id: a['data-session-id'], current: a['data-current'], cells };
  });
// The pd_pre cookie of a client (or undefined).
export const preOf = c => c.cookies.get('pd_pre');
// The CSRF token the portal derives from a (pre-)session token (src/app/session.c, csrf_for),
// computed with the instance's key: HMAC-SHA256("csrf|" + token), URL-safe base64.
export function csrfFor(token) {
  const key = Buffer.from(sqlValue("SELECT HEX(value) FROM app_secrets WHERE name = 'csrf_hmac'"), 'hex');
  return createHmac('sha256', key.subarray(0, 32)).update('csrf|' + token).digest('base64url');
}

// ---------------------------------------------------------------------------------------------
// Two-factor authentication: TOTP (RFC 6238, SHA-1, 6 digits, 30 s) computed from the base32 key
// the set-up page shows, as an authenticator app does.

// RFC 4648 base32 → bytes (case and spaces ignored, padding optional).
export function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0;
  const out = [];
  for (const ch of s.toUpperCase().replace(/[\s=]/g, '')) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${s}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
  }
  return Buffer.from(out);
}

// The 6-digit code of time step `step` for the base32 key.
export function totpAt(secretB32, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secretB32)).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(off) & 0x7fffffff) % 1000000).padStart(6, '0');
}

export const totpStep = (ms = Date.now()) => Math.floor(ms / 30000);

// An authenticator for one key: next() gives a code the server has not seen yet (the server takes
// each step once, and one step of drift either side), waiting for the next step only when the
// three steps around now are used up. Steps near their end are skipped so that a code never
// expires on its way to the server.
export class Authenticator {
  constructor(secretB32) { this.secret = secretB32; this.last = 0; }
  async next() {
    for (;;) {
      const ms = Date.now(), now = totpStep(ms), late = ms % 30000 > 28000;
      const step = Math.max(this.last + 1, now - 1 + (late ? 1 : 0));
      if (step <= now + 1) { this.last = step; return totpAt(this.secret, step); }
      await sleep(500);
    }
  }
  // A code that is none of the steps the server may accept right now.
  wrong() {
    const now = totpStep(), near = new Set([-2, -1, 0, 1, 2].map(d => totpAt(this.secret, now + d)));
    for (const c of ['000000', '123456', '999999']) if (!near.has(c)) return c;
    throw new Error('no wrong code');
  }
}

// Turns two-factor authentication on for a signed-in client: { auth, secret, codes } (the key,
// its authenticator and the recovery codes the page shows once).
export async function enrolTotp(c) {
  const page = await c.get('/account/2fa');
  assert.equal(page.status, 200, `GET /account/2fa answered ${page.status}`);
  const secret = page.text.match(/data-tfa-secret="">([A-Z2-7]+)</)[1];
  const enrolment = page.text.match(/name="enrolment" value="([^"]+)"/)[1];
  const auth = new Authenticator(secret);
  const r = await c.post('/account/2fa', { enrolment, code: await auth.next() });
  assert.equal(r.status, 303, `enrolment answered ${r.status}: ${fieldErrors(r.text).code}`);
  const shown = await c.get('/account/2fa');
  const codes = [...shown.text.matchAll(/data-recovery-code="">([^<]+)</g)].map(m => m[1]);
  assert.equal(codes.length, 10, 'ten recovery codes shown');
  return { auth, secret, codes, page: shown };
}

// Signs in with password and, when asked, a second factor ({ code } or { recovery_code });
// returns { client, first, second } (the answers of the two POSTs).
export async function signInTwoStep(email, password, factor, headers = {}) {
  const c = new Client(headers);
  await c.get('/signin');
  const first = await c.post('/signin', { email, password });
  if (first.location !== '/signin/2fa') return { client: c, first };
  await c.get('/signin/2fa');
  const second = await c.post('/signin/2fa', typeof factor === 'function' ? await factor() : factor);
  return { client: c, first, second };
}
