// What the browser tests share: Debian's Chromium driven by playwright-core, headless, with the
// flags a container needs, a page that records console errors, and screenshots under
// $PARTNERDESK_VAR/screenshots.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { VAR } from '../acceptance/lib.mjs';

export const SHOTS = join(VAR, 'screenshots');

// A function that saves a full-page screenshot of page as $PARTNERDESK_VAR/screenshots/<prefix><name>.png.
export function screenshotter(page, prefix = '') {
  mkdirSync(SHOTS, { recursive: true });
  return name => page.screenshot({ path: join(SHOTS, `${prefix}${name}.png`), fullPage: true });
}

export async function launch({ locale = 'en-GB', viewport = { width: 1100, height: 1000 } } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.PD_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    timeout: 60000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ locale, viewport });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', m => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  return { browser, context, page, consoleErrors };
}

// The form frame on a page answered 422 (issue 11): the error summary comes first in the main
// content and has the focus, its links go to existing controls and following one moves the focus
// there; each field error describes its control (aria-describedby, aria-invalid on a control);
// the title starts with "Error:" (French "Erreur :"); the required controls of a form of several
// fields are marked in their label, with the legend. Returns the summary's links (href, text).
export async function checkErrorFrame(page, assert, { lang = 'en' } = {}) {
  const state = await page.evaluate(() => {
    const summary = document.querySelector('.error-summary');
    return {
      title: document.title,
      summary: !!summary,
      first: summary && document.querySelector('main').firstElementChild === summary,
      focused: summary && document.activeElement === summary,
      tabindex: summary && summary.getAttribute('tabindex'),
      heading: summary && summary.querySelector('h2')?.textContent,
      dataField: summary && summary.hasAttribute('data-field'),
      links: summary ? [...summary.querySelectorAll('a')].map(a => ({ href: a.getAttribute('href'), text: a.textContent })) : [],
      errors: [...document.querySelectorAll('.error[data-field]')].filter(e => e.id).map(e => {
        const described = [...document.querySelectorAll('[aria-describedby]')]
          .filter(c => c.getAttribute('aria-describedby').split(/\s+/).includes(e.id));
        return {
          id: e.id, field: e.dataset.field,
          describes: described.map(c => ({ tag: c.tagName.toLowerCase(), id: c.id, invalid: c.getAttribute('aria-invalid') })),
        };
      }),
      required: [...document.querySelectorAll('form')].flatMap(f => {
        const fields = f.querySelectorAll('div.field');
        if (fields.length < 2) return [];
        return [...f.querySelectorAll('div.field [required]')].map(c => ({
          id: c.id, legend: !!f.querySelector('.req-legend'),
          marked: !!document.querySelector(`label[for="${CSS.escape(c.id)}"] .req[aria-hidden="true"]`),
        }));
      }),
    };
  });
  assert.ok(state.title.startsWith(lang === 'fr' ? 'Erreur : ' : 'Error: '), `title says there is an error: ${state.title}`);
  assert.ok(state.summary, 'the error summary is there');
  assert.ok(state.first, 'the error summary comes first in the main content');
  assert.equal(state.tabindex, '-1', 'the error summary can take the focus');
  assert.ok(state.focused, 'the error summary has the focus');
  assert.equal(state.heading, lang === 'fr' ? 'Il y a un problème' : 'There is a problem');
  assert.ok(!state.dataField, 'the summary is no field error element');
  assert.ok(state.links.length >= 1, 'the summary lists the errors');
  for (const e of state.errors) {
    assert.equal(e.describes.length, 1, `the error ${e.id} describes one control`);
    const c = e.describes[0];
    if (c.tag !== 'fieldset') assert.equal(c.invalid, 'true', `the control ${c.id} in error has aria-invalid`);
    assert.ok(state.links.some(l => l.href === `#${c.id}`), `the summary links to ${c.id}`);
  }
  assert.equal(state.links.length, state.errors.length, 'one link per field error');
  for (const r of state.required) {
    assert.ok(r.marked, `the required control ${r.id} is marked in its label`);
    assert.ok(r.legend, `the form of ${r.id} explains the mark`);
  }
  for (const l of state.links) {
    assert.match(l.href, /^#./);
    const id = l.href.slice(1);
    assert.equal(await page.locator(`[id="${id}"]`).count(), 1, `the link ${l.href} goes to one element`);
    await page.click(`.error-summary a[href="${l.href}"]`);
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), id,
      `following ${l.href} moves the focus to the control`);
  }
  return state.links;
}

// axe-core's WCAG 2.1 A and AA rules on page as it is: the raw result, and its violations as
// lines "<where>: axe <rule> (<impact>) <first nodes>".
export async function axeRun(page) {
  return new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
}
export const axeLine = (where, v) => `${where}: axe ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`;
export async function axeViolations(page, where) {
  return (await axeRun(page)).violations.map(v => axeLine(where, v));
}

// Clicks the submit button labelled label of a form in main and waits for the page it leads to.
export async function submitForm(page, label) {
  const [resp] = await Promise.all([page.waitForNavigation(), page.click(`main form button[type=submit]:has-text("${label}")`)]);
  return resp;
}
