// POST /signup validation (CONTRACT §3–§5, DOMAIN §1), table-driven: every bad input gets 422, the
// right data-field error, every entered value kept except the password, and creates nothing.
import {
  test, run, assert, Client, fieldErrors, inputValue, selectedOption, countRows, quote, uniqueDomain,
  sqlValue, waitMail, htmlLang,
} from './lib.mjs';

const PASSWORD = 'Pw-never-echoed-' + process.pid.toString(36);

function valid(domain = uniqueDomain('sv')) {
  return { email: `jane.doe@${domain}`, password: PASSWORD, display_name: 'Jane Doe', company_name: 'Doe & Sons', country: 'FR' };
}

// (sessions are not counted: the mailer's housekeeping may purge expired ones at any time)
const counts = () => ({ users: countRows('users'), tenants: countRows('tenants'), domains: countRows('tenant_domains'), outbox: countRows('outbox') });

// Posts the fields (csrf from the form) and checks the 422 answer: exactly the expected field
// errors, values kept, password absent, nothing created.
async function expectRefused(fields, errorFields, { message, keep = true } = {}) {
  const c = new Client();
  const form = await c.get('/signup');
  assert.equal(form.status, 200);
  const before = counts();
  const r = await c.post('/signup', fields);
  assert.equal(r.status, 422, `status for ${JSON.stringify(fields).slice(0, 200)}`);
  assert.match(r.headers.get('content-type') || '', /text\/html/);
  const errs = fieldErrors(r.text);
  assert.deepEqual(Object.keys(errs).sort(), [...errorFields].sort(), `error fields: ${JSON.stringify(errs)}`);
  for (const f of errorFields) assert.ok(errs[f].trim().length > 5, `a message for ${f}`);
  if (message) assert.match(errs[errorFields[0]], message);
  for (const f of ['email', 'display_name', 'company_name']) {
    if (!(f in fields) || !keep) continue;
    const sent = String(fields[f]).trim();
    // Email addresses are normalised to lower case; the value is otherwise kept as typed.
    const shown = inputValue(r.text, f);
    if (f === 'email') assert.equal(shown?.toLowerCase(), sent.toLowerCase(), `value of ${f} kept`);
    else assert.equal(shown, sent, `value of ${f} kept`);
  }
  if ('country' in fields && /^[A-Z]{2}$/.test(fields.country) && !errorFields.includes('country'))
    assert.equal(selectedOption(r.text, 'country'), fields.country, 'country kept');
  if (fields.password) assert.ok(!r.text.includes(fields.password), 'the password is never echoed');
  assert.equal(inputValue(r.text, 'password'), null, 'the password input has no value');
  assert.ok(!r.headers.getSetCookie().some(s => s.startsWith('pd_session=') && !/^pd_session=;/.test(s)), 'no session started');
  assert.deepEqual(counts(), before, 'nothing created');
  return { r, errs };
}

const overlong = n => 'x'.repeat(n);
const cases = [
  // email syntax
  ['email without @', { email: 'jane.doe.example' }, ['email']],
  ['email without local part', { email: '@acme.example' }, ['email']],
  ['email without domain', { email: 'jane@' }, ['email']],
  ['email with two @', { email: 'jane@doe@acme.example' }, ['email']],
  ['email with a space', { email: 'jane doe@acme.example' }, ['email']],
  ['email with consecutive dots', { email: 'jane..doe@acme.example' }, ['email']],
  ['email domain without a dot', { email: 'jane@localhost' }, ['email']],
  ['email domain starting with a hyphen', { email: 'jane@-acme.example' }, ['email']],
  // (a control character cannot be shown back in HTML: only the refusal is checked)
  ['email with a control character', { email: 'jane\u0001@acme.example' }, ['email'], { keep: false }],
  // free-mail
  ...['gmail.com', 'yahoo.fr', 'hotmail.fr', 'outlook.com', 'gmx.de', 'proton.me', 'GMail.com'].map(d =>
    [`free-mail ${d}`, { email: `jane.doe@${d}` }, ['email']]),
  // role mailboxes
  ...['info', 'admin', 'marketing', 'email', 'Info'].map(l =>
    [`role mailbox ${l}@`, { email: `${l}@${uniqueDomain('role')}` }, ['email']]),
  // password
  ['password of 11 characters', { password: 'elevenchars' }, ['password']],
  ['password of 11 multibyte characters', { password: 'éééééééééé1' }, ['password']],
  ['empty password', { password: '' }, ['password']],
  ['overlong password (257)', { password: overlong(257) }, ['password']],
  // names
  ['empty display_name', { display_name: '' }, ['display_name']],
  ['blank display_name', { display_name: '   ' }, ['display_name']],
  ['overlong display_name (101)', { display_name: overlong(101) }, ['display_name']],
  ['empty company_name', { company_name: '' }, ['company_name']],
  ['overlong company_name (201)', { company_name: overlong(201) }, ['company_name']],
  ['overlong email (264 chars)', { email: `${overlong(64)}@${overlong(63)}.${overlong(63)}.${overlong(63)}.example` }, ['email']],
  ['overlong local part (65)', { email: `${overlong(65)}@${uniqueDomain('long')}` }, ['email']],
  // country
  ['unknown country XX', { country: 'XX' }, ['country']],
  ['country as a name', { country: 'France' }, ['country']],
  ['empty country', { country: '' }, ['country']],
  // several at once
  ['every field wrong', { email: 'nope', password: 'short', display_name: '', company_name: '', country: 'ZZ' },
    ['email', 'password', 'display_name', 'company_name', 'country']],
];

