// CSP onboarding (DOMAIN §3, CONTRACT "CSP enrollment", "Staff review"): the wizard through the
// simulator, the reviewer's requests and decisions, documents and questionnaire, the agreement,
// and the rules around them (steps, upload checks, isolation, languages, CSRF).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  test, run, assert, Client, signUp, verifyEmail, waitMail, mailsTo, sql, sqlValue, countRows, quote, fieldErrors,
  ctl, uniqueDomain, VAR, BASE,
} from './lib.mjs';

const SIM = `http://127.0.0.1:${readFileSync(join(VAR, 'sim.port'), 'utf8').trim()}`;
const simPost = (path, fields = {}) => fetch(SIM + path, { method: 'POST', body: new URLSearchParams(fields) });
const statusOf = html => (html.match(/data-status="([a-z_]+)"/) || [])[1];
const tenantOf = email => sqlValue(`SELECT tenant_id FROM users WHERE email = ${quote(email)}`);

// A verified global admin of a US company enrolled in the partner program, signed in.
async function csPartner({ lang = 'en', country = 'US' } = {}) {
  const s = await signUp({ lang, country });
  await verifyEmail(s.email);
  await s.client.get(`/enroll?lang=${lang}`);
  const r = await s.client.post('/enroll', {
    legal_name: 'Gorman Manufacturing', country, address_line1: '492 Koller St', city: 'San Francisco', region: 'CA',
    postal_code: '94110', phone: '+1 415 555 0100', website: 'https://gorman.example', contact_name: 'Pat Gorman',
    contact_email: s.email,
  });
  assert.equal(r.status, 303);
  const page = await s.client.get('/csp/enroll');
  const location = page.text.match(/name="partner_id" value="(\d+)"/)[1];
  return { ...s, location };
}

let reviewer;
async function staff() {
  if (reviewer) return reviewer;
  const email = `reviewer@${uniqueDomain('staff')}`;
  const out = ctl(['staff', 'add', email, '--role', 'reviewer'], { input: 'reviewer password 2026\n' });
  assert.equal(out.status, 0, out.stderr);
  const c = new Client();
  await c.get('/signin');
  assert.equal((await c.post('/signin', { email, password: 'reviewer password 2026' })).status, 303);
  reviewer = c;
  return c;
}

const contact = email => ({
  contact_name: 'Pat Gorman', contact_email: email, contact_phone: '+1 415 555 0100', support_email: email,
  support_phone: '+1 415 555 0199', model: 'indirect_reseller',
});

// Walks the wizard to the review step (manual company, address as entered).
async function toReview(p) {
  const c = p.client;
  await c.get('/csp/enroll');
  assert.equal((await c.post('/csp/enroll/location', { partner_id: p.location })).status, 303);
  assert.equal((await c.post('/csp/enroll/company', { mode: 'duns', duns: '804735132' })).status, 303);
  assert.equal((await c.post('/csp/enroll/address', { address_line1: '492 Koller St', city: 'San Francisco', region: 'CA', postal_code: '94110', use: 'entered' })).status, 303);
  assert.equal((await c.post('/csp/enroll/contact', contact(p.email))).status, 303);
}

async function submitted(opts) {
  const p = await csPartner(opts);
  await toReview(p);
  assert.equal((await p.client.post('/csp/enroll/submit', {})).status, 303);
  p.app = sqlValue(`SELECT id FROM csp_applications WHERE tenant_id = ${tenantOf(p.email)}`);
  return p;
}

function pdf(size = 2000) { return Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(size, 0x41)]); }
async function upload(c, bytes, name, type = 'business_registration') {
  await c.get('/csp/enroll');
  const fd = new FormData();
  fd.append('csrf', c.csrf);
  fd.append('document_type', type);
  fd.append('document', new Blob([bytes]), name);
  const res = await fetch(BASE + '/csp/enroll/document', { method: 'POST', body: fd, redirect: 'manual', headers: { cookie: c.cookieHeader() } });
  return { status: res.status, text: await res.text() };
}

