// A business profile built through the wizard in headless Chromium, then found by a customer. A
// French company with a second location in Germany (enrolled over HTTP, its session cookie handed
// to the browser) walks every step with clicks and the keyboard only: the navigation's Business
// profiles, Create a profile, the managing ID and the non-CSP type (the CSP one greyed out with its
// reason), publish locations (none checked at first: France and Germany), sell markets (the
// publish countries greyed out; a whole region and a single country), content (a URL in the
// description first: the error next to it and in the summary; then every field, a French
// description for France and a PNG logo made here), review, publish; a step revisited from the
// progress list keeps what was stored. Then an anonymous customer in a fresh context searches
// /partners by country and keyword, opens the profile in its French variant and sends the contact
// form: a lead for the managing partner ID, an email to the lead contact. Screenshots in
// $PARTNERDESK_VAR/screenshots/profile-*.png; axe-core (no serious or critical violation) on the
// wizard steps, the directory and the public page; no sideways scroll at 375 px on the markets
// step and the directory, in English and in French; no console error except the expected 422s.
import { deflateSync } from 'node:zlib';
import { launch, screenshotter, checkErrorFrame, axeRun } from './lib.mjs';
import { test, run, assert, BASE, enrolledCompany, addLocation, sql, sqlValue, waitMail } from '../acceptance/lib.mjs';

// A PNG of width × height (RGB, a two-colour band pattern), encoded here.
function png(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = buf => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4), sum = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter method, no interlace
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1); // filter byte 0, then the pixels
    for (let x = 0; x < width; x++) raw.set(Math.floor(x / 20) % 2 ? [0x1f, 0x4e, 0x79] : [0xf2, 0xa9, 0x00], row + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// A word no other profile holds, for the keyword search (letters only: one FULLTEXT token).
const WORD = `kestrel${Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;
const NAME = `Kestrel Cloud ${WORD}`;
const DESCRIPTION = `We move small and medium businesses to the cloud with ${WORD} migrations.\nThen we secure and run them, day after day.`;
const DESCRIPTION_FR = `Nous accompagnons les PME françaises vers le cloud : migration ${WORD}, sécurité et exploitation au quotidien.`;
const WEBSITE = 'https://kestrel.example/cloud';
const AREAS = ['infrastructure', 'security'];
const INDUSTRIES = ['manufacturing', 'retail'];
const LANGUAGES = ['en', 'fr', 'de'];
const REGION = 'europe'; // the whole region: its countries but the publish locations
const COUNTRY = 'US'; // a single country, of the united_states region
const LOGO = png(120, 40);

const co = await enrolledCompany({ company: `Kestrel ${WORD}` }); // France: the PGA and a location ID (pla)
const deId = await addLocation(co.client, co.email, {
  name: 'Kestrel Berlin', country: 'DE', address_line1: 'Friedrichstraße 68', city: 'Berlin', postal_code: '10117',
  region: '', contact_name: 'Jonas Weber',
});
const LEAD_EMAIL = `leads.${WORD}@${co.domain}`;

const { browser, context, page, consoleErrors } = await launch({ locale: 'en-GB', viewport: { width: 1100, height: 1000 } });
await context.addCookies([{ name: 'pd_session', value: co.client.cookies.get('pd_session'), url: BASE }]);
const shot = screenshotter(page, 'profile-');
// Clicks (or presses a key on) what submits or follows, and waits for the page it leads to.
const follow = async (selector, key) => (await Promise.all([page.waitForNavigation(),
  key ? page.press(selector, key) : page.click(selector)]))[0];
const current = () => page.locator('ol.progress li[aria-current="step"]').innerText();
const checked = (p, name) => p.locator(`input[name="${name}"]:checked`).evaluateAll(l => l.map(e => e.value));
let profileId, slug;
// Opens (by a click on its summary) the region that lists the country, unless it is open.
async function openRegion(cc) {
  const details = page.locator(`details.region:has(input[value="${cc}"])`);
  if (await details.getAttribute('open') === null) await details.locator('> summary').click();
}

// axe-core on the page as it is: no serious or critical violation (the others are listed after the run).
const axeFindings = [];
async function axe(p, where) {
  const r = await axeRun(p);
  assert.ok(r.passes.length > 10, `axe ran its rules on ${where}`);
  for (const v of r.violations)
    axeFindings.push(`${where}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
  const bad = r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map(v => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`), [],
    `no serious or critical axe violation on ${where}`);
}
// No sideways scroll at 375 px (the viewport is set back afterwards).
async function narrow(p, where, prepare) {
  const size = p.viewportSize();
  await p.setViewportSize({ width: 375, height: 800 });
  try {
    if (prepare) await prepare();
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    const wide = await p.evaluate(() => [...document.querySelectorAll('main *')]
      .filter(e => e.getBoundingClientRect().right > 375.5 && e.getClientRects().length)
      .slice(0, 5).map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + String(e.className).replace(/\s+/g, '.') : ''}`));
    await screenshotter(p, 'profile-')(`${where}-375`);
    assert.ok(width <= 375, `${where} at 375 px: scrollWidth ${width} (wider: ${wide.join(', ')})`);
  } finally {
    await p.setViewportSize(size);
  }
}

