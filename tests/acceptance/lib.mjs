// Helpers for the HTTP suites: a cookie-keeping client that talks to the portal through nginx,
// form and HTML helpers, the mail spool and the database of the instance under test, and a
// small sequential TAP runner (one flat "ok N - name" line per test).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import assert from 'node:assert/strict';

export { assert };
export const BASE = process.env.PD_BASE_URL || 'http://127.0.0.1:8080';
export const VAR = process.env.PARTNERDESK_VAR || 'var';
export const BUILD = process.env.PARTNERDESK_BUILD || 'build';

const tests = [];
export function test(name, fn) { tests.push({ name, fn }); }

export async function run() {
  let n = 0, failed = 0;
  for (const t of tests) {
    n++;
    try {
      await t.fn();
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

export class Client {
  constructor(headers = {}) { this.cookies = new Map(); this.headers = headers; this.csrf = null; }

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
    const res = await fetch(BASE + path, { method, headers: h, body, redirect: 'manual' });
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

// Values of data-field error elements: { field: message }.
export function fieldErrors(html) {
  const out = {};
  for (const m of html.matchAll(/<[^>]*class="error"[^>]*data-field="([^"]+)"[^>]*>([^<]*)</g)) out[m[1]] = m[2];
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
export async function signUp({ lang = 'en', country = 'FR', name = 'Ana López', company, domain } = {}) {
  domain = domain || uniqueDomain();
  const email = `ana.lopez@${domain}`;
  const password = 'correct horse battery';
  const c = new Client({ 'accept-language': lang });
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