for (const [name, override, errorFields, opts] of cases) {
  test(`refused: ${name} → 422 data-field=${errorFields.join(',')}`, async () => {
    await expectRefused({ ...valid(), ...override }, errorFields, opts);
  });
}

for (const missing of ['email', 'password', 'display_name', 'company_name', 'country']) {
  test(`refused: missing field ${missing} → 422 data-field=${missing}`, async () => {
    const fields = valid();
    delete fields[missing];
    await expectRefused(fields, [missing]);
  });
}

test('a second sign-up on an already known domain is refused and asks to be invited', async () => {
  const domain = uniqueDomain('known');
  const c = new Client();
  await c.get('/signup');
  const first = await c.post('/signup', valid(domain));
  assert.equal(first.status, 303);
  for (const email of [`john.roe@${domain}`, `John.Roe@${domain.toUpperCase()}`]) {
    const { errs } = await expectRefused({ ...valid(), email, company_name: 'Doe Again' }, ['email']);
    assert.match(errs.email, /invit/i, 'the message says to ask for an invitation');
  }
  assert.equal(countRows('tenant_domains', `domain = ${quote(domain)}`), 1);
  assert.equal(countRows('users', `email LIKE ${quote('%@' + domain)}`), 1);
});

test('the same email in a different letter case cannot sign up twice', async () => {
  const domain = uniqueDomain('case');
  const c = new Client();
  await c.get('/signup');
  assert.equal((await c.post('/signup', valid(domain))).status, 303);
  await expectRefused({ ...valid(), email: `JANE.DOE@${domain}` }, ['email']);
});

test('POST /signup without csrf → 403 and nothing created', async () => {
  const fields = valid();
  const before = counts();
  const c = new Client();
  await c.get('/signup');
  const r = await c.post('/signup', fields, { csrf: null });
  assert.equal(r.status, 403);
  const bare = new Client();
  const r2 = await bare.post('/signup', fields, { csrf: null });
  assert.equal(r2.status, 403, 'no cookie and no token');
  assert.deepEqual(counts(), before);
  assert.equal(countRows('users', `email = ${quote(fields.email)}`), 0);
});

test('POST /signup with a wrong csrf → 403 and nothing created', async () => {
  const fields = valid();
  const before = counts();
  const c = new Client();
  await c.get('/signup');
  const good = c.csrf;
  const flipped = (good[0] === 'A' ? 'B' : 'A') + good.slice(1);
  for (const token of [flipped, 'x', good + 'x', '']) {
    const r = await c.post('/signup', fields, { csrf: token });
    assert.equal(r.status, 403, `token ${token.slice(0, 12)}…`);
  }
  const other = new Client();
  await other.get('/signup');
  const r = await other.post('/signup', fields, { csrf: good });
  assert.equal(r.status, 403, 'a token of another pre-session');
  assert.deepEqual(counts(), before);
});

test('a valid sign-up on a .example domain works (unknown fields ignored, spaces trimmed)', async () => {
  const domain = uniqueDomain('ok');
  const fields = { ...valid(domain), email: `  Jane.Doe@${domain.toUpperCase()} `, display_name: ' Jane Doe ', newsletter: 'yes', role: 'staff_admin' };
  const before = counts();
  const c = new Client();
  await c.get('/signup');
  const r = await c.post('/signup', fields);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(r.location, '/dashboard');
  const email = `jane.doe@${domain}`;
  const after = counts();
  assert.equal(after.users, before.users + 1);
  assert.equal(after.tenants, before.tenants + 1);
  assert.equal(after.outbox, before.outbox + 1);
  assert.equal(sqlValue(`SELECT display_name FROM users WHERE email = ${quote(email)}`), 'Jane Doe');
  assert.equal(sqlValue(`SELECT t.country FROM tenants t JOIN users u ON u.tenant_id = t.id WHERE u.email = ${quote(email)}`), 'FR');
  assert.equal(sqlValue(`SELECT GROUP_CONCAT(r.role) FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.email = ${quote(email)}`), 'global_admin');
  assert.notEqual(sqlValue(`SELECT password_hash FROM users WHERE email = ${quote(email)}`), PASSWORD, 'the password is stored hashed');
  assert.match(sqlValue(`SELECT password_hash FROM users WHERE email = ${quote(email)}`), /^\$argon2id\$/);
  const d = await c.get('/dashboard');
  assert.equal(d.status, 200);
  assert.equal(htmlLang(d.text), 'en');
  await waitMail(email, /verify-email\?token=/);
});

await run();
