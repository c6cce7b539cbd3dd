// The CSP wizard in headless Chromium: a US company (signed up, verified and enrolled over HTTP)
// walks every step with clicks — location, DUNS lookup and pick, address with the suggestion,
// contacts, review — and submits. Screenshots of each step in $PARTNERDESK_VAR/screenshots.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from './lib.mjs';
import { test, run, assert, BASE, VAR, signUp, verifyEmail } from '../acceptance/lib.mjs';

const SHOTS = join(VAR, 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const s = await signUp({ country: 'US' });
await verifyEmail(s.email);
await s.client.get('/enroll');
const enrolled = await s.client.post('/enroll', {
  legal_name: 'Gorman Manufacturing', country: 'US', address_line1: '492 Koller St', city: 'San Francisco', region: 'CA',
  postal_code: '94110', phone: '+1 415 555 0100', website: 'https://gorman.example', contact_name: 'Pat Gorman', contact_email: s.email,
});
assert.equal(enrolled.status, 303);

const { browser, context, page, consoleErrors } = await launch({ locale: 'en-US' });
await context.addCookies([{ name: 'pd_session', value: s.client.cookies.get('pd_session'), url: BASE }]);
const shot = name => page.screenshot({ path: join(SHOTS, `csp-${name}.png`), fullPage: true });
const submit = async selector => Promise.all([page.waitForNavigation(), page.click(selector)]);

test('the wizard opens at step 1 with the progress shown', async () => {
  const r = await page.goto(`${BASE}/csp/enroll`);
  assert.equal(r.status(), 200);
  assert.equal(await page.getAttribute('[data-status]', 'data-status'), 'draft');
  assert.match(await page.locator('ol.progress li[aria-current="step"]').innerText(), /Location/);
  await shot('1-location');
});

test('step 1: pick the location ID', async () => {
  await page.check('input[name="partner_id"]:not([disabled])');
  await submit('form[action="/csp/enroll/location"] button[type=submit]');
  assert.match(await page.locator('ol.progress li[aria-current="step"]').innerText(), /Company/);
});

test('step 2: look the company up and pick the candidate D&B is most confident about', async () => {
  await page.fill('#company_name', 'Gorman Manufacturing');
  await submit('form:has(input[name="mode"][value="lookup"]) button[type=submit]');
  const radios = page.locator('input[name="duns"][data-confidence]');
  assert.ok(await radios.count() >= 1);
  assert.equal(await radios.first().getAttribute('value'), '804735132');
  await shot('2-candidates');
  await submit('form:has(input[name="source"][value="lookup"]) button[type=submit]');
  assert.match(await page.locator('ol.progress li[aria-current="step"]').innerText(), /Address/);
});

test('step 3: the standardised address is suggested beside the entered one; keep the suggestion', async () => {
  await page.fill('#address_line1', '492 Koller Street');
  await page.fill('#postal_code', '94110');
  await submit('form[action="/csp/enroll/address"] button[type=submit]:not([name])');
  assert.match(await page.locator('[data-suggested-address]').innerText(), /492 KOLLER ST/);
  assert.match(await page.locator('[data-entered-address]').innerText(), /492 Koller Street/);
  await shot('3-suggestion');
  await page.check('input[name="use"][value="suggested"]');
  await submit('.compare button[type=submit]');
  assert.match(await page.locator('ol.progress li[aria-current="step"]').innerText(), /Contacts/);
});

test('step 4: contacts and model, with the errors of a direct bill without its fields shown next to them', async () => {
  await page.fill('#contact_phone', '+1 415 555 0100');
  await page.fill('#support_email', s.email);
  await page.fill('#support_phone', '+1 415 555 0199');
  await page.check('input[name="model"][value="direct_bill"]');
  const [resp] = await submit('form[action="/csp/enroll/contact"] button[type=submit]');
  assert.equal(resp.status(), 422);
  assert.equal(await page.locator('[data-field="billing_day"]').count(), 1);
  await shot('4-contacts-errors');
  await page.check('input[name="model"][value="indirect_reseller"]');
  await submit('form[action="/csp/enroll/contact"] button[type=submit]');
  assert.match(await page.locator('ol.progress li[aria-current="step"]').innerText(), /Review/);
});

test('step 5: review shows the choices; submit sends the application for review', async () => {
  assert.match(await page.locator('main').innerText(), /804735132/);
  assert.equal(await page.getAttribute('[data-address-verdict]', 'data-address-verdict'), 'corrected');
  await shot('5-review');
  await submit('form[action="/csp/enroll/submit"] button[type=submit]');
  assert.equal(await page.getAttribute('[data-status]', 'data-status'), 'pending_review');
  await shot('6-submitted');
  assert.deepEqual(consoleErrors.filter(e => !/status of 422/.test(e)), [], 'no console error (CSP included)');
});

try {
  await run();
} finally {
  await browser.close();
}
