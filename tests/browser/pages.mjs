// The key pages in headless Chromium, page-wide checks: every page state in English and French, at
// 1280 and 390 px wide, never scrolls sideways (document.documentElement.scrollWidth <= innerWidth),
// has no axe-core violation (WCAG 2.1 A/AA rules, run once per state and language, at 1280 px: the
// markup and colours do not change with the width), and is saved as a screenshot under
// $PARTNERDESK_VAR/screenshots/pages-<lang>-<width>-<page>.png. Also: focus is visible on a link and a
// button reached with Tab; the navigation counts (a global admin's pending actions, a reviewer's
// applications waiting); the footer's help and legal links; the print stylesheet.
// The states are built over HTTP (sign-up, enrollment, CSP wizard, staff decision) and the session
// cookies handed to the browser.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch, screenshotter, SHOTS, axeViolations } from './lib.mjs';
import {
  test, run, assert, BASE, cspPartner, cspContactFields, staffMember, simAddresses, upperWords as upper, sqlValue, cspApp,
} from '../acceptance/lib.mjs';

const t = (name, fn, ms = 1200000) => test(name, fn, { timeoutMs: ms });
const WIDTHS = [1280, 390];
const LANGS = ['en', 'fr'];

// An address the simulator answers as verified when typed in its standard form (as csp.mjs).
const us = simAddresses().filter(a => a.country === 'US');
const key = a => [a.street, a.city, a.region, a.postal_code].map(upper).join('|');
const VERIFIED = us.find(a => us.filter(b => key(b) === key(a)).length === 1 && !/\b(STE|APT|SUITE|UNIT)\b|#/i.test(a.std_street) &&
  key(a) === [a.std_street, a.std_city, a.std_region, a.std_postal_code].map(upper).join('|')) ||
  us.find(a => !/\b(STE|APT|SUITE|UNIT)\b|#/i.test(a.std_street));
const std = a => ({ address_line1: a.std_street, address_line2: '', city: a.std_city, region: a.std_region, postal_code: a.std_postal_code });

async function post(c, path, fields, expect = 303) {
  const r = await c.post(path, fields);
  assert.equal(r.status, expect, `POST ${path} answered ${r.status}: ${r.text.slice(0, 300)}`);
  return r;
}
// A CSP partner whose wizard has steps 1–4 done (review next), over HTTP.
async function toReview(company) {
  const p = await cspPartner({ country: 'US', company });
  await p.client.get('/csp/enroll');
  await post(p.client, '/csp/enroll/location', { partner_id: p.location });
  await post(p.client, '/csp/enroll/company', { mode: 'manual', legal_name: company, ...std(VERIFIED), country: 'US' });
  const r = await p.client.post('/csp/enroll/address', std(VERIFIED));
  if (r.status !== 303) await post(p.client, '/csp/enroll/address', { ...std(VERIFIED), address_choice: 'entered' });
  await post(p.client, '/csp/enroll/contact', cspContactFields(p.email));
  return p;
}

const stamp = Date.now();
const drafting = await toReview(`Pages Draft ${stamp}`); // the wizard's five steps
const approved = await toReview(`Pages Approved ${stamp}`); // submitted, then approved: the agreement waits
await post(approved.client, '/csp/enroll/submit', {});
const appId = cspApp(approved.tenant).id;
const staff = await staffMember('reviewer');

const { browser, page: firstPage } = await launch({ viewport: { width: 1280, height: 900 } });
await firstPage.close();

// A page in its own context, signed in with the client's session (none: anonymous).
async function pageAs(client) {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15000);
  if (client) await context.addCookies([{ name: 'pd_session', value: client.cookies.get('pd_session'), url: BASE }]);
  const page = await context.newPage();
  const errors = [];
  page.on('console', m => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) errors.push(m.text()); });
  return { page, errors };
}

