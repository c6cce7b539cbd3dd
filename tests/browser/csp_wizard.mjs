// The CSP wizard in headless Chromium: a US company (signed up, verified and enrolled over HTTP,
// its session cookie handed to the browser) walks every step with clicks — location radio, DUNS
// lookup and pick of the fixture company (or manual entry when no simulator runs), address with
// the suggestion, contacts (a direct bill without its fields first: the errors next to them),
// review — and submits. Screenshots of each step in $PARTNERDESK_VAR/screenshots/csp-*.png; no
// console error except the expected 422. Then a reviewer decides on it by keyboard only (focus
// order of the decision form; screenshots review-*.png).
import { launch, screenshotter, checkErrorFrame } from './lib.mjs';
import {
  test, run, assert, BASE, simBase, simAddresses, simGorman, simSearchName as searchName, upperWords as upper, cspPartner, cspApp,
  reviewer,
} from '../acceptance/lib.mjs';

const SIM = simBase();
const GORMAN = SIM && simGorman();
// The fixture address of the company, typed as in the fixture (the service answers its standard form).
const ADDRESS = SIM && (simAddresses().find(a => a.country === 'US' && upper(a.street) === upper(GORMAN.street)) ||
  simAddresses().find(a => a.country === 'US' && !/\b(STE|APT)\b/.test(a.std_street)));

const p = await cspPartner({ country: 'US', company: `Gorman Browser ${Date.now()}` });

const { browser, context, page, consoleErrors } = await launch({ locale: 'en-US' });
await context.addCookies([{ name: 'pd_session', value: p.client.cookies.get('pd_session'), url: BASE }]);
const shot = screenshotter(page, 'csp-');
// Clicks a submit button and waits for the page it leads to; the navigation's response.
const submit = async selector => (await Promise.all([page.waitForNavigation(), page.click(selector)]))[0];
const current = () => page.locator('ol.progress li[aria-current="step"]').innerText();

test('the wizard opens at step 1 (Location) with the progress list and status draft', async () => {
  const r = await page.goto(`${BASE}/csp/enroll`);
  assert.equal(r.status(), 200);
  assert.equal(await page.locator('[data-status]').count(), 1);
  assert.equal(await page.getAttribute('[data-status]', 'data-status'), 'draft');
  assert.match(await current(), /Location/);
  await shot('1-location');
});

test('step 1: click the location radio and continue → Company', async () => {
  await page.check(`input[name="partner_id"][value="${p.location}"]`);
  const r = await submit('form[action="/csp/enroll/location"] button[type=submit]');
  assert.equal(r.status(), 200);
  assert.match(await current(), /Company/);
});

test('step 2: the manual form sent empty — the error summary links to that form\'s own controls (m_*), not the address step\'s', async () => {
  await page.click('details.card > summary');
  for (const id of ['#legal_name', '#m_address_line1', '#m_city']) await page.fill(id, '');
  const r = await submit('form:has(input[name="mode"][value="manual"]) button[type=submit]');
  assert.equal(r.status(), 422);
  assert.notEqual(await page.getAttribute('details.card', 'open'), null, 'the manual form stays open');
  const links = await checkErrorFrame(page, assert);
  assert.deepEqual(links.map(l => l.href), ['#legal_name', '#m_address_line1', '#m_city']);
  assert.equal(await page.getAttribute('#m_city', 'aria-describedby'), 'm_city-error');
  await shot('2-manual-errors');
});

