// Browser journey in headless Chromium (issue 14 part B): the designations page's charts as a
// person and a screen reader get them (two SVG images per area, named by their <title>, described
// by their <desc>, and tables with the same numbers), the purchase refused without the fee (422,
// the error frame) then accepted; the membership, designations and ISV Success pages have no
// axe-core violation (WCAG 2.1 A/AA) in English and French and never scroll sideways at 375 px.
// Scores are imported with `ctl scores import`, dates relative to today. Screenshots go to
// $PARTNERDESK_VAR/screenshots.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, screenshotter, checkErrorFrame, axeViolations } from './lib.mjs';
import { test, run, assert, BASE, enrolledCompany, ctl } from '../acceptance/lib.mjs';

const day = offset => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
const s = await enrolledCompany({ lang: 'en' });
const rows = [];
const add = (area, metric, points, date) => rows.push([s.pga, area, metric, points, date].join('\t'));
// data_ai: 30 + 20 + 10 + 10 = 70 today, lower 40 days ago; security: 80 with a metric at 0.
for (const [m, p] of [['net_customer_adds', 30], ['intermediate_certifications', 20], ['usage_growth', 10], ['deployments', 10]]) {
  add('data_ai', m, Math.floor(p / 2), day(-40));
  add('data_ai', m, p, day(0));
}
for (const [m, p] of [['net_customer_adds', 20], ['intermediate_certifications', 40], ['usage_growth', 20], ['deployments', 0]])
  add('security', m, p, day(-5));
const file = join(mkdtempSync(join(tmpdir(), 'pd-programs-b-')), 'scores.tsv');
writeFileSync(file, ['partner_id\tsolution_area\tmetric\tpoints\tdate', ...rows].join('\n') + '\n');
const imp = ctl(['scores', 'import', file]);
assert.equal(imp.status, 0, imp.stderr);

const { browser, context, page, consoleErrors } = await launch({ locale: 'en-GB', viewport: { width: 1100, height: 900 } });
const shot = screenshotter(page, 'programs-');
await context.addCookies([{ name: 'pd_session', value: s.client.cookies.get('pd_session'), url: BASE }]);

const axe = where => axeViolations(page, where);

test('the charts: two SVG images per area, named and described, drawn by the server, and tables with the same numbers', async () => {
  const resp = await page.goto(`${BASE}/membership/designations?lang=en`);
  assert.equal(resp.status(), 200);
  assert.equal(await page.locator('[data-area]').count(), 6);
  assert.equal(await page.locator('svg[role=img]').count(), 12);
  assert.equal(await page.locator('script').count(), 0, 'no JavaScript');
  const area = page.locator('[data-area=data_ai]');
  assert.equal(await area.getAttribute('data-score'), '70');
  assert.equal(await area.getAttribute('data-status'), 'qualified');
  const cat = area.getByRole('img', { name: 'Data & AI (Azure): points per category' });
  assert.equal(await cat.count(), 1, 'the category chart is named by its title');
  const month = area.getByRole('img', { name: /Data & AI \(Azure\): best score per month/ });
  assert.equal(await month.count(), 1, 'the month chart is named by its title');
  // The description says the numbers the table gives.
  const desc = await cat.evaluate(svg => document.getElementById(svg.getAttribute('aria-describedby')).textContent);
  const table = await area.locator('table.chart-table').first().locator('tbody tr').evaluateAll(trs =>
    trs.map(tr => `${tr.querySelector('th').textContent} ${tr.querySelectorAll('td')[0].textContent}/${tr.querySelectorAll('td')[1].textContent}`));
  assert.deepEqual(table, ['Performance 30/30', 'Skilling 20/40', 'Customer success 20/30']);
  assert.equal(desc, table.join(', '));
  const bars = await cat.locator('rect.chart-bar').evaluateAll(r => r.map(x => Number(x.getAttribute('width'))));
  assert.ok(bars[0] > bars[1] && bars[1] > 0, `bars drawn to scale: ${bars}`);
  // The month table: the last month is this one at 70; the threshold line is drawn.
  const months = await area.locator('tr[data-month]').evaluateAll(trs => trs.map(tr => [tr.dataset.month, tr.dataset.monthScore]));
  assert.equal(months.length, 6);
  assert.deepEqual(months[5], [day(0).slice(0, 7), '70']);
  assert.equal(await month.locator('line.chart-threshold').count(), 1);
  const bbox = await month.boundingBox();
  assert.ok(bbox.width > 100 && bbox.height > 40, 'the chart is visible');
  assert.equal(await page.locator('[data-area=security]').getAttribute('data-status'), 'in_progress');
  await shot('designations');
});

test('purchase: without the fee 422 with the error frame; with it, enrolled', async () => {
  await page.goto(`${BASE}/membership/designations?lang=en`);
  await page.check('input[name=area][value=data_ai]');
  let [resp] = await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  assert.equal(resp.status(), 422);
  await checkErrorFrame(page, assert);
  assert.equal(await page.locator('.error[data-field=accept_fee]').count(), 1);
  assert.ok(await page.isChecked('input[name=area][value=data_ai]'), 'the choice is kept');
  assert.ok(await page.isDisabled('input[name=area][value=security]'), 'an area not qualified is greyed out');
  await shot('purchase-422');
  await page.check('#accept_fee');
  [resp] = await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
  assert.equal(resp.status(), 200);
  assert.match(page.url(), /\/membership\/designations\?done=purchase$/);
  assert.equal(await page.locator('[data-area=data_ai]').getAttribute('data-status'), 'enrolled');
  await shot('enrolled');
});

test('membership, designations and ISV Success: no axe violation in English and French, no sideways scroll at 375 px', async () => {
  const problems = [];
  for (const lang of ['en', 'fr']) {
    for (const path of ['/membership', '/membership/designations', '/membership/isv']) {
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        const resp = await page.goto(`${BASE}${path}?lang=${lang}`);
        assert.equal(resp.status(), 200, `${path} ${lang}`);
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
        if (scroll > inner) problems.push(`${path} ${lang} ${width}: scrolls sideways (${scroll} > ${inner})`);
        if (width === 1280) problems.push(...await axe(`${path} ${lang}`));
        await shot(`${lang}-${width}${path.replace(/\//g, '-')}`);
      }
    }
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

// The 422 answer itself is logged by Chromium as a failed resource: the one expected entry.
test('no console error but the expected 422', () =>
  assert.deepEqual(consoleErrors.filter(e => !/status of 422/.test(e)), []));

await run();
await browser.close();
