// Accounts journey (CONTRACT §2–§5 "Accounts", DOMAIN §1): sign-up, verification email, sign-out,
// sign-in, session rotation, invitations and roles, lockout, idle expiry and the 12 h lifetime,
// "your sessions", the server-issued pre-session token, tenant isolation, staff.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  test, run, assert, BASE, VAR, Client, signUp, signIn, waitMail, mailsTo, linkIn, fieldErrors,
  sql, sqlValue, quote, uniqueDomain, ctl, waitUntil, countRows, sessionOf, userId, rolesOf, inputValue,
  sessionRows, preOf, csrfFor, htmlLang, freshAddress, verifyEmail, staffMember, tenantIdOf as tenantOf,
  Authenticator, enrolTotp, signInTwoStep, base32Decode,
} from './lib.mjs';
import { createHash } from 'node:crypto';

const baseOrigin = new URL(BASE).origin;
const staffEmail = `riley.reviewer@${uniqueDomain('staff')}`;
const staffPassword = 'reviewer password 1';
// State shared by the journey's steps, in order.
const J = {};


test('sign-up answers 303 /dashboard and sends an RFC 5322 verification email with an absolute link', async () => {
  const s = await signUp({ name: 'Ana López' });
  Object.assign(J, s);
  J.sessions = [sessionOf(s.client)];
  assert.ok(J.sessions[0], 'sign-up set a pd_session cookie');
  const mail = await waitMail(s.email, /verify-email\?token=/);
  assert.match(mail.file, /[/]mail[/][^/]+-[^/]+\.eml$/, 'file is $PARTNERDESK_VAR/mail/<timestamp>-<id>.eml');
  const h = mail.headers;
  assert.ok(h.to && h.to.toLowerCase().includes(s.email), `To: ${h.to}`);
  assert.match(h.from || '', /@/, 'From holds an address');
  assert.ok(h.subject && h.subject.length > 3, 'Subject present');
  assert.ok(h.date && !Number.isNaN(Date.parse(h.date)), `Date parses: ${h.date}`);
  assert.match(h['message-id'] || '', /^<[^<>@\s]+@[^<>@\s]+>$/, `Message-ID: ${h['message-id']}`);
  assert.match(h['content-type'] || '', /^text\/plain;\s*charset="?utf-8"?/i);
  assert.ok(mail.raw.includes('\r\n\r\n'), 'headers end with an empty CRLF line');
  assert.ok(mail.body.includes('Ana López'), 'body is UTF-8 and greets the user by name');
  const url = linkIn(mail, '/verify-email?token=');
  assert.equal(url.origin, baseOrigin, 'link is absolute, on the portal\'s own URL');
  assert.match(url.searchParams.get('token') || '', /^[A-Za-z0-9_-]{20,}$/);
  J.verifyUrl = url;
  assert.equal(sqlValue(`SELECT email_verified_at IS NULL FROM users WHERE email = ${quote(s.email)}`), '1');
});

test('an unverified user sees the banner, and "resend" sends a new link; the older link stops working', async () => {
  const d = await J.client.get('/dashboard');
  assert.equal(d.status, 200);
  assert.match(d.text, /<[^>]*\sdata-email-verified[\s=>]/, 'unverified banner [data-email-verified]');
  const before = mailsTo(J.email).length;
  const r = await J.client.post('/verify-email/resend');
  assert.equal(r.status, 303);
  assert.match(r.location, /^\/dashboard/);
  await waitUntil(() => mailsTo(J.email).length > before, { timeoutMs: 10000, what: 'a second verification email' });
  const mail = mailsTo(J.email).at(-1);
  const url2 = linkIn(mail, '/verify-email?token=');
  assert.notEqual(url2.searchParams.get('token'), J.verifyUrl.searchParams.get('token'), 'a new token');
  const old = await new Client().get(J.verifyUrl.pathname + J.verifyUrl.search);
  assert.equal(old.status, 400, 'the link of the sign-up mail no longer verifies');
  assert.doesNotMatch(old.text, /data-verified/);
  assert.match(old.text, /not valid: it has expired or was already used/, 'the page says the link is not valid');
  assert.equal(sqlValue(`SELECT email_verified_at IS NULL FROM users WHERE email = ${quote(J.email)}`), '1', 'still unverified');
  J.verifyUrl = url2;
});

test('GET /verify-email?token= verifies: 200, and the dashboard no longer shows the banner', async () => {
  const r = await new Client().get(J.verifyUrl.pathname + J.verifyUrl.search);
  assert.equal(r.status, 200);
  assert.match(r.text, /data-verified/);
  assert.equal(sqlValue(`SELECT email_verified_at IS NOT NULL FROM users WHERE email = ${quote(J.email)}`), '1');
  const d = await J.client.get('/dashboard');
  assert.equal(d.status, 200);
  assert.doesNotMatch(d.text, /data-email-verified/, 'banner gone once verified');
});