test('the whole journey: lookup, suggested address, submit, document and questionnaire requests, approval, agreement → active', async () => {
  await simPost('/_sim/reset');
  const p = await csPartner();
  const c = p.client;
  let r = await c.get('/csp/enroll');
  assert.equal(statusOf(r.text), 'draft');
  assert.match(r.text, /<li aria-current="step">/);
  assert.equal((await c.post('/csp/enroll/location', { partner_id: p.location })).status, 303);
  r = await c.post('/csp/enroll/company', { mode: 'lookup', company_name: 'Gorman Manufacturing', country: 'US' });
  assert.equal(r.status, 200);
  const cand = r.text.match(/name="duns" value="(\d{9})" data-confidence="(\d+)"/);
  assert.ok(cand, 'candidates with data-confidence');
  assert.equal(cand[1], '804735132');
  assert.ok(Number(cand[2]) >= 1 && Number(cand[2]) <= 10);
  r = await c.post('/csp/enroll/company', { mode: 'duns', source: 'lookup', company_name: 'Gorman Manufacturing', duns: cand[1] });
  assert.equal(r.status, 303);
  r = await c.post('/csp/enroll/address', { address_line1: '492 Koller Street', city: 'San Francisco', region: 'CA', postal_code: '94110' });
  assert.equal(r.status, 200);
  assert.match(r.text, /data-suggested-address="">492 KOLLER ST/);
  assert.match(r.text, /data-entered-address="">492 Koller Street/);
  r = await c.post('/csp/enroll/address', { address_line1: '492 Koller Street', city: 'San Francisco', region: 'CA', postal_code: '94110', use: 'suggested' });
  assert.equal(r.status, 303);
  assert.equal((await c.post('/csp/enroll/contact', contact(p.email))).status, 303);
  r = await c.get('/csp/enroll');
  assert.match(r.text, /data-address-verdict="corrected"/);
  assert.match(r.text, /804735132/);
  assert.equal((await c.post('/csp/enroll/submit', {})).status, 303);
  r = await c.get('/csp/enroll');
  assert.equal(statusOf(r.text), 'pending_review');
  const mail = await waitMail(p.email, /received your application/);
  assert.match(mail.headers.subject, /Your CSP application/);
  assert.match((await c.get('/account/identifiers')).text, new RegExp(`data-partner-id="${p.location}"[^>]*data-csp="yes"`));
  const app = sqlValue(`SELECT id FROM csp_applications WHERE tenant_id = ${tenantOf(p.email)}`);
  assert.equal(sqlValue(`SELECT address_line1 FROM csp_applications WHERE id = ${app}`), '492 KOLLER ST', 'the suggestion was kept');
  assert.equal(Number(sqlValue(`SELECT dnb_confidence FROM csp_applications WHERE id = ${app}`)), Number(cand[2]));

  assert.ok(sqlValue(`SELECT submitted_at FROM csp_applications WHERE id = ${app}`), 'submission time recorded');
  const s = await staff();
  r = await s.get('/review?status=pending_review');
  assert.match(r.text, new RegExp(`<tr data-application-id="${app}" data-status="pending_review" data-age-days="0">[^]*?<td>\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}</td>`), 'queue row with its submission date');
  r = await s.get(`/review/${app}`);
  assert.match(r.text, /data-duns="804735132"/);
  assert.match(r.text, new RegExp(`data-confidence="${cand[2]}"`));
  assert.match(r.text, /data-address-verdict="corrected"/);
  await s.get(`/review/${app}`);
  assert.equal((await s.post(`/review/${app}`, { action: 'request_document', note: 'Send your certificate of incorporation.' })).status, 303);
  assert.match((await waitMail(p.email, /certificate of incorporation/)).body, /certificate of incorporation/);
  r = await c.get('/csp/enroll');
  assert.equal(statusOf(r.text), 'info_requested');
  assert.equal((await upload(c, pdf(), 'incorporation.pdf')).status, 303);
  assert.equal(statusOf((await c.get('/csp/enroll')).text), 'pending_review');
  r = await s.get(`/review/${app}`);
  const doc = r.text.match(new RegExp(`href="(/review/${app}/documents/\\d+)"`));
  assert.ok(doc, 'the reviewer sees the document');
  const dl = await s.get(doc[1]);
  assert.equal(dl.status, 200);
  assert.equal(dl.headers.get('content-type'), 'application/pdf');
  assert.ok(dl.text.startsWith('%PDF-'));
  assert.equal((await s.post(`/review/${app}`, { action: 'request_questionnaire', note: 'Please answer the questionnaire.' })).status, 303);
  await c.get('/csp/enroll');
  assert.equal((await c.post('/csp/enroll/questionnaire', { answer_1: 'Manufacturing and IT services', answer_2: '120', answer_3: 'US small businesses' })).status, 303);
  r = await s.get(`/review/${app}`);
  assert.match(r.text, /data-answer="">Manufacturing and IT services/);
  assert.equal((await s.post(`/review/${app}`, { action: 'approve' })).status, 303);
  await waitMail(p.email, /is approved/);
  r = await c.get('/actions');
  assert.match(r.text, /data-action="accept-agreement"/);
  assert.equal((await c.post('/actions/agreement', { signer_name: 'Pat Gorman', signer_email: p.email, accept: 'yes' })).status, 303);
  assert.equal(statusOf((await c.get('/csp/enroll')).text), 'active');
  const agreement = sql(`SELECT version, signer_name, signer_email, ip FROM agreement_acceptances WHERE application_id = ${app}`);
  assert.equal(agreement.length, 1);
  assert.deepEqual(agreement[0].slice(0, 3), ['MPA-2026-01', 'Pat Gorman', p.email]);
  assert.ok(agreement[0][3], 'IP recorded');
  const legal = await c.get('/account/legal');
  assert.match(legal.text, /data-program="csp"[^>]*data-verification-status="active"/);
  assert.match(legal.text, /data-csp-tenant="yes"/);
  const history = (await s.get(`/review/${app}`)).text;
  for (const a of ['csp.submit', 'csp.request_document', 'csp.document', 'csp.request_questionnaire', 'csp.questionnaire', 'csp.approve', 'csp.agreement'])
    assert.match(history, new RegExp(`data-audit="\\d+" data-action="${a.replace('.', '\\.')}"`), a);
});