test(SIM ? 'step 2: look the company up by name and pick the fixture company among the candidates (data-confidence)'
  : 'step 2: no simulator — enter the company manually', async () => {
  if (SIM) {
    await page.fill('#company_name', searchName(GORMAN));
    await submit('form:has(input[name="mode"][value="lookup"]) button[type=submit]');
    const radios = page.locator('input[name="duns"][data-confidence]');
    assert.ok(await radios.count() >= 1, 'candidates');
    const confidence = Number(await page.getAttribute(`input[name="duns"][value="${GORMAN.duns}"]`, 'data-confidence'));
    assert.ok(confidence >= 1 && confidence <= 10, `confidence ${confidence}`);
    await shot('2-candidates');
    await page.check(`input[name="duns"][value="${GORMAN.duns}"]`);
    await submit('form:has(input[name="source"][value="lookup"]) button[type=submit]');
  } else {
    await page.click('details.card > summary');
    await page.fill('#legal_name', `Gorman Browser ${p.domain}`);
    await page.fill('#m_address_line1', `${10000 + (Date.now() % 80000)} Market St`); // never answered before (no cached answer)
    await page.fill('#m_city', 'San Francisco');
    await page.fill('#m_region', 'CA');
    await page.fill('#m_postal_code', '94110');
    await shot('2-manual');
    await submit('form:has(input[name="mode"][value="manual"]) button[type=submit]');
  }
  assert.match(await current(), /Address/);
});

test(SIM ? 'step 3: the standardised address is suggested beside the entered one; keep the suggestion'
  : 'step 3: no simulator — the address is kept as entered and flagged unverified', async () => {
  if (SIM) {
    await page.fill('#address_line1', ADDRESS.street);
    await page.fill('#city', ADDRESS.city);
    await page.fill('#region', ADDRESS.region);
    await page.fill('#postal_code', ADDRESS.postal_code);
    await submit('form[action="/csp/enroll/address"] button[type=submit]:not([name])');
    assert.ok((await page.locator('[data-suggested-address]').innerText()).includes(ADDRESS.std_street));
    assert.ok((await page.locator('[data-entered-address]').innerText()).includes(ADDRESS.street));
    await shot('3-suggestion');
    await page.check('input[name="use"][value="suggested"]');
    await submit('.compare button[type=submit]');
  } else {
    await shot('3-address');
    await submit('form[action="/csp/enroll/address"] button[type=submit]:not([name])');
  }
  assert.match(await current(), /Contacts/);
});

test('step 4: a direct bill without billing day and tax ID shows both errors next to the fields (422); indirect reseller continues', async () => {
  await page.fill('#contact_phone', '+1 415 555 0100');
  await page.fill('#support_email', p.email);
  await page.fill('#support_phone', '+1 415 555 0199');
  await page.check('input[name="model"][value="direct_bill"]');
  const r = await submit('form[action="/csp/enroll/contact"] button[type=submit]');
  assert.equal(r.status(), 422);
  assert.equal(await page.locator('.error[data-field="billing_day"]').count(), 1);
  assert.equal(await page.locator('.error[data-field="tax_id"]').count(), 1);
  assert.equal(await page.inputValue('#contact_phone'), '+1 415 555 0100', 'entered values kept');
  const links = await checkErrorFrame(page, assert);
  assert.deepEqual(links.map(l => l.href), ['#billing_day', '#tax_id']);
  await shot('4-contacts-errors');
  await page.check('input[name="model"][value="indirect_reseller"]');
  await submit('form[action="/csp/enroll/contact"] button[type=submit]');
  assert.match(await current(), /Review/);
});

test('step 5: the review shows the choices and the address verdict; submit → data-status pending_review; no console error but the expected 422', async () => {
  const main = await page.locator('main').innerText();
  assert.ok(main.includes(p.location), 'location on the review');
  if (SIM) assert.ok(main.includes(GORMAN.duns), 'DUNS on the review');
  assert.equal(await page.getAttribute('[data-address-verdict]', 'data-address-verdict'), SIM ? 'corrected' : 'unverified');
  await shot('5-review');
  await submit('form[action="/csp/enroll/submit"] button[type=submit]');
  assert.equal(await page.locator('[data-status]').count(), 1);
  assert.equal(await page.getAttribute('[data-status]', 'data-status'), 'pending_review');
  assert.equal(cspApp(p.tenant, ['status']).status, 'pending_review');
  await shot('6-submitted');
  assert.deepEqual(consoleErrors.filter(e => !/status of 422/.test(e)), [], 'no console error (CSP violations included)');
});