const withLang = (path, lang) => `${BASE}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;

// Visits each path in both languages and both widths: status, language, no sideways scroll, no axe
// violation, a screenshot. A state (fn) may be reached by an action rather than a GET.
async function sweep(who, client, pages) {
  const { page, errors } = await pageAs(client);
  const shot = screenshotter(page, 'pages-');
  const problems = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    for (const lang of LANGS) {
      for (const [name, path, expect = 200, action] of pages) {
        const resp = await page.goto(withLang(path, lang));
        let status = resp.status();
        if (action) status = await action(page);
        const where = `${who} ${name} (${lang}, ${width} px)`;
        if (status !== expect) problems.push(`${where}: status ${status}`);
        const htmlLang = await page.getAttribute('html', 'lang');
        if (htmlLang !== lang) problems.push(`${where}: html lang ${htmlLang}`);
        const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
        if (scroll > inner) problems.push(`${where}: scrolls sideways (${scroll} > ${inner} px)`);
        await shot(`${lang}-${width}-${name}`);
        // axe once per page state and language (the DOM and colours are the same at both widths).
        if (width !== WIDTHS[0]) continue;
        problems.push(...await axeViolations(page, where));
      }
    }
  }
  await page.context().close();
  assert.deepEqual(errors, [], 'no console error');
  assert.deepEqual(problems, [], problems.join('\n'));
}

// The sign-up form sent empty: the 422 state with its errors.
const signupErrors = async page => (await Promise.all([page.waitForNavigation(), page.click('form[action="/signup"] button[type=submit]')]))[0].status();

t('anonymous pages (home, sign-up and its errors, sign-in, help, legal notice): no sideways scroll, no axe violation, both languages, 1280 and 390 px', async () => {
  await sweep('anonymous', null, [
    ['home', '/'], ['signup', '/signup'], ['signup-errors', '/signup', 422, signupErrors], ['signin', '/signin'],
    ['password-forgot', '/password/forgot'], ['help', '/help'], ['legal-notice', '/legal-notice'], ['agreement', '/agreement/2026-12'],
  ]);
});

t('a partner in the CSP wizard: dashboard, identifiers, legal info, locations, the five wizard steps', async () => {
  await sweep('partner', drafting.client, [
    ['dashboard', '/dashboard'], ['settings', '/settings'], ['identifiers', '/account/identifiers'], ['legal', '/account/legal'],
    ['locations', '/account/locations'],
    ...[1, 2, 3, 4, 5].map(n => [`csp-step${n}`, `/csp/enroll?step=${n}`]),
  ]);
});

t('reviewer: the applications waiting are counted in the navigation (data-waiting-count)', async () => {
  const { page } = await pageAs(staff.client);
  await page.goto(`${BASE}/review`);
  const waiting = Number(sqlValue("SELECT COUNT(*) FROM csp_applications WHERE status = 'pending_review'"));
  assert.ok(waiting >= 1, 'our submitted application waits');
  assert.equal(await page.getAttribute('nav a[href="/review"] [data-waiting-count]', 'data-waiting-count'), String(waiting));
  assert.equal(await page.locator('nav a[href="/review"] .count').innerText(), String(waiting));
  await page.context().close();
});

t('a global admin whose application awaits review has no pending action counted; once approved, 1', async () => {
  const { page } = await pageAs(approved.client);
  await page.goto(`${BASE}/dashboard`);
  assert.equal(await page.locator('[data-pending-count]').count(), 0, 'nothing waits on the partner while staff review');
  const s = staff.client;
  await s.get(`/review/${appId}`);
  await post(s, `/review/${appId}`, { action: 'approve' });
  assert.equal(cspApp(approved.tenant).status, 'approved');
  for (const path of ['/dashboard', '/account/identifiers', '/actions']) {
    await page.goto(`${BASE}${path}`);
    assert.equal(await page.getAttribute('nav a[href="/actions"] [data-pending-count]', 'data-pending-count'), '1', path);
  }
  assert.equal(await page.locator('form[action="/actions/agreement"]').count(), 1, 'the agreement is the action that waits');
  await page.context().close();
});

t('a partner with the agreement to accept: actions, users, sessions, two-factor set-up, audit log', async () => {
  await sweep('admin', approved.client, [
    ['actions', '/actions'], ['users', '/account/users'], ['sessions', '/account/sessions'], ['2fa', '/account/2fa'],
    ['audit', '/account/audit'], ['csp-status', '/csp/enroll'],
  ]);
});

t('staff: review queue and detail, audit log, sessions, two-factor set-up', async () => {
  await sweep('staff', staff.client, [
    ['review-queue', '/review'], ['review-detail', `/review/${appId}`], ['staff-audit', '/staff/audit'],
    ['staff-sessions', '/account/sessions'], ['staff-2fa', '/account/2fa'],
  ]);
});

t('focus is visible: Tab reaches a link and a button, each with an outline or a box shadow', async () => {
  const { page } = await pageAs(null);
  await page.goto(`${BASE}/signin?lang=en`);
  const seen = {};
  for (let i = 0; i < 40 && !(seen.A && seen.BUTTON); i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const el = document.activeElement, cs = getComputedStyle(el);
      // Our own ring: a solid outline of 2 px or more, or a box shadow (Chromium's default is 'auto').
      return { tag: el.tagName, outline: !['none', 'auto'].includes(cs.outlineStyle) && parseFloat(cs.outlineWidth) >= 2, shadow: cs.boxShadow !== 'none', text: el.textContent.trim() };
    });
    if ((f.tag === 'A' || f.tag === 'BUTTON') && !seen[f.tag]) seen[f.tag] = f;
  }
  for (const tag of ['A', 'BUTTON']) {
    assert.ok(seen[tag], `Tab reached a ${tag}`);
    assert.ok(seen[tag].outline || seen[tag].shadow, `${tag} "${seen[tag].text}" shows its focus`);
  }
  await page.context().close();
});

t('every page links to help and the legal notice, which exist in both languages', async () => {
  const { page } = await pageAs(null);
  for (const lang of LANGS) {
    await page.goto(`${BASE}/signin?lang=${lang}`);
    for (const href of ['/help', '/legal-notice']) {
      assert.equal(await page.locator(`footer a[href="${href}"]`).count(), 1, `footer link to ${href}`);
      const [resp] = await Promise.all([page.waitForNavigation(), page.click(`footer a[href="${href}"]`)]);
      assert.equal(resp.status(), 200);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.ok((await page.locator('main h1').innerText()).length > 0);
      await page.goBack();
    }
  }
  await page.goto(`${BASE}/help?lang=fr`);
  assert.equal(await page.locator('main h1').innerText(), 'Aide');
  await page.goto(`${BASE}/legal-notice?lang=fr`);
  assert.equal(await page.locator('main h1').innerText(), 'Mentions légales');
  await page.context().close();
});

t('the header shows the brand mark (an SVG file) and the page prints without navigation, forms or scroll boxes', async () => {
  const { page } = await pageAs(approved.client);
  await page.goto(`${BASE}/account/identifiers?lang=en`);
  const img = page.locator('header a.brand img');
  assert.equal(await img.getAttribute('src'), '/static/brand.svg');
  assert.ok(await img.evaluate(i => i.complete && i.naturalWidth > 0), 'the mark loads');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.top').evaluate(e => getComputedStyle(e).display), 'none');
  assert.equal(await page.locator('footer.bottom').evaluate(e => getComputedStyle(e).display), 'none');
  assert.equal(await page.locator('.table-scroll').first().evaluate(e => getComputedStyle(e).overflowX), 'visible');
  await screenshotter(page, 'pages-')('print-identifiers');
  await page.context().close();
});

t('the screenshots were written, one per page, language and width', async () => {
  for (const lang of LANGS) for (const width of WIDTHS)
    for (const name of ['home', 'identifiers', 'csp-step3', 'review-queue'])
      assert.ok(existsSync(join(SHOTS, `pages-${lang}-${width}-${name}.png`)), `${lang}-${width}-${name}`);
});

try { await run(); } finally { await browser.close(); }