test('company by DUNS number: dashes ignored; 8 digits, unknown, out of business or another country are refused next to the field', async () => {
  const p = await csPartner();
  const c = p.client;
  await c.get('/csp/enroll');
  await c.post('/csp/enroll/location', { partner_id: p.location });
  for (const [duns, why] of [['80473513', 'A DUNS number has 9 digits'], ['999999999', 'knows no company'],
    ['457413500', 'out of business'], ['281394057', 'not registered in the country']]) {
    const r = await c.post('/csp/enroll/company', { mode: 'duns', duns });
    assert.equal(r.status, 422, duns);
    assert.match(fieldErrors(r.text).duns || '', new RegExp(why), duns);
  }
  const r = await c.post('/csp/enroll/company', { mode: 'duns', duns: '80-473-5132' });
  assert.equal(r.status, 303);
  assert.equal(sqlValue(`SELECT duns FROM csp_applications WHERE tenant_id = ${tenantOf(p.email)}`), '804735132');
  const other = await c.post('/csp/enroll/company', { mode: 'lookup', company_name: 'Contoso', country: 'FR' });
  assert.equal(other.status, 422);
  assert.ok(fieldErrors(other.text).country);
});

test('manual company entry and an address the service does not know (kept as entered, flagged not_found)', async () => {
  const p = await csPartner();
  const c = p.client;
  await c.get('/csp/enroll');
  await c.post('/csp/enroll/location', { partner_id: p.location });
  let r = await c.post('/csp/enroll/company', { mode: 'manual', legal_name: '', address_line1: '', city: '', country: 'US' });
  assert.equal(r.status, 422);
  assert.ok(fieldErrors(r.text).legal_name && fieldErrors(r.text).address_line1 && fieldErrors(r.text).city);
  r = await c.post('/csp/enroll/company', { mode: 'manual', legal_name: 'Tiny Shop LLC', address_line1: '999 Nowhere Rd', city: 'Austin', region: 'TX', postal_code: '78701', country: 'US' });
  assert.equal(r.status, 303);
  r = await c.post('/csp/enroll/address', { address_line1: '999 Nowhere Rd', city: 'Austin', region: 'TX', postal_code: '78701' });
  assert.equal(r.status, 422);
  assert.ok(fieldErrors(r.text).address_line1);
  assert.match(r.text, /name="use" value="entered"/, 'offers to keep the address');
  r = await c.post('/csp/enroll/address', { address_line1: '100 Congress Ave', city: 'Austin', region: 'TX', postal_code: '78701' });
  assert.equal(r.status, 422);
  assert.ok(fieldErrors(r.text).address_line2, 'USPS 32: a suite is needed');
  r = await c.post('/csp/enroll/address', { address_line1: '10 Main St', city: 'Springfield', region: 'IL', postal_code: '62701' });
  assert.equal(r.status, 422, 'USPS 22: several addresses');
  r = await c.post('/csp/enroll/address', { address_line1: '999 Nowhere Rd', city: 'Austin', region: 'TX', postal_code: '78701', use: 'entered' });
  assert.equal(r.status, 303);
  assert.equal(sqlValue(`SELECT CONCAT(address_verdict, '/', address_choice, '/', company_source) FROM csp_applications WHERE tenant_id = ${tenantOf(p.email)}`), 'not_found/entered/manual');
});

