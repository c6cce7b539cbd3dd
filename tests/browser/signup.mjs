// Browser journey in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core):
// sign up through the real page (a refused free-mail address first, then a work address), land on
// the dashboard, open the verification link from the mail spool, become a partner and find the
// partner ID through Settings > Account settings > Identifiers, switch language, sign out.
// Screenshots go to $PARTNERDESK_VAR/screenshots.
import { launch, screenshotter, checkErrorFrame } from './lib.mjs';
import { test, run, assert, BASE, uniqueDomain, waitMail, linkIn, countRows, quote } from '../acceptance/lib.mjs';

const { browser, page, consoleErrors } = await launch({ locale: 'en-GB', viewport: { width: 1100, height: 900 } });
const shot = screenshotter(page);
const failedLoads = [];
page.on('response', r => { if (r.status() === 404) failedLoads.push(r.url()); });

const domain = uniqueDomain('browser');
const email = `marie.curie@${domain}`;
const company = `Curie Conseil ${domain}`;

async function fillSignup(address) {
  await page.fill('#email', address);
  await page.fill('#password', 'radium and polonium 1898');
  await page.fill('#display_name', 'Marie Curie');
  await page.fill('#company_name', company);
  await page.selectOption('#country', 'FR');
}

test('the sign-up page opens in English and shows the form', async () => {
  const resp = await page.goto(`${BASE}/signup`);
  assert.equal(resp.status(), 200);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.locator('form[action="/signup"] button[type=submit]').count(), 1);
});

