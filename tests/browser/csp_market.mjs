// Browser journey in headless Chromium (issue 14 part A): the global admin of an active US CSP
// records a customer (a bad tenant domain first: 422 and the error frame), follows the row's
// link to the eligibility check, chooses an offer, runs the check and reads why the answer is no;
// then a customer of its market gets a yes. The market, customers, offers and eligibility pages
// have no axe-core violation (WCAG 2.1 A/AA) in English and French and never scroll sideways at
// 390 px. The company is made a CSP and the offers imported outside the browser (the CSP
// wizard's own browser test covers enrollment). Screenshots go to $PARTNERDESK_VAR/screenshots.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, screenshotter, checkErrorFrame, axeViolations, submitForm } from './lib.mjs';
import {
  test, run, assert, BASE, enrolledCompany, sql, partnerAccountId, ctl, staffMember,
} from '../acceptance/lib.mjs';

// The catalog of the acceptance suite csp_market.mjs (the same file: either may run first).
const dir = mkdtempSync(join(tmpdir(), 'pd-offers-'));
const file = join(dir, 'offers.tsv');
writeFileSync(file, ['offer_id\tname\tcountries', 'PDT-M365-BB\tMicrosoft 365 Business Basic\t*',
  'PDT-D365-US\tDynamics 365 Sales (US only)\tUS', 'PDT-TEAMS-UM\tTeams Phone (UM only)\tUM',
  'PDT-AZ-AMER\tAzure plan (Americas)\tUS,UM,CA,BR'].join('\n') + '\n');
const imported = ctl(['offers', 'import', file]);
assert.equal(imported.status, 0, imported.stderr);

const s = await enrolledCompany({ lang: 'en', country: 'US', fields: { country: 'US', address_line1: '400 Pine Street', city: 'Seattle', region: 'WA', postal_code: '98101', phone: '+1 206 555 0100' } });
sql(`INSERT INTO csp_applications (tenant_id, status, step, partner_account_id, legal_name, country, submitted_at, decided_at)
     VALUES (${Number(s.tenant)}, 'active', 4, ${partnerAccountId(s.pla)}, 'Browser CSP Corp', 'US', NOW(3), NOW(3))`);

const { browser, context, page, consoleErrors } = await launch({ locale: 'en-GB', viewport: { width: 1100, height: 900 } });
const shot = screenshotter(page, 'csp-market-');
await context.addCookies([{ name: 'pd_session', value: s.client.cookies.get('pd_session'), url: BASE }]);

const submit = label => submitForm(page, label);
const axe = where => axeViolations(page, where);

let customerId;
test('record a customer (a bad domain refused first), run the check from its row, read why not; a customer of the market gets a yes', async () => {
  let resp = await page.goto(`${BASE}/dashboard`);
  assert.equal(resp.status(), 200);
  await Promise.all([page.waitForNavigation(), page.click('nav a[href="/csp/market"]')]);
  assert.equal(await page.getAttribute('[data-market-region]', 'data-market-region'), 'united_states');
  await Promise.all([page.waitForNavigation(), page.click('main nav a[href="/customers"]')]);
  await page.fill('#name', 'Maple Leaf Outfitters');
  await page.fill('#tenant_domain', 'maple leaf');
  await page.selectOption('#country', 'CA');
  resp = await submit('Record the customer');
  assert.equal(resp.status(), 422);
  // The summary takes the focus through autofocus, once the page is laid out.
  await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
  await checkErrorFrame(page, assert);
  assert.equal(await page.locator('.error[data-field=tenant_domain]').count(), 1);
  assert.equal(await page.inputValue('#name'), 'Maple Leaf Outfitters', 'the name is kept');
  await shot('customer-422');
  await page.fill('#tenant_domain', 'mapleleaf.example');
  resp = await submit('Record the customer');
  assert.equal(resp.status(), 200);
  customerId = sql(`SELECT id FROM csp_customers WHERE tenant_id = ${s.tenant} AND tenant_domain = 'mapleleaf.example'`)[0][0];
  const row = page.locator(`tr[data-customer-id="${customerId}"]`);
  assert.equal(await row.getAttribute('data-country'), 'CA');
  assert.equal(await row.getAttribute('data-relationship'), 'customer');
  await shot('customers');
  await Promise.all([page.waitForNavigation(), row.locator('a').click()]);
  assert.equal(await page.inputValue('#customer'), customerId, 'the customer chosen');
  await page.selectOption('#offer', 'PDT-D365-US');
  resp = await submit('Check');
  assert.equal(resp.status(), 200);
  assert.equal(await page.getAttribute('[data-eligible]', 'data-eligible'), 'no');
  const rules = await page.$$eval('[data-failed-rule]', els => els.map(e => e.dataset.failedRule).sort());
  assert.deepEqual(rules, ['customer_outside_market', 'offer_not_in_customer_country']);
  const why = await page.locator('[data-failed-rule=customer_outside_market]').innerText();
  assert.match(why, /Canada/);
  assert.match(why, /tenant/);
  assert.match(await page.locator('[data-failed-rule=offer_not_in_customer_country]').innerText(), /Choose an offer available in Canada/);
  await shot('eligibility-no');
  // A customer in the US Outlying Islands (the seed's example): yes.
  await page.goto(`${BASE}/customers`);
  await page.fill('#name', 'Midway Atoll Research');
  await page.fill('#tenant_domain', 'midway.example');
  await page.selectOption('#country', 'UM');
  assert.equal((await submit('Record the customer')).status(), 200);
  const midway = sql(`SELECT id FROM csp_customers WHERE tenant_id = ${s.tenant} AND tenant_domain = 'midway.example'`)[0][0];
  await page.goto(`${BASE}/csp/eligibility`);
  await page.selectOption('#customer', midway);
  await page.selectOption('#offer', 'PDT-AZ-AMER');
  assert.equal((await submit('Check')).status(), 200);
  assert.equal(await page.getAttribute('[data-eligible]', 'data-eligible'), 'yes');
  assert.equal(await page.locator('[data-failed-rule]').count(), 0);
  await shot('eligibility-yes');
});