test('steps are done in order; submit needs every step; direct bill needs billing day and tax ID; the draft survives sign-out', async () => {
  const p = await csPartner();
  const c = p.client;
  await c.get('/csp/enroll');
  assert.equal((await c.post('/csp/enroll/submit', {})).status, 409);
  await c.post('/csp/enroll/location', { partner_id: p.location });
  await c.post('/csp/enroll/company', { mode: 'duns', duns: '804735132' });
  await c.post('/csp/enroll/address', { address_line1: '492 Koller St', city: 'San Francisco', region: 'CA', postal_code: '94110', use: 'entered' });
  let r = await c.post('/csp/enroll/contact', { ...contact(p.email), model: 'direct_bill' });
  assert.equal(r.status, 422);
  assert.ok(fieldErrors(r.text).billing_day && fieldErrors(r.text).tax_id);
  r = await c.post('/csp/enroll/contact', { ...contact(p.email), model: 'direct_bill', billing_day: '29', tax_id: '12' });
  assert.equal(r.status, 422);
  r = await c.post('/csp/enroll/contact', { ...contact(p.email), model: 'direct_bill', billing_day: '15', tax_id: 'US-94-1234567' });
  assert.equal(r.status, 303);
  await c.post('/signout', {});
  const again = new Client();
  await again.get('/signin');
  assert.equal((await again.post('/signin', { email: p.email, password: p.password })).status, 303);
  r = await again.get('/csp/enroll');
  assert.equal(statusOf(r.text), 'draft');
  assert.match(r.text, /5\. Review and submit/, 'back at the step reached');
  assert.match(r.text, /billing day 15, tax ID US-94-1234567/);
  r = await again.get('/csp/enroll?step=4');
  assert.match(r.text, /name="contact_phone"[^>]*value="\+1 415 555 0100"/, 'values kept');
  assert.equal((await again.post('/csp/enroll/submit', {})).status, 303);
  assert.equal((await again.post('/csp/enroll/contact', contact(p.email))).status, 409, 'no change after submission');
});