test('the verification token is single-use; opened again (after a mail scanner) it says the address is verified, not an error', async () => {
  const r = await new Client().get(J.verifyUrl.pathname + J.verifyUrl.search);
  assert.notEqual(r.status, 200, 'second use of the same link');
  assert.equal(r.status, 410, 'the link is used up');
  assert.match(r.text, /data-already-verified="yes"[^>]*>[^<]*your email address is verified/i);
  assert.doesNotMatch(r.text, /class="error/, 'no error shown');
  // The emailed link carries the recipient's language (lang=, which beats Accept-Language); the
  // same page in French:
  assert.equal(J.verifyUrl.searchParams.get('lang'), 'en', 'the link carries the language of the sign-up');
  const frUrl = new URL(J.verifyUrl);
  frUrl.searchParams.set('lang', 'fr');
  const fr = await new Client({ 'accept-language': 'fr' }).get(frUrl.pathname + frUrl.search);
  assert.match(fr.text, /data-already-verified="yes"[^>]*>[^<]*Votre adresse e-mail est vérifiée/);
  const bogus = await new Client().get('/verify-email?token=' + 'A'.repeat(43));
  assert.notEqual(bogus.status, 200, 'an unknown token is refused');
  assert.ok(bogus.status < 500);
});

test('a signed-in user visiting /signin or /signup is redirected to /dashboard', async () => {
  for (const p of ['/signin', '/signup']) {
    const r = await J.client.get(p);
    assert.equal(r.status, 303, p);
    assert.equal(r.location, '/dashboard', p);
  }
});

test('sign-out ends the session; the old session cookie no longer works', async () => {
  const old = sessionOf(J.client);
  await J.client.get('/dashboard');
  const r = await J.client.post('/signout');
  assert.equal(r.status, 303);
  assert.equal(sessionOf(J.client), undefined, 'pd_session cleared');
  const d = await J.client.get('/dashboard');
  assert.equal(d.status, 303);
  assert.equal(d.location, '/signin');
  const replay = new Client();
  replay.cookies.set('pd_session', old);
  const d2 = await replay.get('/dashboard');
  assert.equal(d2.status, 303, 'replayed old cookie');
  assert.equal(d2.location, '/signin');
});

test('sign-in with a wrong password: 401 with the form, email kept, password never echoed', async () => {
  const c = new Client();
  await c.get('/signin');
  const wrong = 'Wr0ng-pass-' + Date.now().toString(36);
  const r = await c.post('/signin', { email: J.email, password: wrong });
  assert.equal(r.status, 401);
  assert.match(r.text, /<form[^>]*action="\/signin"/, 'the sign-in form is shown again');
  assert.ok(!r.text.includes(wrong), 'the password is not echoed');
  assert.equal(inputValue(r.text, 'email'), J.email, 'email kept');
  assert.equal(sessionOf(c), undefined, 'no session');
});

test('sign-in OK: 303 /dashboard, a new session id, and the pre-session CSRF token stops working', async () => {
  const c = new Client();
  await c.get('/signin');
  const preCsrf = c.csrf;
  assert.ok(preCsrf, 'the sign-in form has a csrf token');
  const r = await c.post('/signin', { email: J.email, password: J.password });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/dashboard');
  const sid = sessionOf(c);
  assert.ok(sid, 'pd_session set');
  assert.ok(!J.sessions.includes(sid), 'session id differs from every earlier one');
  J.sessions.push(sid);
  const d = await c.get('/dashboard');
  assert.equal(d.status, 200);
  assert.notEqual(c.csrf, preCsrf, 'the CSRF token changed at sign-in');
  const stale = await c.post('/signout', {}, { csrf: preCsrf });
  assert.equal(stale.status, 403, 'POST with the pre-session token');
  const still = await c.get('/dashboard');
  assert.equal(still.status, 200, 'the refused sign-out changed nothing');
  J.client = c;
});

test('an admin invites a user; the invitation email links to /set-password; the invitee sets a password and is signed in', async () => {
  const c = J.client;
  J.inviteeEmail = `bob.martin@${J.domain}`;
  const page = await c.get('/account/users');
  assert.equal(page.status, 200);
  const r = await c.post('/account/users', { email: J.inviteeEmail, display_name: 'Bob Martin', role: 'member' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const list = await c.get(r.location);
  assert.equal(list.status, 200);
  J.inviteeId = userId(J.inviteeEmail);
  assert.ok(J.inviteeId, 'invitee row created');
  assert.match(list.text, new RegExp(`data-user-id="${J.inviteeId}"[^>]*data-status="invited"`));
  assert.equal(rolesOf(J.inviteeId), 'member:*');
  const mail = await waitMail(J.inviteeEmail, /set-password\?token=/);
  const url = linkIn(mail, '/set-password?token=');
  assert.equal(url.origin, baseOrigin);
  const inv = new Client();
  const form = await inv.get(url.pathname + url.search);
  assert.equal(form.status, 200);
  const token = url.searchParams.get('token');
  const pw = 'invitee password 42';
  const s = await inv.post('/set-password', { token, password: pw, password_confirm: pw });
  assert.equal(s.status, 303, s.text.slice(0, 300));
  assert.equal(s.location, '/dashboard');
  const d = await inv.get('/dashboard');
  assert.equal(d.status, 200);
  assert.match(d.text, /data-role="member"/, 'the invitee\'s role is shown');
  const again = await new Client().get(url.pathname + url.search);
  const reuse = await (async () => { const x = new Client(); await x.get(url.pathname + url.search); return x.post('/set-password', { token, password: 'another password 1', password_confirm: 'another password 1' }); })();
  assert.notEqual(reuse.status, 303, 'the invitation link is single-use');
  assert.ok(again.status < 500 && reuse.status < 500);
  J.invitee = inv;
  J.inviteePassword = pw;
});

test('a member gets 404 on GET/POST /account/users and POST /account/users/{id}/roles; nothing changes', async () => {
  const m = J.invitee;
  await m.get('/dashboard');
  const users = countRows('users');
  const g = await m.get('/account/users');
  assert.equal(g.status, 404);
  const p = await m.post('/account/users', { email: `carol@${J.domain}`, display_name: 'Carol', role: 'member' });
  assert.equal(p.status, 404);
  const selfUp = await m.post(`/account/users/${J.inviteeId}/roles`, { role: 'global_admin' });
  assert.equal(selfUp.status, 404);
  const adminId = userId(J.email);
  const other = await m.post(`/account/users/${adminId}/roles`, { role: 'member' });
  assert.equal(other.status, 404);
  assert.equal(countRows('users'), users, 'no user created');
  assert.equal(rolesOf(J.inviteeId), 'member:*');
  assert.equal(rolesOf(adminId), 'global_admin:*');
});

test('the admin makes the invitee account_admin; the invitee can now open /account/users', async () => {
  const c = J.client;
  await c.get('/account/users');
  const r = await c.post(`/account/users/${J.inviteeId}/roles`, { role: 'account_admin', partner_id: '' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.match(rolesOf(J.inviteeId), /account_admin/);
  const g = await J.invitee.get('/account/users');
  assert.equal(g.status, 200);
  assert.match(g.text, new RegExp(`data-user-id="${J.inviteeId}"[^>]*data-roles="account_admin"`));
});

test('invitations are refused (422, data-field=email) for another domain, a free-mail address and a duplicate', async () => {
  const c = J.client;
  await c.get('/account/users');
  const users = countRows('users');
  const outbox = countRows('outbox');
  for (const email of [`dan@${uniqueDomain('other')}`, 'dan.smith@gmail.com', J.inviteeEmail, J.email, `info@${J.domain}`]) {
    const r = await c.post('/account/users', { email, display_name: 'Dan Smith', role: 'member' });
    assert.equal(r.status, 422, email);
    const errs = fieldErrors(r.text);
    assert.ok(errs.email, `data-field="email" error for ${email}: ${JSON.stringify(errs)}`);
    assert.equal(inputValue(r.text, 'email'), email, 'entered email kept');
    assert.equal(inputValue(r.text, 'display_name'), 'Dan Smith', 'entered name kept');
  }
  assert.equal(countRows('users'), users, 'no user created');
  assert.equal(countRows('outbox'), outbox, 'no email queued');
});

test('tenant isolation: another company\'s admin cannot change this company\'s roles (404, nothing changes)', async () => {
  const other = await signUp({ company: 'Other Corp' });
  const before = rolesOf(J.inviteeId);
  const list = await other.client.get('/account/users');
  assert.equal(list.status, 200);
  assert.ok(!list.text.includes(J.inviteeEmail), 'the other tenant\'s user is not listed');
  for (const fields of [{ role: 'member' }, { role: 'global_admin' }, { role: 'referral_admin', partner_id: '1234567' }]) {
    const r = await other.client.post(`/account/users/${J.inviteeId}/roles`, fields);
    assert.equal(r.status, 404, JSON.stringify(fields));
  }
  const missing = await other.client.post('/account/users/999999999/roles', { role: 'member' });
  assert.equal(missing.status, 404, 'unknown user id: same answer');
  assert.equal(rolesOf(J.inviteeId), before, 'roles unchanged');
  const users = countRows('users');
  const steal = await other.client.post('/account/users', { email: `eve@${J.domain}`, display_name: 'Eve', role: 'member' });
  assert.equal(steal.status, 422, 'inviting an address of the first company\'s domain');
  assert.ok(fieldErrors(steal.text).email);
  assert.equal(countRows('users'), users, 'nobody invited into the other tenant');
});

test('lockout: 5 wrong passwords give 401, the 6th attempt (right password) gives 429', async () => {
  const s = await signUp();
  const c = new Client();
  await c.get('/signin');
  for (let i = 1; i <= 5; i++) {
    const r = await c.post('/signin', { email: s.email, password: `wrong password ${i}` });
    assert.equal(r.status, 401, `attempt ${i}`);
  }
  const r = await c.post('/signin', { email: s.email, password: s.password });
  assert.equal(r.status, 429, '6th attempt with the right password');
  assert.equal(sessionOf(c), undefined, 'no session after a refused sign-in');
  const other = new Client();
  await other.get('/signin');
  const r2 = await other.post('/signin', { email: s.email.toUpperCase(), password: s.password });
  assert.equal(r2.status, 429, 'same account, another client, other letter case');
});

// ---- throttling and rate limits (issue 10): every client address below is a fresh loopback
// address (freshAddress), not exempt from the limits by address as 127.0.0.1 is in the test INI.

// SHA-256 (hex) of a rate_events key, as src/app/throttle.c stores it.
const keyHash = k => createHash('sha256').update(k).digest('hex');
const signinKey = (email, addr) => keyHash(`${email.toLowerCase()}\n${addr}`);
const rateRows = (kind, hash) => countRows('rate_events', `kind = ${quote(kind)} AND key_hash = UNHEX(${quote(hash)})`);
// Moves the events of kind and key back in time, as if minutes had passed.
const ageEvents = (kind, hash, minutes) =>
  sql(`UPDATE rate_events SET at = at - INTERVAL ${Number(minutes)} MINUTE WHERE kind = ${quote(kind)} AND key_hash = UNHEX(${quote(hash)})`);
const retryAfter = r => Number(r.headers.get('retry-after'));
// A 429 as every limit answers: Retry-After in whole seconds, and a page that says when.
function assertThrottled(r, what) {
  assert.equal(r.status, 429, `${what}: ${r.status}`);
  assert.match(r.headers.get('retry-after') || '', /^[1-9][0-9]*$/, `${what}: Retry-After in seconds`);
  const m = r.text.match(/data-retry-after="([0-9]+)"[^>]*>([^<]*)</);
  assert.ok(m, `${what}: the page has [data-retry-after]`);
  assert.equal(Number(m[1]), retryAfter(r), `${what}: the page and the header agree`);
  assert.match(m[2], /^(Try again in|Réessayez dans) [0-9]+ /, `${what}: the page says when to try again`);
}
async function signinFrom(from, email, password, headers = {}) {
  const c = new Client(headers, { from });
  await c.get('/signin');
  const r = await c.post('/signin', { email, password });
  return { c, r };
}

test('the lockout cannot be weaponised: 5 wrong passwords from address A → 429 from A; the owner from address B signs in (303)', async () => {
  const s = await signUp();
  const A = freshAddress(), B = freshAddress();
  const attacker = new Client({}, { from: A });
  await attacker.get('/signin');
  for (let i = 1; i <= 5; i++)
    assert.equal((await attacker.post('/signin', { email: s.email, password: `guess number ${i}` })).status, 401, `attempt ${i} from A`);
  assert.equal(rateRows('signin_fail', signinKey(s.email, A)), 5, 'five failures counted in rate_events for (email, A)');
  const held = await attacker.post('/signin', { email: s.email, password: s.password });
  assertThrottled(held, 'the right password from A');
  assert.ok(retryAfter(held) > 800 && retryAfter(held) <= 900, `about 15 minutes from A (Retry-After ${retryAfter(held)})`);
  assert.equal(sessionOf(attacker), undefined, 'no session for A');
  const xff = new Client({ 'x-forwarded-for': B }, { from: A });
  await xff.get('/signin');
  assert.equal((await xff.post('/signin', { email: s.email, password: s.password })).status, 429,
    'an X-Forwarded-For header from an untrusted peer does not change the client address');

  const { c: owner, r } = await signinFrom(B, s.email, s.password);
  assert.equal(r.status, 303, `the owner from address B: ${r.status}`);
  assert.equal(r.location, '/dashboard');
  assert.ok(sessionOf(owner), 'signed in from B');
  assert.equal((await owner.get('/dashboard')).status, 200);
  assert.equal((await attacker.post('/signin', { email: s.email, password: s.password })).status, 429,
    'A stays held back after the owner signed in elsewhere');
  assert.equal(rateRows('signin_fail', signinKey(s.email, A)), 5, 'A\'s failures are kept');
});

test('growing delays: each failure past the fifth doubles the wait shown in Retry-After, and the page says when (en, fr)', async () => {
  const s = await signUp();
  const A = freshAddress();
  const key = signinKey(s.email, A);
  const c = new Client({}, { from: A });
  await c.get('/signin');
  for (let i = 1; i <= 5; i++) assert.equal((await c.post('/signin', { email: s.email, password: `wrong ${i}` })).status, 401);
  const first = await c.post('/signin', { email: s.email, password: 'wrong 6' });
  assertThrottled(first, 'after 5 failures');
  assert.ok(retryAfter(first) > 800 && retryAfter(first) <= 900, `15 minutes (${retryAfter(first)})`);
  assert.match(first.text, /Try again in 15 minutes\./);
  assert.equal(rateRows('signin_fail', key), 5, 'a refused attempt is not checked, nor counted');

  ageEvents('signin_fail', key, 16); // the 15 minutes are over: one more try (a soft limit)
  assert.equal((await c.post('/signin', { email: s.email, password: 'wrong 6' })).status, 401, 'checked again after the wait');
  const second = await c.post('/signin', { email: s.email, password: s.password });
  assertThrottled(second, 'after 6 failures');
  assert.ok(retryAfter(second) > 1700 && retryAfter(second) <= 1800, `30 minutes after the 6th (${retryAfter(second)})`);

  ageEvents('signin_fail', key, 31);
  assert.equal((await c.post('/signin', { email: s.email, password: 'wrong 7' })).status, 401);
  const fr = new Client({ 'accept-language': 'fr' }, { from: A });
  await fr.get('/signin?lang=fr');
  const third = await fr.post('/signin', { email: s.email, password: s.password });
  assertThrottled(third, 'after 7 failures');
  assert.ok(retryAfter(third) > retryAfter(second) && retryAfter(third) <= 3600, `an hour after the 7th (${retryAfter(third)})`);
  assert.match(third.text, /Réessayez dans 60 minutes\./, 'in French');
  assert.equal(htmlLang(third.text), 'fr');

  ageEvents('signin_fail', key, 61);
  const back = await c.post('/signin', { email: s.email, password: s.password });
  assert.equal(back.status, 303, 'the right password after the wait signs in');
  assert.equal(rateRows('signin_fail', key), 0, 'a sign-in forgets the failures of its address');
});

test('spraying: 30 failed sign-ins with different emails from one address → 429 for any email from it, not from others', async () => {
  const s = await signUp();
  const A = freshAddress();
  const c = new Client({}, { from: A });
  await c.get('/signin');
  for (let i = 1; i <= 30; i++) {
    const r = await c.post('/signin', { email: `user${i}@${uniqueDomain('spray')}`, password: 'Summer2024!!' });
    assert.equal(r.status, 401, `email ${i}`);
  }
  assert.equal(rateRows('signin_fail_address', keyHash(A)), 30, 'the failures of the address are in rate_events');
  const r = await c.post('/signin', { email: s.email, password: s.password });
  assertThrottled(r, 'the 31st email from the address, even with its right password');
  assert.ok(retryAfter(r) <= 900, `within the 15-minute window (${retryAfter(r)})`);
  const other = await signinFrom(freshAddress(), s.email, s.password);
  assert.equal(other.r.status, 303, 'the same account from another address');
});

test('sign-up: 10 per client address per hour, the 11th → 429 with Retry-After, no account and no mail', async () => {
  const A = freshAddress();
  for (let i = 1; i <= 10; i++) await signUp({ from: A });
  assert.equal(rateRows('signup_address', keyHash(A)), 10, 'ten sign-ups counted for the address');
  const domain = uniqueDomain('eleventh');
  const email = `ana.lopez@${domain}`;
  const c = new Client({}, { from: A });
  await c.get('/signup');
  const r = await c.post('/signup', { email, password: 'correct horse battery', display_name: 'Ana', company_name: `Company ${domain}`, country: 'FR' });
  assertThrottled(r, 'the 11th sign-up');
  assert.ok(retryAfter(r) <= 3600);
  assert.equal(countRows('users', `email = ${quote(email)}`), 0, 'no account created');
  assert.equal(countRows('outbox', `to_addr = ${quote(email)}`), 0, 'no mail queued');
  assert.equal(mailsTo(email).length, 0, 'no mail sent');
  const bad = await c.post('/signup', { email: 'not an email', password: 'x', display_name: '', company_name: '', country: 'FR' });
  assert.equal(bad.status, 422, 'an invalid form is still told what is wrong');
  await signUp({ from: freshAddress() }); // another address signs up
});

test('verification resend: one a minute and three an hour per user, 429 with Retry-After and no mail beyond; each resend ends the older links', async () => {
  const s = await signUp({ from: freshAddress() });
  const links = [linkIn(await waitMail(s.email, /verify-email\?token=/), '/verify-email?token=')];
  const uid = userId(s.email);
  const key = keyHash(`user:${uid}`);
  const resend = async () => { await s.client.get('/dashboard'); return s.client.post('/verify-email/resend'); };
  for (let n = 1; n <= 3; n++) {
    const before = mailsTo(s.email).length;
    const ok = await resend();
    assert.equal(ok.status, 303, `resend ${n}`);
    await waitUntil(() => mailsTo(s.email).length > before, { timeoutMs: 10000, what: `mail of resend ${n}` });
    links.push(linkIn(mailsTo(s.email).at(-1), '/verify-email?token='));
    const queued = countRows('outbox', `to_addr = ${quote(s.email)}`);
    if (n < 3) {
      const again = await resend();
      assertThrottled(again, `a second resend within the minute (after ${n})`);
      assert.ok(retryAfter(again) <= 60, `within the minute (${retryAfter(again)})`);
      assert.equal(countRows('outbox', `to_addr = ${quote(s.email)}`), queued, 'nothing queued');
    }
    ageEvents('resend_user', key, 2);
  }
  const hour = await resend();
  assertThrottled(hour, 'a fourth resend within the hour');
  assert.ok(retryAfter(hour) > 60 && retryAfter(hour) <= 3600, `until the hour is over (${retryAfter(hour)})`);
  assert.equal(rateRows('resend_user', key), 3, 'three resends counted');
  assert.equal(countRows('outbox', `to_addr = ${quote(s.email)}`), 4, 'the sign-up mail and three resends, no more');
  for (const [i, url] of links.slice(0, -1).entries()) {
    const r = await new Client().get(url.pathname + url.search);
    assert.equal(r.status, 400, `link ${i} (older) is no longer valid`);
    assert.match(r.text, /not valid/);
  }
  const newest = links.at(-1);
  const r = await new Client().get(newest.pathname + newest.search);
  assert.equal(r.status, 200, 'the newest link verifies');
  assert.match(r.text, /data-verified/);
});

test('password reset requests: 3 per email and 10 per client address per hour; beyond, 429 with Retry-After and no mail', async () => {
  const s = await signUp();
  const A = freshAddress();
  const c = new Client({}, { from: A });
  await c.get('/password/forgot');
  for (let i = 1; i <= 3; i++) assert.equal((await c.post('/password/forgot', { email: s.email })).status, 303, `request ${i}`);
  await waitUntil(() => mailsTo(s.email).filter(m => /password\/reset\?token=/.test(m.body)).length === 3, { timeoutMs: 10000, what: 'three reset mails' });
  const queued = countRows('outbox', `to_addr = ${quote(s.email)}`);
  const fourth = await c.post('/password/forgot', { email: s.email.toUpperCase() });
  assertThrottled(fourth, 'a 4th request for the email');
  const elsewhere = new Client({ 'accept-language': 'fr' }, { from: freshAddress() });
  await elsewhere.get('/password/forgot?lang=fr');
  const fr = await elsewhere.post('/password/forgot', { email: s.email });
  assertThrottled(fr, 'the same email from another address');
  assert.match(fr.text, /Réessayez dans/, 'in French');
  assert.equal(countRows('outbox', `to_addr = ${quote(s.email)}`), queued, 'no mail queued beyond three');
  assert.equal(rateRows('reset_email', keyHash(`email:${s.email}`)), 3);
  for (let i = 4; i <= 10; i++)
    assert.equal((await c.post('/password/forgot', { email: `nobody${i}@${uniqueDomain('reset')}` })).status, 303, `request ${i} from the address`);
  const unknown = `nobody11@${uniqueDomain('reset')}`;
  const eleventh = await c.post('/password/forgot', { email: unknown });
  assertThrottled(eleventh, 'the 11th request from the address');
  assert.equal(rateRows('reset_address', keyHash(A)), 10);
  const s2 = await signUp();
  const other = new Client({}, { from: freshAddress() });
  await other.get('/password/forgot');
  assert.equal((await other.post('/password/forgot', { email: s2.email })).status, 303, 'another address, another email');
  await waitMail(s2.email, /password\/reset\?token=/);
});

test('idle expiry: a session unused for 31 minutes ends (303 /signin)', async () => {
  const s = await signUp();
  const ok = await s.client.get('/dashboard');
  assert.equal(ok.status, 200);
  const id = userId(s.email);
  sql(`UPDATE sessions SET last_seen = NOW(3) - INTERVAL 31 MINUTE, created_at = NOW(3) - INTERVAL 40 MINUTE WHERE user_id = ${id}`);
  const r = await s.client.get('/dashboard');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/signin');
  const r2 = await s.client.get('/dashboard');
  assert.equal(r2.status, 303, 'stays signed out');
});

test('an active session within 30 minutes stays open', async () => {
  const s = await signUp();
  const id = userId(s.email);
  sql(`UPDATE sessions SET last_seen = NOW(3) - INTERVAL 20 MINUTE WHERE user_id = ${id}`);
  const r = await s.client.get('/dashboard');
  assert.equal(r.status, 200);
});

test('an expired verification link is refused and the address stays unverified', async () => {
  const s = await signUp();
  const mail = await waitMail(s.email, /verify-email\?token=/);
  const url = linkIn(mail, '/verify-email?token=');
  const id = userId(s.email);
  sql(`UPDATE email_tokens SET expires_at = NOW(3) - INTERVAL 1 MINUTE WHERE user_id = ${id} AND purpose = 'verify_email'`);
  const r = await new Client().get(url.pathname + url.search);
  assert.notEqual(r.status, 200);
  assert.ok(r.status < 500);
  assert.equal(sqlValue(`SELECT email_verified_at IS NULL FROM users WHERE id = ${id}`), '1');
});

test('staff: partnerdesk-ctl staff add, sign in, dashboard 200, partner admin pages 404', async () => {
  const r = ctl(['staff', 'add', staffEmail, '--role', 'reviewer'], { input: staffPassword + '\n' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(rolesOf(userId(staffEmail)), 'reviewer:*');
  const c = await signIn(staffEmail, staffPassword);
  const d = await c.get('/dashboard');
  assert.equal(d.status, 200);
  assert.match(d.text, /data-role="reviewer"/);
  const u = await c.get('/account/users');
  assert.equal(u.status, 404);
  const p = await c.post('/account/users', { email: `x@${J.domain}`, display_name: 'X', role: 'member' });
  assert.equal(p.status, 404);
  const again = ctl(['staff', 'add', staffEmail, '--role', 'reviewer'], { input: staffPassword + '\n' });
  assert.notEqual(again.status, 0, 'a duplicate staff user is refused');
  assert.match(again.stderr, /already/);
});

test('staff add with a bad role or a short password exits non-zero with a message and creates nothing', async () => {
  const email = `sam.staff@${uniqueDomain('staff')}`;
  const badRole = ctl(['staff', 'add', email, '--role', 'global_admin'], { input: 'long enough password\n' });
  assert.notEqual(badRole.status, 0);
  assert.match(badRole.stderr, /role/i);
  const shortPw = ctl(['staff', 'add', email, '--role', 'reviewer'], { input: 'short\n' });
  assert.notEqual(shortPw.status, 0);
  assert.match(shortPw.stderr, /password|12/i);
  const noPw = ctl(['staff', 'add', email, '--role', 'reviewer'], { input: '' });
  assert.notEqual(noPw.status, 0);
  assert.ok(noPw.stderr.trim().length > 0);
  const badEmail = ctl(['staff', 'add', 'not-an-email', '--role', 'reviewer'], { input: 'long enough password\n' });
  assert.notEqual(badEmail.status, 0);
  assert.ok(badEmail.stderr.trim().length > 0);
  assert.equal(countRows('users', `email = ${quote(email)}`), 0);
});

test('absolute lifetime: a session signed in 12 hours ago ends even while in use (303 /signin)', async () => {
  const s = await signUp();
  const id = userId(s.email);
  sql(`UPDATE sessions SET created_at = NOW(3) - INTERVAL 12 HOUR, last_seen = NOW(3) WHERE user_id = ${id}`);
  const r = await s.client.get('/dashboard');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/signin');
  assert.equal(countRows('sessions', `user_id = ${id}`), 0, 'the session row is gone');
  const r2 = await s.client.get('/dashboard');
  assert.equal(r2.status, 303, 'stays signed out');
  const again = await signIn(s.email, s.password);
  sql(`UPDATE sessions SET created_at = NOW(3) - INTERVAL 11 HOUR - INTERVAL 58 MINUTE, last_seen = NOW(3) WHERE user_id = ${id}`);
  assert.equal((await again.get('/dashboard')).status, 200, 'a session of 11 h 58 min still holds');
});

// Two clients of one user, each with its own browser; returns { a, b, s } (s: the sign-up client).
async function twoClients(s) {
  const uaA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 AgentA-' + Date.now();
  const a = await signIn(s.email, s.password, { 'user-agent': uaA });
  const b = await signIn(s.email, s.password, { 'user-agent': 'AgentB/2.0' });
  return { a, b, uaA };
}

test('GET /account/sessions lists the live sessions of two clients, the current one marked', async () => {
  const s = await signUp();
  const { a, b, uaA } = await twoClients(s);
  const other = await signUp();
  const page = await a.get('/account/sessions');
  assert.equal(page.status, 200);
  const rows = sessionRows(page.text);
  assert.equal(rows.length, 3, 'the sign-up session and the two sign-ins (no other user\'s)');
  const current = rows.filter(r => r.current === 'yes');
  assert.equal(current.length, 1, 'one row is data-current="yes"');
  assert.ok(current[0].cells[3].startsWith(uaA.slice(0, 40)), 'the current row is this client\'s browser');
  assert.ok(current[0].cells[3].length < uaA.length, 'a long user agent is shortened');
  assert.ok(rows.some(r => r.current !== 'yes' && r.cells[3] === 'AgentB/2.0'), 'the other client is listed');
  assert.ok(rows.every(r => r.cells[2] === '127.0.0.1'), 'the client address is shown');
  assert.ok(rows.every(r => /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(r.cells[0]) && /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(r.cells[1])),
    'created and last seen are shown');
  const secrets = [sessionOf(a), sessionOf(b), sessionOf(s.client)];
  const hashes = secrets.map(t => createHash('sha256').update(t).digest());
  for (const r of rows) {
    assert.match(r.id, /^[0-9a-f]{32}$/);
    assert.ok(!secrets.includes(r.id) && !hashes.some(h => [h.toString('hex'), h.toString('base64url')].includes(r.id)),
      'the id is neither a cookie value nor its hash');
  }
  assert.ok(!secrets.some(t => page.text.includes(t)), 'no cookie value on the page');
  assert.equal(sessionRows((await other.client.get('/account/sessions')).text).length, 1, 'the other user sees only theirs');
  const settings = await a.get('/settings/account');
  assert.match(settings.text, /<a href="\/account\/sessions"/, 'linked from the account settings');
  const fr = await a.get('/account/sessions?lang=fr');
  assert.match(fr.text, /Vos sessions/, 'the page in French');
});

test('signing out one session from another client signs that client out; the others stay', async () => {
  const s = await signUp();
  const { a, b } = await twoClients(s);
  const rowsB = sessionRows((await b.get('/account/sessions')).text);
  const idB = rowsB.find(r => r.current === 'yes').id;
  await a.get('/account/sessions');
  const r = await a.post(`/account/sessions/${idB}/signout`);
  assert.equal(r.status, 303);
  assert.equal(r.location, '/account/sessions?ended=1');
  const gone = await b.get('/dashboard');
  assert.equal(gone.status, 303, 'the other client is signed out');
  assert.equal(gone.location, '/signin');
  assert.equal((await a.get('/dashboard')).status, 200, 'this client stays signed in');
  assert.equal((await s.client.get('/dashboard')).status, 200, 'the third session stays');
  const after = await a.get('/account/sessions');
  assert.ok(!sessionRows(after.text).some(x => x.id === idB), 'no longer listed');
  const again = await a.post(`/account/sessions/${idB}/signout`);
  assert.equal(again.status, 404, 'an ended session is not found');
});

test('sign out of all other sessions keeps the current one', async () => {
  const s = await signUp();
  const { a, b } = await twoClients(s);
  await a.get('/account/sessions');
  const r = await a.post('/account/sessions/signout-others');
  assert.equal(r.status, 303);
  assert.equal(r.location, '/account/sessions?others=1');
  for (const c of [b, s.client]) {
    const d = await c.get('/dashboard');
    assert.equal(d.status, 303, 'another session ended');
    assert.equal(d.location, '/signin');
  }
  const page = await a.get('/account/sessions');
  assert.equal(page.status, 200, 'the current session stays');
  const rows = sessionRows(page.text);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].current, 'yes');
  assert.equal(countRows('sessions', `user_id = ${userId(s.email)}`), 1);
});

test('another user\'s session id → 404, nothing changes; a POST without a valid CSRF token → 403', async () => {
  const s = await signUp();
  const victim = await signUp();
  const victimId = sessionRows((await victim.client.get('/account/sessions')).text)[0].id;
  await s.client.get('/account/sessions');
  const r = await s.client.post(`/account/sessions/${victimId}/signout`);
  assert.equal(r.status, 404);
  assert.equal((await victim.client.get('/dashboard')).status, 200, 'the other user stays signed in');
  const unknown = await s.client.post('/account/sessions/0123456789abcdef0123456789abcdef/signout');
  assert.equal(unknown.status, 404, 'an unknown id');

  const { b } = await twoClients(s);
  const idB = sessionRows((await b.get('/account/sessions')).text).find(x => x.current === 'yes').id;
  const preCsrf = (await new Client().get('/signin')).text.match(/name="csrf" value="([^"]+)"/)[1];
  for (const csrf of [null, 'wrong', preCsrf, b.csrf]) {
    const label = csrf === null ? 'missing' : csrf === b.csrf ? 'another session\'s' : csrf === preCsrf ? 'a pre-session\'s' : 'wrong';
    const one = await s.client.post(`/account/sessions/${idB}/signout`, {}, { csrf });
    assert.equal(one.status, 403, `sign out one, ${label} token`);
    const others = await s.client.post('/account/sessions/signout-others', {}, { csrf });
    assert.equal(others.status, 403, `sign out others, ${label} token`);
  }
  assert.equal((await b.get('/dashboard')).status, 200, 'nothing was signed out');
  assert.equal(countRows('sessions', `user_id = ${userId(s.email)}`), 3, 'the sign-up\'s and the two sign-ins\' sessions');
});

test('the server issues the pre-session token: a forged pd_pre is replaced and its CSRF token refused (403)', async () => {
  const s = await signUp();
  const fresh = new Client();
  const first = await fresh.get('/signin');
  const issued = preOf(fresh);
  assert.ok(issued, 'a pre-session cookie is set');
  assert.equal(csrfFor(issued), fresh.csrf, 'the form token is derived from the issued pre-session');
  assert.equal(first.headers.get('strict-transport-security'), null, 'no HSTS with an http base_url');
  assert.ok(first.headers.getSetCookie().some(c => c.startsWith('pd_pre=') && !/;\s*Secure/i.test(c)),
    'with an http base_url the cookie keeps its name, without Secure');
  const kept = await fresh.get('/signin');
  assert.equal(preOf(fresh), issued, 'an issued value is kept');
  assert.ok(!kept.headers.getSetCookie().some(c => c.startsWith('pd_pre=')), 'and not set again');

  // An attacker's made-up value, well-formed (the letters and length of a real one).
  const forged = 'Attacker' + 'x'.repeat(38) + 'Fixed123';
  const victim = new Client();
  victim.cookies.set('pd_pre', forged);
  const page = await victim.get('/signin');
  const set = page.headers.getSetCookie().find(c => c.startsWith('pd_pre='));
  assert.ok(set, 'the forged cookie is replaced');
  assert.notEqual(preOf(victim), forged);
  assert.notEqual(victim.csrf, csrfFor(forged), 'the form token is not derived from the forged value');
  assert.equal(victim.csrf, csrfFor(preOf(victim)), 'but from the new one');

  // The attacker's request with the forged cookie and the token they computed from it.
  const attacker = new Client();
  attacker.cookies.set('pd_pre', forged);
  const r = await attacker.post('/signin', { email: s.email, password: s.password }, { csrf: csrfFor(forged) });
  assert.equal(r.status, 403, 'a token computed from a forged pre-session');
  assert.equal(sessionOf(attacker), undefined, 'no session');
  // The same with an issued value goes through: the refusal above is the forged value's.
  const ok = new Client();
  await ok.get('/signin');
  const signedIn = await ok.post('/signin', { email: s.email, password: s.password }, { csrf: csrfFor(preOf(ok)) });
  assert.equal(signedIn.status, 303);
});

// ---- Passwords (issue 10): the policy, reset by email, change ----
// Passwords set by the tests below, for the last test (never in logs or mails).
const newPasswords = [];

// POST /signup with a password for a new company; { r, email, domain }.
async function signupWith(password, { company, local = 'ana.lopez', lang = 'en' } = {}) {
  const domain = uniqueDomain('pw');
  const email = `${local}@${domain}`;
  const c = new Client({ 'accept-language': lang });
  await c.get(`/signup?lang=${lang}`);
  const r = await c.post('/signup', { email, password, display_name: 'Ana López', company_name: company || `Company ${domain}`, country: 'FR' });
  return { r, email, domain, client: c };
}

// Asks for a reset link for email with a fresh client; the link's token once it is mailed.
async function askReset(email, { lang = 'en' } = {}) {
  const c = new Client({ 'accept-language': lang });
  await c.get(`/password/forgot?lang=${lang}`);
  const before = mailsTo(email).length;
  const r = await c.post('/password/forgot', { email });
  assert.equal(r.status, 303, `POST /password/forgot answered ${r.status}`);
  assert.equal(r.location, '/password/forgot?sent=1');
  await waitUntil(() => mailsTo(email).filter(m => /password\/reset\?token=/.test(m.body)).length > 0 &&
    mailsTo(email).length > before, { timeoutMs: 10000, what: 'a reset email' });
  const mail = mailsTo(email).filter(m => /password\/reset\?token=/.test(m.body)).at(-1);
  return { mail, token: linkIn(mail, '/password/reset?token=').searchParams.get('token'), response: r };
}

const tokenRow = token => `token_hash = UNHEX(SHA2(${quote(token)}, 256))`;

test('password policy at sign-up: common, systematic and blank passwords are refused with 422 next to password', async () => {
  for (const pw of ['passwordpassword', '123456789012', ' '.repeat(12), 'aaaaaaaaaaaaaaaa', 'letmein12345']) {
    const { r, email } = await signupWith(pw);
    assert.equal(r.status, 422, `${JSON.stringify(pw)} answered ${r.status}`);
    const errs = fieldErrors(r.text);
    assert.ok(errs.password, `an error next to password for ${JSON.stringify(pw)}`);
    assert.deepEqual(Object.keys(errs), ['password'], `only the password is wrong for ${JSON.stringify(pw)}`);
    assert.equal(countRows('users', `email = ${quote(email)}`), 0, 'no account created');
  }
  const fr = await signupWith('passwordpassword', { lang: 'fr' });
  assert.equal(fr.r.status, 422);
  assert.match(fieldErrors(fr.r.text).password, /mot de passe est trop courant/, 'the refusal in French');
});

test('password policy: the email\'s local part, the email and the company\'s name are refused', async () => {
  const local = await signupWith('my ana.lopez secret words');
  assert.equal(local.r.status, 422);
  assert.match(fieldErrors(local.r.text).password || '', /email/i, 'the local part');
  const upper = await signupWith('My ANA.LOPEZ Secret Words');
  assert.equal(upper.r.status, 422, 'the local part in capitals');
  const company = await signupWith('blue Fabrikam horizon', { company: 'Fabrikam Industries' });
  assert.equal(company.r.status, 422);
  assert.match(fieldErrors(company.r.text).password || '', /company/i, 'a word of the company\'s name');
  const word = await signupWith('industries of the moon', { company: 'Fabrikam Industries' });
  assert.equal(word.r.status, 422, 'any word of 4 letters or more of the name, whatever the case');
  const short = await signupWith('co op saga winter moon', { company: 'Co Op' });
  assert.equal(short.r.status, 303, 'words under 4 letters of the name are not compared');
});

test('password policy: 129 characters refused, 128 accepted, 12 multi-byte characters accepted', async () => {
  const long = 'velvet crane orbit '.repeat(7);
  const p128 = long.slice(0, 128), p129 = long.slice(0, 129);
  const r129 = await signupWith(p129);
  assert.equal(r129.r.status, 422, '129 characters');
  assert.ok(fieldErrors(r129.r.text).password, 'next to password');
  const r128 = await signupWith(p128);
  assert.equal(r128.r.status, 303, `128 characters answered ${r128.r.status}: ${JSON.stringify(fieldErrors(r128.r.text))}`);
  const mb = 'ключ-к-двери';
  assert.equal([...mb].length, 12);
  assert.ok(Buffer.byteLength(mb) > 12);
  const rmb = await signupWith(mb);
  assert.equal(rmb.r.status, 303, `12 multi-byte characters answered ${rmb.r.status}`);
  assert.equal((await signIn(rmb.email, mb).then(c => c.get('/dashboard'))).status, 200, 'and sign in with them');
  newPasswords.push(p128, mb);
});

test('forgotten password: the sign-in page links to it; unknown and known emails get the same 303, only the known one a mail', async () => {
  const signin = await new Client().get('/signin');
  assert.match(signin.text, /<a href="\/password\/forgot"/, 'link on the sign-in page');
  const s = await signUp();
  const unknown = `nobody.here@${uniqueDomain('pw')}`;
  const c = new Client();
  const form = await c.get('/password/forgot');
  assert.equal(form.status, 200);
  assert.match(form.text, /<input[^>]*name="email"/);
  const r1 = await c.post('/password/forgot', { email: unknown });
  const r2 = await c.post('/password/forgot', { email: s.email });
  assert.equal(r1.status, 303);
  assert.equal(r2.status, 303);
  assert.equal(r1.location, r2.location, 'the same answer');
  assert.equal(countRows('outbox', `to_addr = ${quote(unknown)}`), 0, 'no mail to an unknown address');
  assert.equal(countRows('outbox', `to_addr = ${quote(s.email)} AND body LIKE '%/password/reset?token=%'`), 1, 'one reset mail');
  const sent = await c.get(r2.location);
  assert.equal(sent.status, 200);
  assert.match(sent.text, /data-reset-sent/);
  const mail = await waitMail(s.email, /password\/reset\?token=/);
  assert.equal(linkIn(mail, '/password/reset?token=').origin, new URL(BASE).origin, 'an absolute link');
  const bad = await c.post('/password/forgot', { email: 'not an email' });
  assert.equal(bad.status, 422);
  assert.ok(fieldErrors(bad.text).email);
});

test('reset: the link\'s GET does not use it; mismatched or weak passwords 422; POST sets the password, ends every session, mails a notice; the link is single-use', async () => {
  const s = await signUp();
  const other = await signIn(s.email, s.password);
  assert.equal((await other.get('/dashboard')).status, 200);
  const { token } = await askReset(s.email);
  const c = new Client();
  for (let i = 0; i < 2; i++) {
    const g = await c.get(`/password/reset?token=${token}`);
    assert.equal(g.status, 200, `GET ${i + 1} shows the form`);
    assert.equal(inputValue(g.text, 'token'), token, 'the token in a hidden field');
    assert.match(g.text, /<input[^>]*name="password_confirm"/);
  }
  assert.equal(sqlValue(`SELECT used_at IS NULL FROM email_tokens WHERE ${tokenRow(token)}`), '1', 'GET left the token unused');
  const pw = 'maple lantern voyage 42';
  const mismatch = await c.post('/password/reset', { token, password: pw, password_confirm: pw + 'x' });
  assert.equal(mismatch.status, 422);
  assert.ok(fieldErrors(mismatch.text).password_confirm, 'error next to password_confirm');
  assert.equal(inputValue(mismatch.text, 'token'), token, 'the form keeps the token');
  const weak = await c.post('/password/reset', { token, password: 'passwordpassword', password_confirm: 'passwordpassword' });
  assert.equal(weak.status, 422);
  assert.ok(fieldErrors(weak.text).password, 'the policy applies to a reset');
  assert.equal(sqlValue(`SELECT used_at IS NULL FROM email_tokens WHERE ${tokenRow(token)}`), '1', 'refused POSTs left it unused');
  const before = mailsTo(s.email).length;
  const ok = await c.post('/password/reset', { token, password: pw, password_confirm: pw });
  assert.equal(ok.status, 303, ok.text.slice(0, 300));
  assert.match(ok.location, /^\/signin\?/);
  assert.match((await c.get(ok.location)).text, /data-password-reset/, 'the sign-in page says so');
  for (const [name, cl] of [['the sign-up session', s.client], ['another session', other]]) {
    const d = await cl.get('/dashboard');
    assert.equal(d.status, 303, `${name} is signed out`);
  }
  assert.equal(countRows('sessions', `user_id = ${userId(s.email)}`), 0, 'no session of the user left');
  const old = new Client();
  await old.get('/signin');
  assert.equal((await old.post('/signin', { email: s.email, password: s.password })).status, 401, 'the old password fails');
  assert.equal((await (await signIn(s.email, pw)).get('/dashboard')).status, 200, 'the new one works');
  await waitUntil(() => mailsTo(s.email).length > before, { timeoutMs: 10000, what: 'the notice mail' });
  assert.match(mailsTo(s.email).at(-1).body, /password of your partnerdesk account was just changed/);
  assert.equal(countRows('audit_log', `action = 'user.password_reset' AND object = ${quote(s.email)}`), 1, 'audited');
  const again = new Client();
  await again.get('/password/forgot'); // a csrf token: the "not valid" page has no form
  const g2 = await again.get(`/password/reset?token=${token}`);
  assert.equal(g2.status, 400, 'a used link shows the "not valid" page');
  assert.match(g2.text, /href="\/password\/forgot"/, 'with a link to ask again');
  const p2 = await again.post('/password/reset', { token, password: 'other lantern voyage 43', password_confirm: 'other lantern voyage 43' });
  assert.equal(p2.status, 422, 'a second POST with the same token');
  assert.ok(fieldErrors(p2.text).token);
  assert.equal((await (await signIn(s.email, pw)).get('/dashboard')).status, 200, 'the password did not change again');
  newPasswords.push(pw);
});

test('reset: an expired link is refused, and a newer request invalidates the older link', async () => {
  const s = await signUp();
  const first = await askReset(s.email);
  sql(`UPDATE email_tokens SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE ${tokenRow(first.token)}`);
  const c = new Client();
  await c.get('/password/forgot'); // a csrf token: the "not valid" page has no form
  assert.equal((await c.get(`/password/reset?token=${first.token}`)).status, 400, 'GET of an expired link');
  const pw = 'juniper harbor signal 7';
  const exp = await c.post('/password/reset', { token: first.token, password: pw, password_confirm: pw });
  assert.equal(exp.status, 422, 'POST with an expired link');
  assert.ok(fieldErrors(exp.text).token);
  const second = await askReset(s.email);
  const third = await askReset(s.email);
  assert.notEqual(second.token, third.token);
  assert.equal(sqlValue(`SELECT TIMESTAMPDIFF(MINUTE, NOW(3), expires_at) BETWEEN 58 AND 60 FROM email_tokens WHERE ${tokenRow(third.token)}`), '1', 'valid one hour');
  assert.equal((await c.get(`/password/reset?token=${second.token}`)).status, 400, 'the older link no longer works');
  const old = await c.post('/password/reset', { token: second.token, password: pw, password_confirm: pw });
  assert.equal(old.status, 422);
  assert.equal((await c.get(`/password/reset?token=${third.token}`)).status, 200, 'the newest one does');
  const ok = await c.post('/password/reset', { token: third.token, password: pw, password_confirm: pw });
  assert.equal(ok.status, 303);
  newPasswords.push(pw);
});

test('change password: linked from account settings; wrong current or same password 422; success ends the other sessions and keeps this one', async () => {
  const s = await signUp();
  const other = await signIn(s.email, s.password);
  const settings = await s.client.get('/settings/account');
  assert.match(settings.text, /<a href="\/account\/password"/, 'linked from the account settings');
  const form = await s.client.get('/account/password');
  assert.equal(form.status, 200);
  const pw = 'copper meadow whistle 9';
  const wrong = await s.client.post('/account/password', { current_password: 'not my password at all', password: pw, password_confirm: pw });
  assert.equal(wrong.status, 422);
  assert.ok(fieldErrors(wrong.text).current_password, 'error next to current_password');
  const same = await s.client.post('/account/password', { current_password: s.password, password: s.password, password_confirm: s.password });
  assert.equal(same.status, 422);
  assert.ok(fieldErrors(same.text).password, 'the same password is refused next to password');
  const weak = await s.client.post('/account/password', { current_password: s.password, password: '123456789012', password_confirm: '123456789012' });
  assert.equal(weak.status, 422);
  assert.ok(fieldErrors(weak.text).password, 'the policy applies');
  const mismatch = await s.client.post('/account/password', { current_password: s.password, password: pw, password_confirm: 'copper meadow whistle 8' });
  assert.equal(mismatch.status, 422);
  assert.ok(fieldErrors(mismatch.text).password_confirm);
  assert.equal((await other.get('/dashboard')).status, 200, 'refused changes ended nothing');
  const sid = sessionOf(s.client);
  const before = mailsTo(s.email).length;
  const ok = await s.client.post('/account/password', { current_password: s.password, password: pw, password_confirm: pw });
  assert.equal(ok.status, 303, ok.text.slice(0, 300));
  assert.match(ok.location, /^\/settings\/account/);
  assert.notEqual(sessionOf(s.client), sid, 'this session got a new id');
  const page = await s.client.get(ok.location);
  assert.equal(page.status, 200, 'this session is still signed in');
  assert.match(page.text, /data-password-changed/, 'with a notice');
  assert.equal((await other.get('/dashboard')).status, 303, 'the other session is signed out');
  const replay = new Client();
  replay.cookies.set('pd_session', sid);
  assert.equal((await replay.get('/dashboard')).status, 303, 'the old id of this session no longer works');
  const old = new Client();
  await old.get('/signin');
  assert.equal((await old.post('/signin', { email: s.email, password: s.password })).status, 401, 'the old password fails');
  assert.equal((await (await signIn(s.email, pw)).get('/dashboard')).status, 200, 'the new one works');
  await waitUntil(() => mailsTo(s.email).length > before, { timeoutMs: 10000, what: 'the notice mail' });
  assert.match(mailsTo(s.email).at(-1).headers.subject, /password was changed/);
  assert.equal(countRows('audit_log', `action = 'user.password_change' AND object = ${quote(s.email)}`), 1, 'audited');
  assert.equal((await new Client().get('/account/password')).status, 303, 'signed out: to /signin');
  newPasswords.push(pw);
});

test('CSRF: each new password POST without a valid token answers 403 and changes nothing', async () => {
  const s = await signUp();
  const { token } = await askReset(s.email);
  const pw = 'orchid falcon meadow 3';
  const anon = new Client();
  await anon.get('/password/forgot');
  const before = countRows('outbox', `to_addr = ${quote(s.email)}`);
  for (const csrf of [null, 'A'.repeat(43)]) {
    assert.equal((await anon.post('/password/forgot', { email: s.email }, { csrf })).status, 403, 'POST /password/forgot');
    assert.equal((await anon.post('/password/reset', { token, password: pw, password_confirm: pw }, { csrf })).status, 403, 'POST /password/reset');
    assert.equal((await s.client.post('/account/password', { current_password: s.password, password: pw, password_confirm: pw }, { csrf })).status, 403, 'POST /account/password');
  }
  assert.equal(countRows('outbox', `to_addr = ${quote(s.email)}`), before, 'no mail');
  assert.equal(sqlValue(`SELECT used_at IS NULL FROM email_tokens WHERE ${tokenRow(token)}`), '1', 'the token is unused');
  assert.equal((await s.client.get('/dashboard')).status, 200, 'still signed in with the old password');
});

test('French: the forgotten-password pages and both mails are in French for a French user', async () => {
  const s = await signUp({ lang: 'fr' });
  const c = new Client({ 'accept-language': 'fr' });
  const form = await c.get('/password/forgot?lang=fr');
  assert.equal(htmlLang(form.text), 'fr');
  assert.match(form.text, /Mot de passe oublié/);
  // Asked from an English browser: the mail follows the user's language.
  const { mail, token } = await askReset(s.email, { lang: 'en' });
  assert.match(mail.headers.subject, /Choisissez un nouveau mot de passe/);
  assert.match(mail.body, /valable une heure/);
  const page = await c.get(`/password/reset?token=${token}&lang=fr`);
  assert.equal(page.status, 200);
  assert.match(page.text, /Nouveau mot de passe/);
  const mismatch = await c.post('/password/reset', { token, password: 'lune pivoine rivage 5', password_confirm: 'autre' });
  assert.equal(mismatch.status, 422);
  assert.match(fieldErrors(mismatch.text).password_confirm, /diffèrent/);
  const before = mailsTo(s.email).length;
  const pw = 'lune pivoine rivage 5';
  assert.equal((await c.post('/password/reset', { token, password: pw, password_confirm: pw })).status, 303);
  await waitUntil(() => mailsTo(s.email).length > before, { timeoutMs: 10000, what: 'the notice mail' });
  assert.match(mailsTo(s.email).at(-1).headers.subject, /Votre mot de passe partnerdesk a été changé/);
  const invalid = await c.get('/password/reset?token=' + 'B'.repeat(43));
  assert.equal(invalid.status, 400);
  assert.match(invalid.text, /Ce lien n’est pas valable/);
  const signed = await signIn(s.email, pw, { 'accept-language': 'fr' });
  const change = await signed.get('/account/password?lang=fr');
  assert.match(change.text, /Mot de passe actuel/);
  const wrong = await signed.post('/account/password', { current_password: 'pas le bon du tout', password: 'x'.repeat(12), password_confirm: 'x'.repeat(12) });
  assert.equal(wrong.status, 422);
  assert.match(fieldErrors(wrong.text).current_password, /Ce n’est pas votre mot de passe actuel/);
  assert.match(fieldErrors(wrong.text).password, /caractère répété/);
  newPasswords.push(pw);
});

test('passwords never appear in the logs or the mail spool', async () => {
  const secrets = [J.password, J.inviteePassword, staffPassword, ...newPasswords].filter(Boolean);
  assert.ok(secrets.length >= 2, 'the journey ran');
  const files = [];
  for (const dir of ['log', 'mail']) {
    let names = [];
    try { names = readdirSync(join(VAR, dir)); } catch { continue; }
    for (const n of names) files.push(join(VAR, dir, n));
  }
  for (const f of files) {
    let text;
    try { text = readFileSync(f, 'utf8'); } catch { continue; }
    for (const p of secrets) {
      assert.ok(!text.includes(p) && !text.includes(encodeURIComponent(p)) && !text.includes(p.replace(/ /g, '+')), `${f} contains a password`);
    }
  }
});


// ---- domain claims (issue 10): an unverified sign-up holds its domain for 48 h only ----

const claimOf = domain => sql(`SELECT d.tenant_id, DATE_FORMAT(d.claimed_at + INTERVAL 48 HOUR, '%Y-%m-%d %H:%i') FROM tenant_domains d WHERE d.domain = ${quote(domain)}`)[0] || null;
const backdateClaim = (domain, seconds) => sql(`UPDATE tenant_domains SET claimed_at = NOW(3) - INTERVAL ${Number(seconds)} SECOND WHERE domain = ${quote(domain)}`);
const H48 = 48 * 3600;
async function signUpAs(email, { lang = 'en', company = 'Contoso Rightful' } = {}) {
  const c = new Client({ 'accept-language': lang });
  await c.get(`/signup?lang=${lang}`);
  const r = await c.post('/signup', { email, password: 'blue pelican harbour 77', display_name: 'Rightful Owner', company_name: company, country: 'FR' });
  return { client: c, r };
}
const claimRow = (html, domain) => tagsWithAttr(html, 'tr', 'data-domain').find(a => a['data-domain'] === domain);
function tagsWithAttr(html, tag, attr) {
  return [...html.matchAll(new RegExp(`<${tag}\\b[^>]*\\s${attr}="[^"]*"[^>]*>`, 'g'))].map(m =>
    Object.fromEntries([...m[0].matchAll(/\s([a-z-]+)="([^"]*)"/g)].map(x => [x[1], x[2]])));
}

test('claims: a sign-up on a domain held by an unverified company younger than 48 h is refused (422), saying when it is released, in both languages', async () => {
  const first = await signUp();
  const [tenant, releases] = claimOf(first.domain);
  for (const [lang, words] of [['en', /waiting for its first user to confirm[\s\S]*invite[\s\S]*released on (\d{4}-\d\d-\d\d \d\d:\d\d) UTC/],
    ['fr', /attend que son premier utilisateur confirme[\s\S]*inviter[\s\S]*libéré le (\d{4}-\d\d-\d\d \d\d:\d\d) UTC/]]) {
    const { r } = await signUpAs(`rightful.owner@${first.domain}`, { lang });
    assert.equal(r.status, 422);
    const m = (fieldErrors(r.text).email || '').match(words);
    assert.ok(m, `${lang}: ${fieldErrors(r.text).email}`);
    assert.equal(m[1], releases, 'the date is the sign-up\'s plus 48 h');
  }
  backdateClaim(first.domain, H48 - 60);
  assert.equal((await signUpAs(`rightful.owner@${first.domain}`)).r.status, 422, 'one minute before 48 h: still held');
  assert.equal(claimOf(first.domain)[0], tenant, 'the claim is unchanged');
  assert.equal(countRows('users', `email = ${quote(`rightful.owner@${first.domain}`)}`), 0);
});

test('claims: after 48 h unverified, a new sign-up takes the domain over in one go; the stale company and its users are removed, audited', async () => {
  const first = await signUp();
  const oldTenant = tenantOf(first.email);
  backdateClaim(first.domain, H48 + 60);
  const { client, r } = await signUpAs(`rightful.owner@${first.domain}`);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(r.location, '/dashboard');
  const newTenant = tenantOf(`rightful.owner@${first.domain}`);
  assert.ok(newTenant && newTenant !== oldTenant);
  assert.equal(claimOf(first.domain)[0], newTenant, 'the claim is the new company\'s, fresh');
  assert.equal(countRows('tenants', `id = ${oldTenant}`), 0, 'the stale company is gone');
  assert.equal(countRows('users', `tenant_id = ${oldTenant}`), 0, 'with its users');
  assert.equal(countRows('users', `email = ${quote(first.email)}`), 0);
  assert.equal(countRows('tenant_domains', `tenant_id = ${oldTenant}`), 0);
  const audit = sql(`SELECT actor_kind, before_json, after_json FROM audit_log WHERE tenant_id = ${oldTenant} AND action = 'domain_claim.takeover' AND object = ${quote(first.domain)}`);
  assert.equal(audit.length, 1, 'one audit row about the old company');
  assert.ok(audit[0][1].includes(first.email) && audit[0][1].includes(first.domain), `before: ${audit[0][1]}`);
  assert.ok(audit[0][2].includes(`rightful.owner@${first.domain}`), `after: ${audit[0][2]}`);
  const old = await first.client.get('/dashboard');
  assert.equal(old.status, 303, 'the stale user\'s session ended');
  assert.equal((await client.get('/dashboard')).status, 200);
  // The forgetful owner: the same address signs up again once its own claim expired.
  const again = await signUp();
  backdateClaim(again.domain, H48);
  const same = await signUpAs(again.email);
  assert.equal(same.r.status, 303, 'the same address signs up again after 48 h');
});

test('claims: a verified company\'s domain is never taken over, whatever its age', async () => {
  const v = await signUp();
  await verifyEmail(v.email);
  const tenant = tenantOf(v.email);
  backdateClaim(v.domain, 400 * 24 * 3600);
  const { r } = await signUpAs(`rightful.owner@${v.domain}`);
  assert.equal(r.status, 422);
  assert.match(fieldErrors(r.text).email || '', /already has an account[\s\S]*invite/i);
  assert.doesNotMatch(fieldErrors(r.text).email, /released/);
  assert.equal(claimOf(v.domain)[0], tenant);
  assert.equal(countRows('users', `tenant_id = ${tenant}`), 1);
});

test('claims: housekeeping (partnerdesk-ctl claims expire, also run by the mailer) removes expired unverified companies only', async () => {
  const stale = await signUp(), fresh = await signUp(), held = await signUp();
  await verifyEmail(held.email);
  const staleTenant = tenantOf(stale.email);
  backdateClaim(stale.domain, H48 + 1);
  backdateClaim(held.domain, H48 * 10);
  const out = ctl(['claims', 'expire']);
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /[1-9]\d* expired claim\(s\) released/);
  assert.equal(claimOf(stale.domain), null, 'the expired claim is released');
  assert.equal(countRows('tenants', `id = ${staleTenant}`), 0);
  assert.equal(countRows('users', `tenant_id = ${staleTenant}`), 0);
  assert.equal(sqlValue(`SELECT actor_kind FROM audit_log WHERE tenant_id = ${staleTenant} AND action = 'domain_claim.expire'`), 'system');
  assert.ok(claimOf(fresh.domain), 'a fresh claim stays');
  assert.ok(claimOf(held.domain), 'a verified claim stays');
  const again = ctl(['claims', 'expire']);
  assert.equal(again.status, 0);
  assert.ok(claimOf(fresh.domain) && claimOf(held.domain));
  // The domain is free: a plain sign-up (no take-over) creates a company.
  assert.equal((await signUpAs(`rightful.owner@${stale.domain}`)).r.status, 303);
});

test('claims: a staff admin sees every claim at /staff/claims (linked from the navigation) and releases an unverified one; a verified one → 409; audited', async () => {
  const admin = await staffMember('staff_admin');
  const pending = await signUp(), held = await signUp();
  await verifyEmail(held.email);
  const pendingTenant = tenantOf(pending.email);
  const dash = await admin.client.get('/dashboard');
  assert.match(dash.text, /<a href="\/staff\/claims"/, 'the staff navigation links to the claims');
  for (const [d, verified, state] of [[pending.domain, 'no', 'pending'], [held.domain, 'yes', 'held']]) {
    const page = await admin.client.get(`/staff/claims?q=${d}`);
    assert.equal(page.status, 200);
    const row = claimRow(page.text, d);
    assert.ok(row, `tr[data-domain="${d}"]`);
    assert.equal(row['data-verified'], verified);
    assert.equal(row['data-state'], state);
    assert.equal(row['data-tenant-id'], tenantOf(d === held.domain ? held.email : pending.email));
    assert.equal(row['data-age-hours'], '0');
  }
  const fr = await admin.client.get(`/staff/claims?q=${pending.domain}&lang=fr`);
  assert.match(fr.text, /Domaines revendiqués/);
  assert.match(fr.text, /En attente de confirmation jusqu’au/);
  await admin.client.get('/staff/claims?lang=en');
  const heldPage = await admin.client.get(`/staff/claims?q=${held.domain}`);
  assert.doesNotMatch(heldPage.text, new RegExp(`action="/staff/claims/${held.domain.replace(/\./g, '\\.')}/release"`), 'no release button for a verified claim');
  const refused = await admin.client.post(`/staff/claims/${held.domain}/release`, {});
  assert.equal(refused.status, 409);
  assert.match(refused.text, /verified user: its claim is never released/);
  assert.ok(claimOf(held.domain));
  const forged = await admin.client.post(`/staff/claims/${pending.domain}/release`, {}, { csrf: 'x' });
  assert.equal(forged.status, 403);
  assert.ok(claimOf(pending.domain), 'a forged POST changes nothing');
  assert.equal((await admin.client.post('/staff/claims/unknown-domain-none.example/release', {})).status, 404);
  const ok = await admin.client.post(`/staff/claims/${pending.domain}/release`, {});
  assert.equal(ok.status, 303);
  assert.equal(ok.location, `/staff/claims?released=${pending.domain}`);
  assert.equal(claimOf(pending.domain), null);
  assert.equal(countRows('tenants', `id = ${pendingTenant}`), 0);
  const audit = sql(`SELECT actor_kind, actor_email, before_json FROM audit_log WHERE tenant_id = ${pendingTenant} AND action = 'domain_claim.release'`);
  assert.equal(audit.length, 1);
  assert.equal(audit[0][0], 'staff');
  assert.equal(audit[0][1], admin.email);
  assert.ok(audit[0][2].includes(pending.email));
  assert.equal((await signUpAs(`rightful.owner@${pending.domain}`)).r.status, 303, 'the released domain is free');
});

test('claims: a reviewer and a partner get 404 on the claims pages, and no link', async () => {
  const rev = await staffMember('reviewer');
  const p = await signUp();
  for (const c of [rev.client, p.client]) {
    assert.equal((await c.get('/staff/claims')).status, 404);
    assert.equal((await c.post(`/staff/claims/${p.domain}/release`, {})).status, 404);
    assert.doesNotMatch((await c.get('/dashboard')).text, /\/staff\/claims/);
  }
  assert.ok(claimOf(p.domain));
  assert.equal((await new Client().get('/staff/claims')).status, 303, 'signed out: to /signin');
});

test('tokens stay out of the access log: the query string and the Referer\'s are not logged', async () => {
  const log = join(VAR, 'log', 'nginx-access.log');
  // Only what this test writes (a reused state dir keeps older lines).
  let from = 0;
  try { from = readFileSync(log).length; } catch { /* not written yet */ }
  const written = () => readFileSync(log).subarray(from).toString('utf8');
  const s = await signUp();
  const mail = await waitMail(s.email, /verify-email\?token=/);
  const url = linkIn(mail, '/verify-email?token=');
  const token = url.searchParams.get('token');
  const c = new Client({ referer: `${BASE}/password/reset?token=${token}` });
  assert.equal((await c.get(url.pathname + url.search)).status, 200);
  const marker = `/static/app.css`;
  await c.get(marker);
  await waitUntil(() => { try { return written().includes(`"GET /verify-email HTTP/1.1" 200`); } catch { return false; } },
    { timeoutMs: 10000, what: 'the verification in the access log' });
  await waitUntil(() => written().includes(`"${BASE}/password/reset"`), { timeoutMs: 10000, what: 'the Referer without its query' });
  const text = written();
  assert.ok(!text.includes(token), 'the token is not in the access log');
  assert.doesNotMatch(text, /token=/, 'no query string with a token in the access log');
});

// ---- two-factor authentication (TOTP, RFC 6238) ----

const tfaRow = email => sql(`SELECT totp_enabled_at IS NOT NULL, LENGTH(totp_secret), HEX(totp_secret) FROM users WHERE email = ${quote(email)}`)[0];
const unusedCodes = email => Number(sqlValue(`SELECT COUNT(*) FROM recovery_codes c JOIN users u ON u.id = c.user_id WHERE u.email = ${quote(email)} AND c.used_at IS NULL`));

test('2FA set-up: linked from account settings; an inline SVG QR code, the base32 key and the otpauth URI; no script', async () => {
  const s = await signUp();
  const settings = await s.client.get('/settings/account');
  assert.match(settings.text, /<a href="\/account\/2fa">Two-factor authentication<\/a>/);
  const page = await s.client.get('/account/2fa');
  assert.equal(page.status, 200);
  assert.match(page.text, /data-tfa-status="off"/);
  assert.doesNotMatch(page.text, /<script/i, 'no script');
  const svg = page.text.match(/<svg\b[^>]*viewBox="0 0 (\d+) \1"[^>]*>[\s\S]*?<path fill="#000" d="(M[^"]+)"/);
  assert.ok(svg, 'an inline SVG QR code with a path of modules');
  assert.ok(Number(svg[1]) >= 21 + 8, 'at least a version 1 code and its quiet zone');
  const secret = page.text.match(/data-tfa-secret="">([A-Z2-7]{32})</)[1];
  assert.equal(base32Decode(secret).length, 20, 'a 20-byte key in base32');
  const uri = page.text.match(/data-otpauth-uri="">([^<]+)</)[1].replace(/&amp;/g, '&');
  assert.equal(uri, `otpauth://totp/partnerdesk:${s.email}?secret=${secret}&issuer=partnerdesk`);
  const again = await s.client.get('/account/2fa');
  assert.notEqual(again.text.match(/data-tfa-secret="">([A-Z2-7]+)</)[1], secret, 'each set-up form has its own key');
  assert.equal(tfaRow(s.email)[0], '0', 'nothing stored until confirmed');
});

test('2FA enrolment: a wrong code 422 with the same key; the right one turns it on, shows 10 recovery codes once, stores the key encrypted, audits, mails', async () => {
  const s = await signUp();
  const page = await s.client.get('/account/2fa');
  const secret = page.text.match(/data-tfa-secret="">([A-Z2-7]+)</)[1];
  const enrolment = page.text.match(/name="enrolment" value="([^"]+)"/)[1];
  const auth = new Authenticator(secret);
  const bad = await s.client.post('/account/2fa', { enrolment, code: auth.wrong() });
  assert.equal(bad.status, 422);
  assert.match(fieldErrors(bad.text).code, /not valid/);
  assert.match(bad.text, new RegExp(`data-tfa-secret="">${secret}<`), 'the same key is shown again');
  assert.equal((await s.client.post('/account/2fa', { enrolment, code: '12345' })).status, 422, 'five digits');
  const forged = await s.client.post('/account/2fa', { enrolment: enrolment.slice(0, -4) + 'AAAA', code: await auth.next() });
  assert.equal(forged.status, 422, 'a tampered set-up form is refused');
  const ok = await s.client.post('/account/2fa', { enrolment, code: await auth.next() });
  assert.equal(ok.status, 303);
  assert.equal(ok.location, '/account/2fa');
  const shown = await s.client.get('/account/2fa');
  assert.match(shown.text, /data-tfa-status="on"/);
  const codes = [...shown.text.matchAll(/data-recovery-code="">([^<]+)</g)].map(m => m[1]);
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10, 'all different');
  for (const c of codes) assert.match(c, /^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
  const later = await s.client.get('/account/2fa');
  assert.doesNotMatch(later.text, /data-recovery-code/, 'the codes are shown once');
  assert.match(later.text, /data-codes-left="10"/);
  const [on, len, hex] = tfaRow(s.email);
  assert.equal(on, '1');
  assert.equal(len, '60', 'nonce, MAC and the 20 bytes');
  assert.ok(!hex.includes(base32Decode(secret).toString('hex').toUpperCase()), 'the key is not stored in clear');
  for (const c of codes)
    assert.equal(countRows('recovery_codes', `code_hash = UNHEX(SHA2(${quote(c.replace('-', ''))}, 256))`), 1, 'stored as SHA-256');
  assert.equal(countRows('audit_log', `action = 'user.2fa_enable' AND object = ${quote(s.email)}`), 1, 'audited');
  await waitMail(s.email, /Two-factor authentication is on/);
});

test('2FA sign-in: no session after the password; a wrong code 401; the right code signs in on a new session; the same code again is refused', async () => {
  const s = await signUp();
  const { auth } = await enrolTotp(s.client);
  const c = new Client();
  await c.get('/signin');
  const first = await c.post('/signin', { email: s.email, password: s.password });
  assert.equal(first.status, 303);
  assert.equal(first.location, '/signin/2fa');
  assert.ok(!c.cookies.has('pd_session'), 'no session yet');
  assert.equal((await c.get('/dashboard')).status, 303, 'the password alone opens nothing');
  const form = await c.get('/signin/2fa');
  assert.equal(form.status, 200);
  assert.match(form.text, /name="code"/);
  assert.match(form.text, /name="recovery_code"/);
  const wrong = await c.post('/signin/2fa', { code: auth.wrong() });
  assert.equal(wrong.status, 401);
  assert.ok(fieldErrors(wrong.text).code, 'the error is next to the code');
  assert.equal((await c.post('/signin/2fa', {})).status, 422, 'no code at all');
  const code = await auth.next();
  const right = await c.post('/signin/2fa', { code });
  assert.equal(right.status, 303);
  assert.equal(right.location, '/dashboard');
  assert.ok(c.cookies.has('pd_session'));
  assert.equal((await c.get('/dashboard')).status, 200, 'signed in');
  const other = await signInTwoStep(s.email, s.password, { code });
  assert.equal(other.second.status, 401, 'a code works once');
  assert.equal((await other.client.get('/dashboard')).status, 303);
  const stranger = new Client();
  await stranger.get('/signin');
  assert.equal((await stranger.get('/signin/2fa')).location, '/signin', 'no pending sign-in: back to the password');
  stranger.cookies.set('pd_2fa', c.cookies.get('pd_2fa') || 'x'.repeat(80));
  const bounced = await stranger.post('/signin/2fa', { code: await auth.next() });
  assert.equal(bounced.location, '/signin?timeout=1', 'a forged pre-auth token is refused');
  assert.match((await stranger.get(bounced.location)).text, /data-signin-expired/, 'and told to start again');
});

test('2FA sign-in: wrong codes count as failed sign-ins: after 5, even the right code answers 429 with Retry-After', async () => {
  const s = await signUp();
  const { auth } = await enrolTotp(s.client);
  const c = new Client();
  await c.get('/signin');
  assert.equal((await c.post('/signin', { email: s.email, password: s.password })).location, '/signin/2fa');
  await c.get('/signin/2fa');
  for (let i = 0; i < 5; i++) assert.equal((await c.post('/signin/2fa', { code: auth.wrong() })).status, 401, `wrong code ${i + 1}`);
  const blocked = await c.post('/signin/2fa', { code: await auth.next() });
  assert.equal(blocked.status, 429);
  assert.ok(Number(blocked.headers.get('retry-after')) > 0, 'Retry-After');
  assert.ok(!c.cookies.has('pd_session'), 'no session');
});

test('2FA recovery codes: one signs in once; new codes need a current code and cancel the old ones', async () => {
  const s = await signUp();
  const { auth, codes } = await enrolTotp(s.client);
  const once = await signInTwoStep(s.email, s.password, { recovery_code: codes[0].toLowerCase() });
  assert.equal(once.second.status, 303, 'a recovery code (any case) signs in');
  assert.equal((await once.client.get('/dashboard')).status, 200);
  const twice = await signInTwoStep(s.email, s.password, { recovery_code: codes[0] });
  assert.equal(twice.second.status, 401, 'a used recovery code is refused');
  assert.ok(fieldErrors(twice.second.text).recovery_code);
  assert.equal(unusedCodes(s.email), 9);
  const wrong = await s.client.post('/account/2fa/recovery', { code: auth.wrong() });
  assert.equal(wrong.status, 422);
  assert.ok(fieldErrors(wrong.text).code);
  const regen = await s.client.post('/account/2fa/recovery', { code: await auth.next() });
  assert.equal(regen.status, 303);
  const fresh = [...(await s.client.get('/account/2fa')).text.matchAll(/data-recovery-code="">([^<]+)</g)].map(m => m[1]);
  assert.equal(fresh.length, 10);
  assert.equal(unusedCodes(s.email), 10);
  assert.equal((await signInTwoStep(s.email, s.password, { recovery_code: codes[1] })).second.status, 401, 'the old codes stop working');
  assert.equal((await signInTwoStep(s.email, s.password, { recovery_code: fresh[0] })).second.status, 303);
  assert.equal(countRows('audit_log', `action = 'user.2fa_recovery_codes' AND object = ${quote(s.email)}`), 1, 'audited');
});

test('2FA off: needs the password and a current code (422 otherwise); then sign-in asks for the password only; audited and mailed', async () => {
  const s = await signUp();
  const { auth } = await enrolTotp(s.client);
  const noPw = await s.client.post('/account/2fa/disable', { password: 'not the password at all', code: await auth.next() });
  assert.equal(noPw.status, 422);
  assert.ok(fieldErrors(noPw.text).password);
  const noCode = await s.client.post('/account/2fa/disable', { password: s.password, code: auth.wrong() });
  assert.equal(noCode.status, 422);
  assert.ok(fieldErrors(noCode.text).code);
  assert.equal(tfaRow(s.email)[0], '1', 'still on');
  const off = await s.client.post('/account/2fa/disable', { password: s.password, code: await auth.next() });
  assert.equal(off.status, 303);
  assert.match((await s.client.get(off.location)).text, /data-tfa-status="off"/);
  assert.deepEqual(tfaRow(s.email).slice(0, 2), ['0', 'NULL']);
  assert.equal(unusedCodes(s.email), 0, 'the recovery codes are gone');
  const c = new Client();
  await c.get('/signin');
  assert.equal((await c.post('/signin', { email: s.email, password: s.password })).location, '/dashboard');
  assert.equal(countRows('audit_log', `action = 'user.2fa_disable' AND object = ${quote(s.email)}`), 1, 'audited');
  await waitMail(s.email, /Two-factor authentication is off/);
});

test('2FA for staff: without it past the deadline, every page leads to /account/2fa; after enrolment /review opens; staff cannot turn it off', async () => {
  const email = `rowan.staff@${uniqueDomain('staff')}`;
  const password = 'staff member password 2026';
  const add = ctl(['staff', 'add', email, '--role', 'reviewer', '--2fa-grace', '0'], { input: password + '\n' });
  assert.equal(add.status, 0, add.stderr);
  assert.notEqual(ctl(['staff', 'add', `x.${email}`, '--role', 'reviewer', '--2fa-grace', 'soon'], { input: password + '\n' }).status, 0, 'a bad grace is refused');
  const c = await signIn(email, password);
  for (const path of ['/dashboard', '/review', '/staff/audit', '/account/sessions', '/signin', '/'])
    assert.equal((await c.get(path)).location, '/account/2fa', `${path} leads to the set-up`);
  const p = await c.post('/review/1', { action: 'approve', note: '' });
  assert.equal(p.location, '/account/2fa', 'so does a POST');
  const page = await c.get('/account/2fa');
  assert.equal(page.status, 200);
  assert.match(page.text, /data-tfa-required/);
  const { auth } = await enrolTotp(c);
  assert.equal((await c.get('/review')).status, 200, 'enrolled: the queue opens');
  const on = await c.get('/account/2fa');
  assert.doesNotMatch(on.text, /action="\/account\/2fa\/disable"/, 'no form to turn it off');
  const off = await c.post('/account/2fa/disable', { password, code: await auth.next() });
  assert.equal(off.status, 403);
  assert.equal(tfaRow(email)[0], '1', 'still on');
  const again = await signInTwoStep(email, password, async () => ({ code: await auth.next() }));
  assert.equal(again.first.location, '/signin/2fa', 'staff sign-in asks for the code');
  assert.equal(again.second.status, 303);
  assert.equal((await again.client.get('/review')).status, 200);
  // Staff added with the default grace period work at once and are reminded.
  const fresh = `rory.staff@${uniqueDomain('staff')}`;
  assert.equal(ctl(['staff', 'add', fresh, '--role', 'staff_admin'], { input: password + '\n' }).status, 0);
  const f = await signIn(fresh, password);
  const review = await f.get('/review');
  assert.equal(review.status, 200);
  assert.match(review.text, /data-tfa-reminder/);
});

test('CSRF: each 2FA POST without a valid token answers 403 and changes nothing', async () => {
  const s = await signUp();
  const page = await s.client.get('/account/2fa');
  const secret = page.text.match(/data-tfa-secret="">([A-Z2-7]+)</)[1];
  const enrolment = page.text.match(/name="enrolment" value="([^"]+)"/)[1];
  const auth = new Authenticator(secret);
  for (const csrf of [null, 'A'.repeat(43)])
    assert.equal((await s.client.post('/account/2fa', { enrolment, code: await auth.next() }, { csrf })).status, 403, 'POST /account/2fa');
  assert.equal(tfaRow(s.email)[0], '0', 'not turned on');
  const t = await enrolTotp(s.client);
  for (const csrf of [null, 'A'.repeat(43)]) {
    assert.equal((await s.client.post('/account/2fa/recovery', { code: await t.auth.next() }, { csrf })).status, 403, 'POST /account/2fa/recovery');
    assert.equal((await s.client.post('/account/2fa/disable', { password: s.password, code: await t.auth.next() }, { csrf })).status, 403, 'POST /account/2fa/disable');
  }
  assert.equal(tfaRow(s.email)[0], '1', 'still on');
  assert.equal(unusedCodes(s.email), 10, 'the same recovery codes');
  const c = new Client();
  await c.get('/signin');
  await c.post('/signin', { email: s.email, password: s.password });
  await c.get('/signin/2fa');
  for (const csrf of [null, 'A'.repeat(43)])
    assert.equal((await c.post('/signin/2fa', { recovery_code: t.codes[0] }, { csrf })).status, 403, 'POST /signin/2fa');
  assert.equal(unusedCodes(s.email), 10, 'no recovery code used');
  assert.ok(!c.cookies.has('pd_session'));
});

test('French: the 2FA set-up page, the sign-in step and the notice mail are in French', async () => {
  const s = await signUp({ lang: 'fr' });
  s.client.headers['accept-language'] = 'fr';
  const page = await s.client.get('/account/2fa?lang=fr');
  assert.equal(htmlLang(page.text), 'fr');
  assert.match(page.text, /Authentification à deux facteurs/);
  assert.match(page.text, /Scannez ce code QR/);
  const { auth } = await enrolTotp(s.client);
  const mail = await waitMail(s.email, /deux facteurs/);
  assert.match(mail.headers.subject, /L’authentification à deux facteurs est activée/);
  const c = new Client({ 'accept-language': 'fr' });
  await c.get('/signin?lang=fr');
  await c.post('/signin', { email: s.email, password: s.password });
  const form = await c.get('/signin/2fa');
  assert.equal(htmlLang(form.text), 'fr');
  assert.match(form.text, /Connexion en deux étapes/);
  const wrong = await c.post('/signin/2fa', { code: auth.wrong() });
  assert.equal(wrong.status, 401);
  assert.match(fieldErrors(wrong.text).code, /Ce code n’est pas valable/);
});

await run();