test('the reviewer\'s console by keyboard: the comparison table, then the decision form — the decisions in order (approve, request a document, request the questionnaire, reject) by arrows, Tab to the note, Tab to the button; a request without a note → 422 with the error under the note, same order; with a note → recorded', async () => {
  const staff = await reviewer();
  const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 1000 } });
  await ctx.addCookies([{ name: 'pd_session', value: staff.cookies.get('pd_session'), url: BASE }]);
  const rp = await ctx.newPage();
  const errors = [];
  rp.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  const app = cspApp(p.tenant, ['id']).id;
  const shotR = screenshotter(rp, 'review-');
  try {
    let r = await rp.goto(`${BASE}/review/${app}`);
    assert.equal(r.status(), 200);
    assert.equal(await rp.locator('tr[data-compare-field]').count(), 7, 'the comparison, one row per field');
    await shotR('detail');
    // What has the focus: "name=value" of a control, its id, or its tag and text.
    const focused = () => rp.evaluate(() => {
      const e = document.activeElement;
      if (e.type === 'radio') return `${e.name}=${e.value}`;
      return e.id ? `#${e.id}` : `${e.tagName.toLowerCase()}:${e.textContent.trim()}`;
    });
    const decisions = await rp.locator('form.decision input[name="action"]').evaluateAll(l => l.map(e => e.value));
    assert.deepEqual(decisions, ['approve', 'request_document', 'request_questionnaire', 'reject'], 'approve, the two requests, reject last');
    const labelled = await rp.locator('form.decision input[name="action"]').evaluateAll(l => l.every(e => e.labels.length === 1 && e.labels[0].textContent.trim() !== ''));
    assert.ok(labelled, 'each decision has its label');
    assert.equal(await rp.evaluate(() => document.getElementById('note').labels[0]?.getAttribute('for')), 'note', 'the note has its label');
    await rp.focus('form.decision input[name="action"][value="approve"]');
    const seen = [await focused()];
    for (let i = 0; i < 3; i++) { await rp.keyboard.press('ArrowDown'); seen.push(await focused()); }
    assert.deepEqual(seen, decisions.map(d => `action=${d}`), 'arrows walk the decisions in order');
    await rp.keyboard.press('ArrowUp');
    await rp.keyboard.press('ArrowUp');
    assert.equal(await focused(), 'action=request_document');
    assert.ok(await rp.isChecked('input[name="action"][value="request_document"]'), 'the arrow selects');
    await rp.keyboard.press('Tab');
    assert.equal(await focused(), '#note', 'Tab: from the decisions to the note');
    await rp.keyboard.press('Tab');
    assert.equal(await focused(), 'button:Record the decision', 'Tab: then the button');
    await rp.keyboard.press('Shift+Tab');
    await rp.keyboard.press('Shift+Tab');
    assert.equal(await focused(), 'action=request_document', 'Shift+Tab back to the chosen decision');
    await rp.keyboard.press('Tab');
    await rp.keyboard.press('Tab');
    [r] = await Promise.all([rp.waitForNavigation(), rp.keyboard.press('Enter')]);
    assert.equal(r.status(), 422, 'a request without a note');
    assert.equal(await rp.locator('form.decision .error[data-field="note"]').count(), 1, 'the error under the note');
    assert.ok(await rp.isChecked('input[name="action"][value="request_document"]'), 'the decision kept');
    await shotR('decision-error');
    await rp.focus('input[name="action"][value="request_document"]');
    await rp.keyboard.press('Tab');
    assert.equal(await focused(), '#note', 'the same order after the error');
    await rp.keyboard.type('Please send your certificate of incorporation.');
    await rp.keyboard.press('Tab');
    assert.equal(await focused(), 'button:Record the decision');
    [r] = await Promise.all([rp.waitForNavigation(), rp.keyboard.press('Enter')]);
    assert.equal(r.status(), 200);
    assert.match(rp.url(), /\/review\/\d+\?done=1$/);
    assert.equal(cspApp(p.tenant, ['status']).status, 'info_requested');
    assert.deepEqual(errors.filter(e => !/status of 422/.test(e)), [], 'no console error');
  } finally {
    await ctx.close();
  }
});

try {
  await run();
} finally {
  await browser.close();
}