test('a free-mail address is refused next to the field, the other values are kept, nothing is created', async () => {
  await fillSignup(`marie.curie@gmail.com`);
  const [resp] = await Promise.all([page.waitForNavigation(), page.click('form[action="/signup"] button[type=submit]')]);
  assert.equal(resp.status(), 422);
  const err = page.locator('[data-field="email"]');
  assert.equal(await err.count(), 1);
  assert.match(await err.innerText(), /work|professional|free/i);
  assert.equal(await page.getAttribute('#email', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#company_name'), company, 'company name kept');
  assert.equal(await page.inputValue('#country'), 'FR', 'country kept');
  assert.equal(await page.inputValue('#password'), '', 'password never echoed');
  assert.equal(countRows('tenants', `name = ${quote(company)}`), 0);
  await shot('signup-refused');
});

test('the refused sign-up has the error summary first, focused, linking to the field; the title says Error', async () => {
  const links = await checkErrorFrame(page, assert);
  assert.deepEqual(links.map(l => l.href), ['#email']);
  assert.match(await page.getAttribute('#email', 'aria-describedby'), /(^| )email-error( |$)/);
  assert.equal(await page.getAttribute('#password', 'aria-describedby'), 'password-hint', 'the hint is tied to its control');
});

test('in French, an empty sign-up lists every field in the order of the form, "Erreur :" in the title', async () => {
  const resp = await page.goto(`${BASE}/signup?lang=fr`);
  assert.equal(resp.status(), 200);
  assert.ok(!(await page.title()).startsWith('Erreur'), 'no error before sending');
  assert.equal(await page.locator('.error-summary').count(), 0);
  const [r] = await Promise.all([page.waitForNavigation(), page.click('form[action="/signup"] button[type=submit]')]);
  assert.equal(r.status(), 422);
  const links = await checkErrorFrame(page, assert, { lang: 'fr' });
  assert.deepEqual(links.map(l => l.href), ['#email', '#password', '#display_name', '#company_name', '#country']);
  await shot('signup-errors-fr');
  await page.goto(`${BASE}/signup?lang=en`);
});

test('a work address creates the account and lands on the dashboard', async () => {
  await fillSignup(email);
  const [resp] = await Promise.all([page.waitForNavigation(), page.click('form[action="/signup"] button[type=submit]')]);
  assert.equal(resp.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/dashboard');
  assert.match(await page.locator('h1').innerText(), /Dashboard/);
  assert.equal(await page.getAttribute('[data-email-verified]', 'data-email-verified'), 'no');
  assert.equal(countRows('tenants', `name = ${quote(company)}`), 1);
  await shot('dashboard-unverified');
});

test('the verification link from the email verifies the address', async () => {
  const mail = await waitMail(email, /verify-email\?token=/);
  const link = linkIn(mail, '/verify-email?token=');
  const resp = await page.goto(BASE + link.pathname + link.search);
  assert.equal(resp.status(), 200);
  assert.equal(await page.locator('[data-verified]').count(), 1);
  await page.goto(`${BASE}/dashboard`);
  assert.equal(await page.locator('[data-email-verified]').count(), 0, 'banner gone');
});

let globalId, locationId;
test('"Become a partner" from the dashboard enrolls the company and shows its partner IDs', async () => {
  await Promise.all([page.waitForNavigation(), page.click('a[href="/enroll"]')]);
  assert.equal(await page.inputValue('#legal_name'), company, 'legal name prefilled from the company');
  await page.fill('#address_line1', '36 quai des Orfèvres');
  await page.fill('#city', 'Paris');
  await page.fill('#postal_code', '75001');
  await page.fill('#phone', '+33 1 40 00 00 00');
  await page.fill('#website', 'https://curie.example');
  assert.equal(await page.inputValue('#country'), 'FR', 'country prefilled from the tenant');
  const [resp] = await Promise.all([page.waitForNavigation(), page.click('form[action="/enroll"] button[type=submit]')]);
  assert.equal(resp.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/account/identifiers');
  globalId = await page.getAttribute('tr[data-kind="global"]', 'data-partner-id');
  locationId = await page.getAttribute('tr[data-kind="location"]', 'data-partner-id');
  assert.match(globalId, /^\d{7}$/);
  assert.match(locationId, /^\d{7}$/);
  assert.notEqual(globalId, locationId);
  assert.equal(await page.getAttribute('tr[data-kind="location"]', 'data-country'), 'FR');
  await shot('identifiers');
});

test('the partner ID is found through Settings > Account settings > Identifiers, and on Legal info', async () => {
  await page.goto(`${BASE}/dashboard`);
  await Promise.all([page.waitForNavigation(), page.click('header nav a[href="/settings"]')]);
  await Promise.all([page.waitForNavigation(), page.click('main a:text-is("Account settings")')]);
  await Promise.all([page.waitForNavigation(), page.click('main a:text-is("Identifiers")')]);
  assert.equal(new URL(page.url()).pathname, '/account/identifiers');
  assert.equal(await page.locator(`tr[data-partner-id="${globalId}"]`).count(), 1);
  await page.goto(`${BASE}/settings/account`);
  await Promise.all([page.waitForNavigation(), page.click('main a:text-is("Legal info")')]);
  assert.equal(await page.textContent('[data-partner-id]'), globalId);
  assert.match(await page.locator('main').innerText(), /Partner ID \(formerly MPN ID\)/);
});

test('the language switch turns the page to French and stays on it', async () => {
  await page.goto(`${BASE}/account/identifiers`);
  await page.click('header a.lang');
  await page.waitForLoadState();
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  assert.match(await page.locator('h1').innerText(), /Identificateurs/);
  assert.match(await page.locator('main').innerText(), /ID partenaire \(anciennement ID MPN\)/);
  await page.goto(`${BASE}/dashboard`);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr', 'the choice is remembered');
  assert.match(await page.locator('h1').innerText(), /Tableau de bord/);
  await shot('dashboard-fr');
});

test('sign out ends the session: the dashboard sends back to sign-in', async () => {
  await Promise.all([page.waitForNavigation(), page.click('form[action="/signout"] button')]);
  const resp = await page.goto(`${BASE}/dashboard`);
  assert.equal(new URL(page.url()).pathname, '/signin');
  assert.equal(resp.status(), 200);
  assert.deepEqual(failedLoads, [], 'every resource a page asked for exists');
  // The 422 of the refused sign-up is logged by Chromium as a failed load; anything else
  // (a CSP violation, a script error) fails the test.
  assert.deepEqual(consoleErrors.filter(e => !/status of 422/.test(e)), [], 'no console error (CSP included)');
});

try {
  await run();
} finally {
  await browser.close();
}