test('the navigation leads to Business profiles; Create a profile opens step 1', async () => {
  let r = await page.goto(`${BASE}/dashboard`);
  assert.equal(r.status(), 200);
  r = await follow('header nav a[href="/profiles"]');
  assert.equal(r.status(), 200);
  assert.equal(await page.locator('tr[data-profile-id]').count(), 0, 'no profile yet');
  await shot('0-list-empty');
  await axe(page, 'the profiles list (empty)');
  r = await follow('main a[href="/profiles/new"]');
  assert.equal(r.status(), 200);
  assert.match(await current(), /Partner ID and type/);
});

test('step 1: the CSP type is disabled with its reason shown; choose the French location ID and the non-CSP type', async () => {
  const csp = page.locator('input[name="type"][value="csp"]');
  assert.ok(await csp.isDisabled(), 'the CSP radio is disabled');
  const reason = page.locator('label.choice:has(input[name="type"][value="csp"]) .reason');
  assert.ok(await reason.isVisible(), 'its reason is visible');
  assert.match(await reason.innerText(), /CSP/);
  assert.equal(await page.getAttribute('label.choice:has(input[name="type"][value="csp"])', 'data-refusal'), 'not_csp_tenant');
  const ids = await page.locator('input[name="partner_id"]').evaluateAll(l => l.map(e => e.value));
  assert.deepEqual(ids.sort(), [co.pga, co.pla, deId].sort(), 'every active ID of the company is offered');
  await shot('1-type');
  await axe(page, 'step 1 (ID and type)');
  // Keyboard: the space bar selects the focused radio.
  await page.focus(`input[name="partner_id"][value="${co.pla}"]`);
  await page.keyboard.press('Space');
  assert.ok(await page.isChecked(`input[name="partner_id"][value="${co.pla}"]`));
  await page.click('input[name="type"][value="non_csp"]');
  const r = await follow('form:has(input[name="type"]) button[type=submit]');
  assert.equal(r.status(), 200);
  assert.match(page.url(), /\/profiles\/\d+\/locations$/);
  profileId = Number(page.url().match(/\/profiles\/(\d+)\//)[1]);
  assert.match(await current(), /Publish locations/);
  assert.equal(await page.getAttribute('[data-profile-id]', 'data-type'), 'non_csp');
  assert.equal(await page.getAttribute('[data-profile-id]', 'data-status'), 'draft');
});

test('step 2: publish locations — France and Germany offered, none checked at first; check both', async () => {
  const offered = await page.locator('input[name="publish_location"]').evaluateAll(l => l.map(e => e.value));
  assert.deepEqual(offered.sort(), ['DE', 'FR']);
  assert.deepEqual(await checked(page, 'publish_location'), [], 'nothing checked at first, not even the managing ID\'s country');
  await shot('2-locations');
  await axe(page, 'step 2 (publish locations)');
  await page.check('input[name="publish_location"][value="FR"]');
  await page.check('input[name="publish_location"][value="DE"]');
  const r = await follow('form[action$="/locations"] button[type=submit]');
  assert.equal(r.status(), 200);
  assert.match(await current(), /Sell markets/);
});

test('step 3: sell markets — the publish countries disabled with the reason; a whole region and a single country', async () => {
  for (const cc of ['FR', 'DE']) {
    const box = page.locator(`input[name="sell_market"][value="${cc}"]`);
    assert.equal(await box.count(), 1, `${cc} is listed`);
    assert.ok(await box.isDisabled(), `${cc} is disabled`);
    const label = page.locator(`label.choice:has(input[name="sell_market"][value="${cc}"])`);
    assert.equal(await label.getAttribute('data-refusal'), 'publish_location');
    // The reason shows once the region is opened.
    await openRegion(cc);
    assert.ok(await label.locator('.reason').isVisible(), `the reason for ${cc} is visible`);
    assert.match(await label.locator('.reason').innerText(), /publish location/);
  }
  assert.deepEqual(await checked(page, 'sell_market'), [], 'no market at first');
  await shot('3-markets');
  await axe(page, 'step 3 (sell markets)');
  await narrow(page, '3-markets', () => openRegion(COUNTRY));
  await page.check(`input[name="sell_region"][value="${REGION}"]`);
  await openRegion(COUNTRY);
  // Keyboard: Space checks the focused box.
  await page.focus(`input[name="sell_market"][value="${COUNTRY}"]`);
  await page.keyboard.press('Space');
  assert.ok(await page.isChecked(`input[name="sell_market"][value="${COUNTRY}"]`));
  await shot('3-markets-chosen');
  const r = await follow('form[action$="/markets"] button[type=submit]');
  assert.equal(r.status(), 200);
  assert.match(await current(), /Content/);
});

test('step 4: content — a URL in the description is refused next to the field and in the error summary (422), the rest kept; fixed, it is stored', async () => {
  const fr = page.locator('#description_FR');
  assert.equal(await fr.count(), 1, 'a description for France');
  assert.equal(await page.locator('#description_DE').count(), 1, 'and one for Germany');
  assert.match(await page.locator('label[for="description_FR"]').innerText(), /France/);
  await page.fill('#name', NAME);
  await page.fill('#description', `${DESCRIPTION} See https://kestrel.example/offer for our prices.`);
  await page.click('#description_FR');
  await page.keyboard.type(DESCRIPTION_FR);
  await page.fill('#website', WEBSITE);
  await page.fill('#lead_email', LEAD_EMAIL);
  for (const a of AREAS) await page.check(`input[name="solution_area"][value="${a}"]`);
  for (const i of INDUSTRIES) await page.check(`input[name="industry"][value="${i}"]`);
  for (const l of LANGUAGES) await page.check(`input[name="language"][value="${l}"]`);
  await page.setInputFiles('#logo', { name: 'kestrel.png', mimeType: 'image/png', buffer: LOGO });
  await shot('4-content');
  await axe(page, 'step 4 (content)');
  let r = await follow('form[action$="/content"] button[type=submit]');
  assert.equal(r.status(), 422);
  assert.equal(await page.locator('.error[data-field="description"]').count(), 1, 'the error next to the description');
  assert.equal(await page.locator('.error[data-field]').count(), 1, 'only that error');
  const links = await checkErrorFrame(page, assert);
  assert.deepEqual(links.map(l => l.href), ['#description']);
  assert.equal(await page.inputValue('#name'), NAME, 'the name kept');
  assert.equal(await page.inputValue('#description_FR'), DESCRIPTION_FR, 'the French description kept');
  assert.deepEqual((await checked(page, 'solution_area')).sort(), AREAS, 'the areas kept');
  await shot('4-content-error');
  await axe(page, 'step 4 with the error');
  // The logo was not stored with the refused form: send it again.
  await page.fill('#description', DESCRIPTION);
  await page.setInputFiles('#logo', { name: 'kestrel.png', mimeType: 'image/png', buffer: LOGO });
  r = await follow('form[action$="/content"] button[type=submit]');
  assert.equal(r.status(), 200);
  assert.match(await current(), /Review/);
});

test('step 5: the review shows what was entered; publish → the list shows it published', async () => {
  const main = page.locator('main');
  const text = await main.innerText();
  assert.ok(text.includes(NAME), 'the name');
  assert.ok(text.includes(DESCRIPTION), 'the description, its line break kept');
  assert.ok(text.includes(WEBSITE), 'the website');
  assert.ok(text.includes(LEAD_EMAIL), 'the lead email');
  assert.ok(text.includes(co.pla), 'the managing partner ID (for the partner, not for customers)');
  const locs = await page.locator('li[data-country]').evaluateAll(l => l.map(e => e.dataset.country));
  assert.ok(locs.includes('FR') && locs.includes('DE'), 'the publish locations');
  assert.ok(locs.includes(COUNTRY), 'the single market');
  assert.ok(locs.includes('BE') && locs.includes('ES'), 'the region\'s countries');
  assert.equal(locs.filter(c => c === 'FR').length, 1, 'France once: a publish location, no market');
  assert.equal(await page.locator('[data-missing-step]').count(), 0, 'no step missing');
  assert.ok(await page.locator('dd img').evaluate(i => i.complete && i.naturalWidth === 120), 'the logo shows, 120 px wide');
  await shot('5-review');
  await axe(page, 'step 5 (review)');
  const r = await follow('form[action$="/publish"] button[type=submit]');
  assert.equal(r.status(), 200);
  assert.match(page.url(), /\/profiles(\?|$)/);
  const row = page.locator(`tr[data-profile-id="${profileId}"]`);
  assert.equal(await row.getAttribute('data-status'), 'published');
  assert.equal(await row.getAttribute('data-type'), 'non_csp');
  assert.equal(await row.getAttribute('data-managing-partner-id'), co.pla);
  slug = (await row.locator('a[href^="/partners/"]').getAttribute('href')).replace('/partners/', '');
  assert.ok(slug, 'the public page is linked');
  await shot('6-list-published');
  await axe(page, 'the profiles list');
});

test('a step revisited from the progress list shows what was stored (locations, markets, content)', async () => {
  await follow(`tr[data-profile-id="${profileId}"] td:first-child a`);
  await follow('ol.progress a[href$="/locations"]');
  assert.match(await current(), /Publish locations/);
  assert.deepEqual((await checked(page, 'publish_location')).sort(), ['DE', 'FR']);
  await follow('ol.progress a[href$="/markets"]');
  assert.match(await current(), /Sell markets/);
  assert.deepEqual(await checked(page, 'sell_region'), [REGION]);
  const markets = await checked(page, 'sell_market');
  assert.ok(markets.includes(COUNTRY) && markets.includes('BE'), 'the country and the region\'s countries');
  assert.ok(!markets.includes('FR'), 'no publish country');
  await follow('ol.progress a[href$="/content"]');
  assert.match(await current(), /Content/);
  assert.equal(await page.inputValue('#name'), NAME);
  assert.equal(await page.inputValue('#description'), DESCRIPTION);
  assert.equal(await page.inputValue('#description_FR'), DESCRIPTION_FR);
  assert.equal(await page.inputValue('#description_DE'), '');
  assert.equal(await page.inputValue('#website'), WEBSITE);
  assert.equal(await page.inputValue('#lead_email'), LEAD_EMAIL);
  assert.deepEqual((await checked(page, 'solution_area')).sort(), AREAS);
  assert.deepEqual((await checked(page, 'industry')).sort(), INDUSTRIES);
  assert.deepEqual((await checked(page, 'language')).sort(), [...LANGUAGES].sort());
  assert.ok(await page.locator('main img[src$="/logo"]').evaluate(i => i.complete && i.naturalWidth === 120), 'the stored logo');
  await shot('7-content-revisited');
  await follow('ol.progress a[href$="/type"]');
  assert.ok(await page.isChecked(`input[name="partner_id"][value="${co.pla}"]`), 'the managing ID');
  assert.ok(await page.isChecked('input[name="type"][value="non_csp"]'), 'the type');
  assert.deepEqual(consoleErrors.filter(e => !/status of 422/.test(e)), [], 'no console error but the expected 422');
});

test('a customer (anonymous, fresh context) searches by country and keyword, finds the profile, reads it in French and sends the contact form → a lead for the managing ID, an email to the lead contact', async () => {
  const ctx = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1100, height: 1000 } });
  ctx.setDefaultTimeout(15000);
  const cp = await ctx.newPage();
  const errors = [];
  cp.on('console', m => { if (m.type() === 'error' && !/status of 422/.test(m.text())) errors.push(m.text()); });
  const cshot = screenshotter(cp, 'profile-');
  const go = async (selector, key) => (await Promise.all([cp.waitForNavigation(),
    key ? cp.press(selector, key) : cp.click(selector)]))[0];
  try {
    let r = await cp.goto(`${BASE}/?lang=en`);
    assert.equal(r.status(), 200);
    r = await go('header nav a[href="/partners"]');
    assert.equal(r.status(), 200);
    assert.equal(await cp.locator('header nav a[href="/profiles"]').count(), 0, 'no profiles link for a customer');
    await cp.selectOption('#country', 'FR');
    await cp.click('#q');
    await cp.keyboard.type(WORD);
    r = await go('#q', 'Enter');
    assert.equal(r.status(), 200);
    const url = new URL(cp.url());
    assert.equal(url.searchParams.get('country'), 'FR');
    assert.equal(url.searchParams.get('q'), WORD);
    assert.equal(await cp.getAttribute('[data-total]', 'data-total'), '1', 'the one profile with that word');
    const hit = cp.locator(`a[data-profile-slug="${slug}"]`);
    assert.equal(await hit.count(), 1, 'the profile among the results');
    assert.equal(await cp.locator('ol.hits li').first().locator('a[data-profile-slug]').getAttribute('data-profile-slug'), slug);
    await cshot('8-directory');
    await axe(cp, 'the directory search');
    await narrow(cp, '8-directory');
    r = await go(`a[data-profile-slug="${slug}"]`);
    assert.equal(r.status(), 200);
    assert.match(cp.url(), new RegExp(`/partners/${slug}\\?country=FR$`));
    assert.equal(await cp.getAttribute('[data-country-variant]', 'data-country-variant'), 'FR');
    const desc = await cp.locator('[data-description]').innerText();
    assert.equal(desc.trim(), DESCRIPTION_FR, 'the French description for France');
    const page_ = await cp.content();
    for (const id of [co.pga, co.pla, deId]) assert.ok(!page_.includes(id), `no partner ID (${id}) on the public page`);
    const facts = await cp.locator('main dl.facts').innerText();
    assert.ok(facts.includes(WEBSITE), 'the website');
    assert.ok(await cp.locator('img.logo').evaluate(i => i.complete && i.naturalWidth === 120), 'the logo from our origin');
    await cshot('9-public-fr');
    await axe(cp, 'the public profile page');
    // The default variant (no country): the default description.
    const plain = await ctx.newPage();
    await plain.goto(`${BASE}/partners/${slug}?lang=en`);
    assert.deepEqual(await plain.locator('[data-description] p').allInnerTexts(), DESCRIPTION.split('\n'), 'one paragraph a line');
    await plain.close();
    // The contact form, by keyboard from the name to the button.
    const customer = `client.${WORD}@customer.example`;
    await cp.click('#name');
    await cp.keyboard.type('Claire Dubois');
    await cp.keyboard.press('Tab');
    await cp.keyboard.type(customer);
    await cp.keyboard.press('Tab');
    await cp.keyboard.type('Fromagerie Dubois');
    await cp.keyboard.press('Tab');
    assert.equal(await cp.evaluate(() => document.activeElement.id), 'country');
    await cp.selectOption('#country', 'FR');
    await cp.keyboard.press('Tab');
    await cp.keyboard.type('+33 4 78 00 00 00');
    // The message left out: 422 with the error frame (summary and field), the values kept.
    r = await go('form[action*="/contact"] button[type=submit]', 'Enter');
    assert.equal(r.status(), 422);
    await checkErrorFrame(cp, assert, { lang: 'en' });
    assert.equal(await cp.inputValue('#name'), 'Claire Dubois');
    assert.equal(await cp.inputValue('#email'), customer);
    assert.equal(await cp.inputValue('#website_url'), '', 'the honeypot stays empty');
    await cp.click('#message');
    await cp.keyboard.type('We need to move our accounting server to the cloud before March.');
    await cp.keyboard.press('Tab');
    assert.equal(await cp.evaluate(() => document.activeElement.tagName + ':' + document.activeElement.type), 'BUTTON:submit',
      'Tab goes from the message to the button (the honeypot is skipped)');
    await cshot('10-contact');
    r = await go('form[action*="/contact"] button[type=submit]', 'Enter');
    assert.equal(r.status(), 200);
    assert.equal(await cp.locator('[data-contact-sent]').count(), 1, 'the thank-you page');
    assert.ok((await cp.locator('main').innerText()).includes(NAME), 'it names the partner');
    await cshot('11-sent');
    const leads = sql(`SELECT l.id, pa.partner_id, l.customer_email, l.customer_country, l.status FROM leads l
      LEFT JOIN partner_accounts pa ON pa.id = l.partner_account_id WHERE l.profile_id = ${Number(profileId)}`);
    assert.equal(leads.length, 1, 'one lead for the profile');
    assert.deepEqual(leads[0].slice(1), [co.pla, customer, 'FR', 'received'], 'for the managing partner ID');
    assert.equal(sqlValue(`SELECT tenant_id FROM leads WHERE id = ${Number(leads[0][0])}`), String(co.tenant));
    const mail = await waitMail(LEAD_EMAIL, /Claire Dubois/, 20000);
    assert.ok(mail.body.includes('accounting server'), 'the message in the email');
    assert.deepEqual(errors, [], 'no console error');
  } finally {
    await ctx.close();
  }
});

test('in French (longer words): the markets and content steps and the directory keep within 375 px, no serious axe violation', async () => {
  try {
    for (const step of ['markets', 'content']) {
      const r = await page.goto(`${BASE}/profiles/${profileId}/${step}?lang=fr`);
      assert.equal(r.status(), 200);
      assert.equal(await page.getAttribute('html', 'lang'), 'fr');
      await axe(page, `the ${step} step in French`);
      await narrow(page, `fr-${step}`, step === 'markets' ? () => openRegion('FR') : null);
    }
    const r = await page.goto(`${BASE}/partners?country=FR&q=${WORD}&lang=fr`);
    assert.equal(r.status(), 200);
    assert.equal(await page.locator(`a[data-profile-slug="${slug}"]`).count(), 1);
    await axe(page, 'the directory in French');
    await narrow(page, 'fr-directory');
  } finally {
    await page.goto(`${BASE}/profiles?lang=en`);
  }
});

try {
  await run();
  for (const f of axeFindings) console.log(`# axe (minor or moderate): ${f}`);
} finally {
  await browser.close();
}