test('the location step offers only active locations in the tenant\'s country; the others are disabled with the reason', async () => {
  const p = await csPartner();
  const c = p.client;
  await c.get('/account/locations');
  const fr = (await c.post('/account/locations', { name: 'Gorman Paris', country: 'FR', address_line1: '1 rue', city: 'Paris', contact_name: 'A', contact_email: p.email })).location.match(/added=(\d+)/)[1];
  const off = (await c.post('/account/locations', { name: 'Gorman Austin', country: 'US', address_line1: '1 Main', city: 'Austin', contact_name: 'A', contact_email: p.email })).location.match(/added=(\d+)/)[1];
  await c.post(`/account/locations/${off}/status`, { status: 'inactive' });
  const r = await c.get('/csp/enroll');
  for (const id of [fr, off])
    assert.match(r.text, new RegExp(`<label class="choice"><input type="radio" name="partner_id" value="${id}" disabled="disabled">[^]*?<span class="reason">[^<]+</span></label>`), id);
  assert.match(r.text, new RegExp(`value="${p.location}">`), 'the eligible one is not disabled');
  for (const id of [fr, off]) {
    const bad = await c.post('/csp/enroll/location', { partner_id: id });
    assert.equal(bad.status, 422);
    assert.ok(fieldErrors(bad.text).partner_id);
  }
});

test('reject with a reason: email with the note, the location is free again, the partner corrects and resubmits', async () => {
  const p = await submitted();
  const s = await staff();
  await s.get(`/review/${p.app}`);
  let r = await s.post(`/review/${p.app}`, { action: 'reject' });
  assert.equal(r.status, 422);
  assert.ok(fieldErrors(r.text).note);
  r = await s.post(`/review/${p.app}`, { action: 'reject', note: 'The registration number does not match.' });
  assert.equal(r.status, 303);
  assert.match((await waitMail(p.email, /was rejected/)).body, /registration number does not match/);
  const page = await p.client.get('/csp/enroll');
  assert.equal(statusOf(page.text), 'rejected');
  assert.match(page.text, /registration number does not match/);
  assert.doesNotMatch((await p.client.get('/account/identifiers')).text, /data-csp="yes"/);
  assert.equal((await s.post(`/review/${p.app}`, { action: 'approve' })).status, 409, 'no approval of a rejected application');
  assert.equal((await p.client.post('/csp/enroll/contact', { ...contact(p.email), contact_phone: '+1 415 555 0111' })).status, 303);
  assert.equal((await p.client.post('/csp/enroll/submit', {})).status, 303);
  assert.equal(statusOf((await p.client.get('/csp/enroll')).text), 'pending_review');
});

test('uploads: checked by content (an HTML file named .pdf is refused), PNG and JPEG accepted, over 10 MiB refused; files outside www/', async () => {
  const p = await submitted();
  const s = await staff();
  await s.get(`/review/${p.app}`);
  await s.post(`/review/${p.app}`, { action: 'request_document', note: 'A document, please.' });
  const before = countRows('csp_documents', `application_id = ${p.app}`);
  let r = await upload(p.client, Buffer.from('<html><script>alert(1)</script></html>'), 'evil.pdf');
  assert.equal(r.status, 422);
  assert.ok(fieldErrors(r.text).document);
  r = await upload(p.client, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024 + 1, 0x20)]), 'big.pdf');
  assert.equal(r.status, 413);
  assert.equal(countRows('csp_documents', `application_id = ${p.app}`), before, 'nothing stored');
  r = await upload(p.client, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]), 'scan.png', 'tax_certificate');
  assert.equal(r.status, 303);
  await s.post(`/review/${p.app}`, { action: 'request_document', note: 'Another one.' });
  r = await upload(p.client, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100)]), 'photo.jpg', 'proof_of_address');
  assert.equal(r.status, 303);
  const rows = sql(`SELECT content_type, storage_name FROM csp_documents WHERE application_id = ${p.app} ORDER BY id`);
  assert.deepEqual(rows.map(x => x[0]), ['image/png', 'image/jpeg']);
  for (const [, name] of rows) {
    assert.ok(readFileSync(join(VAR, 'documents', name)).length > 0, 'stored under $PARTNERDESK_VAR/documents');
    assert.equal((await fetch(`${BASE}/static/${name}`)).status, 404, 'not reachable from the web');
  }
});

