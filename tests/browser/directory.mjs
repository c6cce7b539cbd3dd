// Browser journey in headless Chromium (issue 12 item 8): a global admin builds a business profile
// through the wizard's pages (managing ID and type, publish location, sell markets, content,
// review, publish); then a customer, in another browser context, finds it in the public
// directory by country and keyword, opens its page and sends a contact request, which lands as a
// lead for the managing partner ID. Screenshots go to $PARTNERDESK_VAR/screenshots.
import { launch, screenshotter, checkErrorFrame } from './lib.mjs';
import { test, run, assert, BASE, enrolledCompany, sqlValue, quote, waitMail } from '../acceptance/lib.mjs';

const { browser, context, page, consoleErrors } = await launch({ locale: 'en-GB', viewport: { width: 1100, height: 900 } });
const shot = screenshotter(page, 'directory-');
const kw = 'zb' + Math.random().toString(36).replace(/[^a-z]/g, '').slice(0, 8);
const s = await enrolledCompany({ lang: 'en' });
await context.addCookies([{ name: 'pd_session', value: s.client.cookies.get('pd_session'), url: BASE }]);
const leadEmail = `leads.${kw}@${s.email.split('@')[1]}`;
const name = `Contoso Cloud ${kw}`;

// Clicks the submit button of the main form and waits for the page it leads to.
async function submit(p, label) {
  const [resp] = await Promise.all([p.waitForNavigation(), p.click(`main form button[type=submit]:has-text("${label}")`)]);
  return resp;
}

test('the wizard: managing ID and type, publish location, sell markets, content, review, publish', async () => {
  await page.goto(`${BASE}/profiles/new`);
  await page.check(`input[name=partner_id][value="${s.pla}"]`);
  await page.check('input[name=type][value=non_csp]');
  let resp = await submit(page, 'Continue');
  assert.match(page.url(), /\/profiles\/\d+\/locations/);
  assert.equal(resp.status(), 200);
  await page.check('input[name=publish_location][value=FR]');
  resp = await submit(page, 'Save and continue');
  assert.match(page.url(), /\/markets/);
  // Belgium, inside its region's disclosure.
  await page.click('details.region:has(input[name=sell_market][value=BE]) > summary');
  await page.check('input[name=sell_market][value=BE]');
  resp = await submit(page, 'Save and continue');
  assert.match(page.url(), /\/content/);
  await page.fill('#name', name);
  await page.fill('#description', `Secure cloud migrations and managed services for retailers. ${kw}`);
  await page.fill('#website', 'https://contoso.example');
  await page.fill('#lead_email', leadEmail);
  await page.check('input[name=solution_area][value=security]');
  await page.check('input[name=industry][value=retail]');
  await page.check('input[name=language][value=en]');
  await shot('content');
  resp = await submit(page, 'Save and continue');
  assert.equal(resp.status(), 200, `content answered ${resp.status()}`);
  if (!/\/review/.test(page.url())) await page.goto(page.url().replace(/\/[a-z]+(\?.*)?$/, '/review'));
  await shot('review');
  resp = await submit(page, 'Publish');
  assert.match(page.url(), /\/profiles/);
  assert.equal(sqlValue(`SELECT status FROM profiles WHERE name = ${quote(name)}`), 'published');
});

test('a customer finds the profile by country and keyword, opens it and sends a contact request', async () => {
  const customer = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 900 } });
  const p = await customer.newPage();
  const cshot = screenshotter(p, 'directory-customer-');
  await p.goto(`${BASE}/`);
  await Promise.all([p.waitForNavigation(), p.click('header nav a[href="/partners"]')]);
  assert.equal(await p.getAttribute('html', 'lang'), 'fr', 'the customer\'s browser language');
  await p.selectOption('#country', 'BE');
  await p.fill("#q", `${kw} cloud`);
  await submit(p, 'Rechercher');
  assert.equal(await p.getAttribute('[data-total]', 'data-total'), '1');
  const { scroll, inner } = await p.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  assert.ok(scroll <= inner, `no sideways scroll at 390 px (${scroll} > ${inner})`);
  await cshot('results');
  await Promise.all([p.waitForNavigation(), p.click('a[data-profile-slug]')]);
  assert.match(p.url(), /\/partners\/[a-z0-9-]+\?country=BE$/);
  assert.equal(await p.locator('h1').innerText(), name);
  // A field left out: 422, the error frame, the values kept.
  await p.fill('#name', 'Léa Client');
  await p.fill('#email', 'lea@client.example');
  await p.fill('#message', '');
  let resp = await submit(p, 'Envoyer la demande');
  assert.equal(resp.status(), 422);
  await checkErrorFrame(p, assert, { lang: 'fr' });
  assert.equal(await p.inputValue('#name'), 'Léa Client');
  assert.equal(await p.inputValue('#website_url'), '', 'the honeypot stays empty');
  await p.fill('#message', 'Bonjour, nous migrons vers le cloud en 2027.');
  resp = await submit(p, 'Envoyer la demande');
  assert.equal(resp.status(), 200);
  assert.match(p.url(), /\/contact\/sent\?country=BE$/);
  assert.equal(await p.locator('[data-contact-sent]').count(), 1);
  await cshot('sent');
  const pid = sqlValue(`SELECT a.partner_id FROM leads l JOIN partner_accounts a ON a.id = l.partner_account_id WHERE l.customer_email = 'lea@client.example' ORDER BY l.id DESC LIMIT 1`);
  assert.equal(pid, s.pla, 'the lead belongs to the managing partner ID');
  const mail = await waitMail(leadEmail, /Léa Client/);
  assert.match(mail.headers.subject, /New contact request/);
  await customer.close();
});

test('no console error', () => assert.deepEqual(consoleErrors, []));

await run();
await browser.close();