test('the CSP pages: no axe violation in English and French, no sideways scroll at 390 px', async () => {
  const problems = [];
  const pages = ['/csp/market', '/csp/market?q=islands', '/customers', '/offers', '/csp/eligibility',
    `/csp/eligibility?customer=${customerId}&offer=PDT-TEAMS-UM`];
  for (const lang of ['en', 'fr']) {
    for (const path of pages) {
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        const resp = await page.goto(`${BASE}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        assert.equal(resp.status(), 200, `${path} ${lang}`);
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
        if (scroll > inner) problems.push(`${path} ${lang} ${width}: scrolls sideways (${scroll} > ${inner})`);
        if (width === 1280) problems.push(...await axe(`${path} ${lang}`));
        await shot(`${lang}-${width}-${path.replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '')}`);
      }
    }
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('the staff pages (a CSP\'s market, the check with a verdict and with a field error): no axe violation in English and French, no sideways scroll at 390 px', async () => {
  const staff = await staffMember('reviewer');
  const staffContext = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  await staffContext.addCookies([{ name: 'pd_session', value: staff.client.cookies.get('pd_session'), url: BASE }]);
  const p = await staffContext.newPage();
  const q = o => '/staff/eligibility?' + new URLSearchParams(o).toString();
  const pages = [`/staff/market?partner_id=${s.pla}`, '/staff/eligibility',
    q({ partner_id: s.pla, customer_country: 'CA', customer_domain: s.domain, offer: 'PDT-D365-US', relationship: 'affiliate' }),
    q({ partner_id: '0000001', customer_country: 'US', customer_domain: 'x.example', offer: 'PDT-M365-BB' })];
  const problems = [];
  for (const lang of ['en', 'fr']) {
    for (const path of pages) {
      for (const width of [1280, 390]) {
        await p.setViewportSize({ width, height: 900 });
        const resp = await p.goto(`${BASE}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        assert.equal(resp.status(), 200, `${path} ${lang}`);
        const { scroll, inner } = await p.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
        if (scroll > inner) problems.push(`${path} ${lang} ${width}: scrolls sideways (${scroll} > ${inner})`);
        if (width === 1280) {
          problems.push(...await axeViolations(p, `${path} ${lang}`));
        }
      }
    }
  }
  await p.goto(`${BASE}${pages[2]}&lang=en`);
  assert.equal(await p.getAttribute('[data-eligible]', 'data-eligible'), 'no');
  assert.equal(await p.locator('[data-failed-rule]').count(), 4);
  await screenshotter(p, 'csp-market-')('staff-eligibility');
  await staffContext.close();
  assert.deepEqual(problems, [], problems.join('\n'));
});

// The 422 answer itself is logged by Chromium as a failed resource: the one expected entry.
test('no console error but the expected 422', () =>
  assert.deepEqual(consoleErrors.filter(e => !/status of 422/.test(e)), []));

await run();
await browser.close();