test('tenant isolation: another company cannot read a document; partners get 404 on staff pages, staff on the wizard', async () => {
  const p = await submitted();
  const s = await staff();
  await s.get(`/review/${p.app}`);
  await s.post(`/review/${p.app}`, { action: 'request_document', note: 'A document, please.' });
  assert.equal((await upload(p.client, pdf(), 'mine.pdf')).status, 303);
  const doc = sqlValue(`SELECT id FROM csp_documents WHERE application_id = ${p.app}`);
  assert.equal((await p.client.get(`/csp/enroll/documents/${doc}`)).status, 200);
  const other = await csPartner();
  assert.equal((await other.client.get(`/csp/enroll/documents/${doc}`)).status, 404);
  for (const path of ['/review', `/review/${p.app}`, `/review/${p.app}/documents/${doc}`])
    assert.equal((await p.client.get(path)).status, 404, path);
  assert.equal((await p.client.post(`/review/${p.app}`, { action: 'approve' })).status, 404);
  for (const path of ['/csp/enroll', `/csp/enroll/documents/${doc}`]) assert.equal((await s.get(path)).status, 404, path);
  assert.equal((await s.get('/review/999999999')).status, 404);
});

test('only a global admin uses the wizard; a missing CSRF token changes nothing', async () => {
  const p = await csPartner();
  const c = p.client;
  await c.get('/csp/enroll');
  assert.equal((await c.post('/csp/enroll/location', { partner_id: p.location }, { csrf: null })).status, 403);
  assert.equal(Number(sqlValue(`SELECT step FROM csp_applications WHERE tenant_id = ${tenantOf(p.email)}`)), 0);
  await c.get('/account/users');
  const email = `aa.${Date.now()}@${p.domain}`;
  await c.post('/account/users', { email, display_name: 'Account Admin', role: 'account_admin' });
  const url = new URL((await waitMail(email, /set-password/)).body.match(/http\S*set-password\?token=[\w-]+/)[0]);
  const aa = new Client();
  await aa.get(url.pathname + url.search);
  await aa.post('/set-password', { token: url.searchParams.get('token'), password: 'account admin 2026', password_confirm: 'account admin 2026' });
  await aa.get('/dashboard');
  assert.equal((await aa.get('/csp/enroll')).status, 404);
  assert.equal((await aa.post('/csp/enroll/location', { partner_id: p.location })).status, 404);
  assert.equal((await aa.get('/actions')).status, 200, 'pending actions are visible to every partner user');
});

test('in French: the wizard, the review page labels and the email when the draft was started in French', async () => {
  const p = await csPartner({ lang: 'fr' });
  const c = p.client;
  let r = await c.get('/csp/enroll?lang=fr');
  assert.match(r.text, /<html lang="fr"/);
  assert.match(r.text, /Devenir fournisseur de solutions cloud \(CSP\)/);
  await toReview(p);
  r = await c.get('/csp/enroll');
  assert.match(r.text, /5\. Vérifier et envoyer/);
  assert.equal((await c.post('/csp/enroll/submit', {})).status, 303);
  const mail = await waitMail(p.email, /Nous avons reçu votre demande/);
  assert.match(mail.headers.subject, /Votre demande CSP/);
});

await run();
