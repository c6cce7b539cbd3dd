// Programs (issue 14 part B; CONTRACT "Programs: membership, designations, ISV Success", §6
// "Capability scores", DOMAIN §7): `ctl scores import` (good lines; bad lines reported with their
// numbers and nothing imported; a later line for the same ID, area, metric and date replaces the
// earlier one, in the file and across imports), the designations page's facts at 69 and 70
// points, a metric at 0, a day just outside the window, the purchase (each 422 next to its field,
// 303, free enrollment of a qualified area once a member, the anniversary shared by a later
// enrollment), legacy Gold auto-enrollment through `ctl competency set`, renewal_due at the
// renewal window's boundaries (dates set in the membership row) and `ctl designations remind`
// (once), the emails, the membership page's statuses, ISV Success (each 422, enrollment,
// benefits, next steps), isolation between companies, roles (member 404, account admin allowed),
// both languages, CSRF 403. Runs on a shared database: every date is relative to today (UTC).
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  test, run, assert, Client, sql, sqlValue, tagsWith, fieldErrors, htmlLang, enrolledCompany,
  verifiedAdmin, inviteUser, waitMail, mailsTo, ctl, postForm, unescapeHtml,
} from './lib.mjs';

const DIR = mkdtempSync(join(tmpdir(), 'pd-programs-'));
const HEADER = 'partner_id\tsolution_area\tmetric\tpoints\tdate';
const day = (offset = 0) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
const TODAY = day(0);
// The window's first day: the first day of the month five months before this one (UTC).
const WINDOW_FIRST = (() => {
  const d = new Date(); d.setUTCDate(1); d.setUTCMonth(d.getUTCMonth() - 5);
  return d.toISOString().slice(0, 10);
})();
const dayBefore = iso => new Date(Date.parse(iso + 'T00:00:00Z') - 86400000).toISOString().slice(0, 10);

let files = 0;
function scoresFile(lines, { header = HEADER } = {}) {
  const f = join(DIR, `scores${++files}.tsv`);
  writeFileSync(f, [header, ...lines].join('\n') + '\n');
  return f;
}
const line = (pga, area, metric, points, date = TODAY) => [pga, area, metric, points, date].join('\t');
// Every metric of data_ai (30, 40, 20, 10 at most) with these points.
const dataAi = (pga, [n, i, u, d], date = TODAY) => [
  line(pga, 'data_ai', 'net_customer_adds', n, date), line(pga, 'data_ai', 'intermediate_certifications', i, date),
  line(pga, 'data_ai', 'usage_growth', u, date), line(pga, 'data_ai', 'deployments', d, date)];
function importOk(lines) {
  const r = ctl(['scores', 'import', scoresFile(lines)]);
  assert.equal(r.status, 0, `scores import failed: ${r.stderr}`);
  return r;
}

// The facts of each [data-area] section: { code: { score, status, metrics: {metric: points}, html } }.
function areas(html) {
  const out = {};
  const parts = html.split(/(?=<section\b[^>]*\sdata-area=")/).slice(1);
  for (const p of parts) {
    const a = tagsWith(p, 'section', 'data-area')[0];
    const body = p.slice(0, p.search(/<\/section>/));
    const metrics = {};
    for (const m of tagsWith(body, 'tr', 'data-metric')) metrics[m['data-metric']] = Number(m['data-points']);
    out[a['data-area']] = { score: Number(a['data-score']), status: a['data-status'], metrics, html: body };
  }
  return out;
}
async function designations(c, q = '') {
  const r = await c.get('/membership/designations' + q);
  assert.equal(r.status, 200, `designations page answered ${r.status}`);
  return { html: r.text, areas: areas(r.text) };
}
const programs = html => Object.fromEntries(tagsWith(html, '*', 'data-program').map(a => [a['data-program'], a['data-status']]));
const purchase = (c, areasList, fee = true) => postForm(c, '/membership/designations/purchase',
  [...areasList.map(a => ['area', a]), ...(fee ? [['accept_fee', 'yes']] : [])]);
const tenantOf = pga => sqlValue(`SELECT tenant_id FROM partner_accounts WHERE partner_id='${pga}'`);

// ------------------------------------------------------------------------------------------ tests

const A = {}; // the company most tests build on

test('scores import: 69 points → in_progress with each metric\'s points; 70 points after a later import of the same key → qualified; the qualified email', async () => {
  Object.assign(A, await enrolledCompany());
  importOk(dataAi(A.pga, [30, 20, 10, 9]));
  let d = await designations(A.client);
  assert.deepEqual(Object.keys(d.areas).sort(),
    ['business_applications', 'data_ai', 'digital_app_innovation', 'infrastructure', 'modern_work', 'security']);
  assert.equal(d.areas.data_ai.score, 69);
  assert.equal(d.areas.data_ai.status, 'in_progress');
  assert.deepEqual(d.areas.data_ai.metrics,
    { net_customer_adds: 30, intermediate_certifications: 20, usage_growth: 10, deployments: 9 });
  assert.equal(Object.keys(d.areas.infrastructure.metrics).length, 5, 'infrastructure has five metrics');
  assert.equal(d.areas.security.score, 0);
  assert.equal(d.areas.security.status, 'in_progress');
  // The same ID, area, metric and date again: replaced.
  const r = importOk([line(A.pga, 'data_ai', 'deployments', 10)]);
  assert.match(r.stdout, /1 newly qualified/);
  d = await designations(A.client);
  assert.equal(d.areas.data_ai.score, 70);
  assert.equal(d.areas.data_ai.status, 'qualified');
  assert.equal(d.areas.data_ai.metrics.deployments, 10);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM capability_scores s JOIN partner_accounts g ON g.id=s.partner_account_id WHERE g.partner_id='${A.pga}'`), '4');
  const m = await waitMail(A.email, /Qualified: Solutions Partner for Data & AI/);
  assert.match(m.body, /70 of 100/);
  assert.match(m.body, /\/membership\/designations\?lang=en/);
  // Qualification audited once; importing the same lines again sends nothing more.
  importOk([line(A.pga, 'data_ai', 'deployments', 10)]);
  assert.equal(mailsTo(A.email).filter(x => /Qualified: Solutions Partner for Data & AI/.test(x.headers.subject)).length, 1);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_log WHERE tenant_id=${A.tenant} AND action='designation.qualify'`), '1');
});

test('scores import: a later line in the same file replaces the earlier one; a metric at 0 keeps an area in progress; a day just outside the window is ignored, its first day counts', async () => {
  importOk([
    line(A.pga, 'infrastructure', 'net_customer_adds', 30), line(A.pga, 'infrastructure', 'intermediate_certifications', 20),
    line(A.pga, 'infrastructure', 'advanced_certifications', 20), line(A.pga, 'infrastructure', 'usage_growth', 20),
    line(A.pga, 'infrastructure', 'deployments', 0), line(A.pga, 'infrastructure', 'deployments', 5),
    line(A.pga, 'security', 'net_customer_adds', 20), line(A.pga, 'security', 'intermediate_certifications', 40),
    line(A.pga, 'security', 'usage_growth', 20), line(A.pga, 'security', 'deployments', 0),
    ...['net_customer_adds', 'intermediate_certifications', 'advanced_certifications', 'usage_growth', 'deployments']
      .map((m, i) => line(A.pga, 'modern_work', m, [20, 10, 15, 30, 25][i], dayBefore(WINDOW_FIRST))),
    ...['net_customer_adds', 'intermediate_certifications', 'advanced_certifications', 'usage_growth', 'deployments']
      .map((m, i) => line(A.pga, 'business_applications', m, [15, 20, 15, 30, 20][i], WINDOW_FIRST)),
  ]);
  const d = await designations(A.client);
  // data_ai was qualified before: it stays so.
  assert.equal(d.areas.infrastructure.score, 95, 'deployments 5 replaced 0');
  assert.equal(d.areas.infrastructure.status, 'qualified');
  assert.equal(d.areas.security.score, 80);
  assert.equal(d.areas.security.status, 'in_progress', 'a metric at 0');
  assert.equal(d.areas.security.metrics.deployments, 0);
  assert.match(d.areas.security.html, /Deployments is at 0 points/);
  assert.equal(d.areas.modern_work.score, 0, 'the day before the window is ignored');
  assert.equal(d.areas.modern_work.status, 'in_progress');
  assert.equal(d.areas.business_applications.score, 100, 'the window\'s first day counts');
  assert.equal(d.areas.business_applications.status, 'qualified');
});

test('scores import: bad lines are reported with their numbers (header line 1, comments count) and nothing is imported; bad arguments exit non-zero', async () => {
  const before = sqlValue(`SELECT COUNT(*) FROM capability_scores WHERE tenant_id=${A.tenant}`);
  const f = scoresFile([
    '# a comment line (line 2)',
    line(A.pga, 'digital_app_innovation', 'net_customer_adds', 30), // 3: good
    line('9999999', 'data_ai', 'deployments', 5),                  // 4: unknown ID
    line(A.pla, 'data_ai', 'deployments', 5),                      // 5: a location's ID
    line(A.pga, 'cooking', 'deployments', 5),                      // 6: unknown area
    line(A.pga, 'data_ai', 'advanced_certifications', 5),          // 7: not a metric of data_ai
    line(A.pga, 'data_ai', 'net_customer_adds', 31),               // 8: above the maximum
    line(A.pga, 'data_ai', 'net_customer_adds', -1),               // 9: below 0
    line(A.pga, 'data_ai', 'net_customer_adds', 5, '2026-02-30'),  // 10: not a day
    `${A.pga}\tdata_ai\tnet_customer_adds\t5`,                     // 11: four columns
    line(A.pga, 'data_ai', 'net_customer_adds', 'ten'),            // 12: not a number
  ]);
  const r = ctl(['scores', 'import', f]);
  assert.notEqual(r.status, 0);
  for (const n of [4, 5, 6, 7, 8, 9, 10, 11, 12]) assert.match(r.stderr, new RegExp(`:${n}: `), `line ${n} reported`);
  assert.doesNotMatch(r.stderr, /:3: /, 'the good line is not reported');
  assert.match(r.stderr, /:5: unknown partner ID/);
  assert.match(r.stderr, /:8: bad points/);
  assert.match(r.stderr, /nothing imported/);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM capability_scores WHERE tenant_id=${A.tenant}`), before, 'nothing imported');
  assert.notEqual(ctl(['scores', 'import', join(DIR, 'missing.tsv')]).status, 0);
  assert.notEqual(ctl(['competency', 'set', A.pga, 'platinum']).status, 0);
  assert.notEqual(ctl(['competency', 'set', A.pla, 'gold']).status, 0, 'a location ID is not a PGA');
  assert.notEqual(ctl(['designations', 'remind', '--as-of', 'soon']).status, 0);
});

test('the charts: an SVG per category and per month, role="img" with a <title> and <desc>, the 70-point line, and tables with the same numbers', async () => {
  const d = await designations(A.client);
  const h = d.areas.data_ai.html;
  const svgs = [...h.matchAll(/<svg\b[^>]*>[\s\S]*?<\/svg>/g)].map(m => m[0]);
  assert.equal(svgs.length, 2);
  for (const s of svgs) {
    assert.match(s, /role="img"/);
    assert.match(s, /<title id="[^"]+">[^<]+<\/title>/);
    assert.match(s, /<desc id="[^"]+">[^<]+<\/desc>/);
  }
  assert.match(svgs[1], /class="chart-threshold"/);
  const cats = Object.fromEntries(tagsWith(h, 'tr', 'data-category').map(a => [a['data-category'], Number(a['data-points'])]));
  assert.deepEqual(cats, { performance: 30, skilling: 20, customer_success: 20 });
  assert.match(unescapeHtml(svgs[0]), /Performance 30\/30, Skilling 20\/40, Customer success 20\/30/);
  const months = tagsWith(h, 'tr', 'data-month');
  assert.equal(months.length, 6);
  assert.equal(months[5]['data-month'], TODAY.slice(0, 7));
  assert.equal(months[5]['data-month-score'], '70');
  assert.equal(months[0]['data-month'], WINDOW_FIRST.slice(0, 7));
  assert.doesNotMatch(h, /<script/);
});

test('purchase: no csrf → 403; none chosen, an area not qualified, an unknown area, no fee → 422 next to the field, values kept; nothing enrolled', async () => {
  await A.client.get('/membership/designations');
  let r = await A.client.post('/membership/designations/purchase', { area: 'data_ai', accept_fee: 'yes' }, { csrf: null });
  assert.equal(r.status, 403);
  r = await purchase(A.client, []);
  assert.equal(r.status, 422);
  assert.ok(fieldErrors(r.text).area);
  r = await purchase(A.client, ['security']);
  assert.equal(r.status, 422);
  assert.match(fieldErrors(r.text).area, /Security .* qualified area/);
  assert.match(r.text, /name="accept_fee" value="yes" required="required" checked/, 'the fee accepted stays checked');
  r = await purchase(A.client, ['cooking']);
  assert.equal(r.status, 422);
  assert.ok(fieldErrors(r.text).area);
  r = await purchase(A.client, ['data_ai'], false);
  assert.equal(r.status, 422);
  assert.deepEqual(Object.keys(fieldErrors(r.text)), ['accept_fee']);
  assert.match(r.text, /<input type="checkbox" name="area" value="data_ai" checked/, 'the choice is kept');
  const sec = tagsWith(r.text, 'label', 'data-refusal').find(a => a['data-refusal'] === 'not_qualified');
  assert.ok(sec, 'a greyed-out area carries its reason');
  assert.match(r.text, /name="area" value="security" disabled/);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM designations WHERE tenant_id=${A.tenant}`), '0');
});

test('purchase: 303 → enrolled, one membership from today; the other qualified areas are enrolled without paying (already a member); audited; the enrolled email', async () => {
  const r = await purchase(A.client, ['data_ai']);
  assert.equal(r.status, 303);
  assert.equal(r.location, '/membership/designations?done=purchase');
  const d = await designations(A.client);
  assert.equal(d.areas.data_ai.status, 'enrolled');
  assert.equal(d.areas.infrastructure.status, 'enrolled', 'qualified and already a member: free');
  assert.equal(d.areas.business_applications.status, 'enrolled');
  assert.equal(d.areas.security.status, 'in_progress');
  assert.equal(tagsWith(d.html, 'strong', 'data-anniversary')[0]['data-anniversary'], TODAY);
  assert.deepEqual(sql(`SELECT solution_area, how FROM designations WHERE tenant_id=${A.tenant} ORDER BY solution_area`),
    [['business_applications', 'member'], ['data_ai', 'purchase'], ['infrastructure', 'member']]);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_log WHERE tenant_id=${A.tenant} AND action='designation.purchase'`), '1');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_log WHERE tenant_id=${A.tenant} AND action='designation.enroll'`), '2');
  await waitMail(A.email, /Enrolled: Solutions Partner for Data & AI/);
  await waitMail(A.email, /Enrolled: Solutions Partner for Infrastructure/);
  const again = await purchase(A.client, ['data_ai']);
  assert.equal(again.status, 422, 'already enrolled');
  assert.match(fieldErrors(again.text).area, /already enrolled/);
});

test('a later enrollment shares the first one\'s anniversary: security qualifies at a later import and is enrolled without paying', async () => {
  const anniversary = day(-100);
  sql(`UPDATE designation_memberships SET anniversary='${anniversary}', years=1 WHERE tenant_id=${A.tenant}`);
  const r = importOk([line(A.pga, 'security', 'deployments', 5)]);
  assert.match(r.stdout, /1 designation\(s\) enrolled without paying/);
  const d = await designations(A.client);
  assert.equal(d.areas.security.status, 'enrolled');
  assert.equal(tagsWith(d.html, 'strong', 'data-anniversary')[0]['data-anniversary'], anniversary);
  assert.deepEqual(sql(`SELECT DATE_FORMAT(anniversary,'%Y-%m-%d'), years FROM designation_memberships WHERE tenant_id=${A.tenant}`),
    [[anniversary, '1']]);
  assert.equal(sqlValue(`SELECT DATE_FORMAT(enrolled_on,'%Y-%m-%d') FROM designations WHERE tenant_id=${A.tenant} AND solution_area='security'`), TODAY);
});

test('renewal_due: 31 days before the paid-through day enrolled; 30 days and 1 day before renewal_due; on it lapsed (back to qualified); remind emails once; a renewal pays one more year and ends what no longer qualifies', async () => {
  const setPaidThrough = offset => sql(`UPDATE designation_memberships SET anniversary=DATE_SUB(DATE_ADD(UTC_DATE(), INTERVAL ${offset} DAY), INTERVAL 1 YEAR), years=1 WHERE tenant_id=${A.tenant}`);
  const status = async () => (await designations(A.client)).areas.data_ai.status;
  setPaidThrough(31);
  assert.equal(await status(), 'enrolled');
  setPaidThrough(30);
  assert.equal(await status(), 'renewal_due');
  setPaidThrough(1);
  assert.equal(await status(), 'renewal_due');
  assert.equal(programs((await A.client.get('/membership')).text).solutions_partner, 'renewal_due');
  setPaidThrough(0);
  assert.equal(await status(), 'qualified', 'lapsed: the score decides again');
  setPaidThrough(10);
  let r = ctl(['designations', 'remind']);
  assert.equal(r.status, 0, r.stderr);
  const m = await waitMail(A.email, /Renew your Solutions Partner designations by/);
  assert.match(m.headers.subject, new RegExp(day(10)));
  r = ctl(['designations', 'remind']);
  assert.equal(r.status, 0);
  assert.equal(mailsTo(A.email).filter(x => /^Renew your/.test(x.headers.subject)).length, 1, 'once');
  // Infrastructure no longer qualifies (its scores gone): a renewal ends it.
  sql(`DELETE FROM capability_scores WHERE tenant_id=${A.tenant} AND solution_area='infrastructure'`);
  let r2 = await purchase(A.client, ['infrastructure']);
  assert.equal(r2.status, 422, 'a designation due for renewal must still qualify');
  assert.match(fieldErrors(r2.text).area, /Infrastructure/);
  const buy = await purchase(A.client, ['data_ai']);
  assert.equal(buy.status, 303);
  assert.equal(sqlValue(`SELECT years FROM designation_memberships WHERE tenant_id=${A.tenant}`), '2');
  const after = (await designations(A.client)).areas;
  assert.equal(after.data_ai.status, 'enrolled');
  assert.equal(after.security.status, 'enrolled', 'still qualifies: covered by the same fee');
  assert.equal(after.business_applications.status, 'enrolled');
  assert.equal(after.infrastructure.status, 'in_progress', 'not renewed: it ends');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_log WHERE tenant_id=${A.tenant} AND action='designation.renew'`), '1');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_log WHERE tenant_id=${A.tenant} AND action='designation.end'`), '1');
});

test('legacy Gold: a qualified area is enrolled without paying by `ctl competency set PGA gold`; audited; none removes the level', async () => {
  const B = await enrolledCompany();
  importOk(dataAi(B.pga, [30, 40, 20, 10]));
  let d = await designations(B.client);
  assert.equal(d.areas.data_ai.status, 'qualified');
  const r = ctl(['competency', 'set', B.pga, 'gold']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /1 designation\(s\) enrolled without paying/);
  d = await designations(B.client);
  assert.equal(d.areas.data_ai.status, 'enrolled');
  assert.equal(tagsWith(d.html, 'p', 'data-legacy')[0]['data-legacy'], 'gold');
  assert.equal(sqlValue(`SELECT how FROM designations WHERE tenant_id=${B.tenant}`), 'legacy');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_log WHERE tenant_id=${B.tenant} AND action='competency.set'`), '1');
  await waitMail(B.email, /legacy Gold or Silver competency/);
  assert.equal(ctl(['competency', 'set', B.pga, 'none']).status, 0);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM legacy_competencies WHERE partner_account_id=(SELECT id FROM partner_accounts WHERE partner_id='${B.pga}')`), '0');
  // Isolation: B sees its own scores, A's are untouched.
  assert.equal(d.areas.security.score, 0);
  assert.equal((await designations(A.client)).areas.security.status, 'enrolled');
});

test('membership page: one [data-program] per program with its status, for a company outside the program and an enrolled one', async () => {
  const fresh = await verifiedAdmin();
  let r = await fresh.client.get('/membership');
  assert.equal(r.status, 200);
  assert.deepEqual(programs(r.text),
    { partner_program: 'not_enrolled', csp: 'not_enrolled', solutions_partner: 'not_enrolled', isv_success: 'not_enrolled' });
  assert.ok(r.text.includes('href="/enroll"'));
  r = await fresh.client.get('/membership/designations');
  assert.equal(r.status, 200);
  assert.ok(tagsWith(r.text, 'label', 'data-refusal').every(a => a['data-refusal'] === 'not_partner'));
  r = await A.client.get('/membership');
  const p = programs(r.text);
  assert.equal(p.partner_program, 'active');
  assert.equal(p.csp, 'not_enrolled');
  assert.equal(p.solutions_partner, 'enrolled');
  assert.ok(r.text.includes(`>${A.pga}<`), 'the PGA\'s ID is shown');
  for (const href of ['/membership/designations', '/membership/isv', '/csp/enroll', '/account/identifiers'])
    assert.ok(r.text.includes(`href="${href}"`), `a link to ${href}`);
  const C = await enrolledCompany();
  importOk([line(C.pga, 'security', 'net_customer_adds', 4)]);
  assert.equal(programs((await C.client.get('/membership')).text).solutions_partner, 'in_progress');
  // A CSP application under way: pending, with its location ID.
  await C.client.get('/csp/enroll');
  assert.equal((await C.client.post('/csp/enroll/location', { partner_id: C.pla })).status, 303);
  r = await C.client.get('/membership');
  assert.equal(programs(r.text).csp, 'pending');
  assert.ok(r.text.includes(`>${C.pla}<`), 'the CSP location ID is shown');
});

test('ISV Success: each field refused with its message (422, values kept); enrollment (303) with the benefits and the next steps; a company outside the program is told to join', async () => {
  const good = { solution_name: 'Northwind Insights', solution_url: 'https://insights.northwind.example', stage: 'build', builds_software: 'yes', accept_terms: 'yes' };
  await A.client.get('/membership/isv');
  const cases = [
    ['solution_name', { solution_name: '' }], ['solution_url', { solution_url: 'ftp://insights.example' }],
    ['solution_url', { solution_url: 'not a url' }], ['stage', { stage: 'launch' }],
    ['builds_software', { builds_software: '' }], ['accept_terms', { accept_terms: 'no' }]];
  for (const [field, over] of cases) {
    const r = await A.client.post('/membership/isv', { ...good, ...over });
    assert.equal(r.status, 422, `${field}: ${r.status}`);
    assert.deepEqual(Object.keys(fieldErrors(r.text)), [field]);
    if (field !== 'solution_name') assert.match(r.text, /value="Northwind Insights"/);
  }
  let r = await A.client.post('/membership/isv', good, { csrf: null });
  assert.equal(r.status, 403);
  assert.equal(sqlValue(`SELECT COUNT(*) FROM isv_enrollments WHERE tenant_id=${A.tenant}`), '0');
  r = await A.client.post('/membership/isv', good);
  assert.equal(r.status, 303);
  r = await A.client.get('/membership/isv');
  assert.deepEqual(tagsWith(r.text, 'li', 'data-benefit').map(a => a['data-benefit']),
    ['technical_consultations', 'ai_tooling', 'support_plan', 'cloud_credits', 'go_to_market']);
  assert.match(r.text, /12 months/);
  assert.ok(r.text.includes('href="/profiles/new"'));
  assert.deepEqual(tagsWith(r.text, 'li', 'data-next-step').map(a => a['data-next-step']), ['marketplace', 'csp', 'profile']);
  assert.equal(programs((await A.client.get('/membership')).text).isv_success, 'enrolled');
  assert.equal(sqlValue(`SELECT COUNT(*) FROM audit_log WHERE tenant_id=${A.tenant} AND action='isv.enroll'`), '1');
  const fresh = await verifiedAdmin();
  await fresh.client.get('/membership/isv');
  r = await fresh.client.post('/membership/isv', good);
  assert.equal(r.status, 422);
  assert.match(fieldErrors(r.text).accept_terms, /Join the partner program first/);
});

test('roles and isolation: a member gets 404 on every programs page and POST; an account admin sees the company\'s own; another company never sees A\'s scores', async () => {
  const member = await inviteUser(A.client, A.email.split('@')[1], 'member');
  for (const p of ['/membership', '/membership/designations', '/membership/isv'])
    assert.equal((await member.client.get(p)).status, 404, p);
  await member.client.get('/dashboard');
  assert.equal((await member.client.post('/membership/designations/purchase', { area: 'security', accept_fee: 'yes' })).status, 404);
  assert.equal((await member.client.post('/membership/isv', { solution_name: 'x' })).status, 404);
  const admin = await inviteUser(A.client, A.email.split('@')[1], 'account_admin');
  const d = await designations(admin.client);
  assert.equal(d.areas.data_ai.status, 'enrolled');
  assert.equal(d.areas.security.status, 'enrolled');
  const other = await enrolledCompany();
  const o = await designations(other.client);
  for (const a of Object.values(o.areas)) {
    assert.equal(a.score, 0);
    assert.equal(a.status, 'in_progress');
  }
  assert.ok(!o.html.includes(A.pga), 'A\'s ID never shows');
  assert.equal((await new Client().get('/membership')).status, 303, 'signed out → sign-in');
});

test('both languages: the designations page, a 422 and the membership page in French', async () => {
  let r = await A.client.get('/membership/designations?lang=fr');
  assert.equal(htmlLang(r.text), 'fr');
  assert.match(r.text, /Désignations Solutions Partner/);
  assert.match(r.text, /Points par catégorie/);
  assert.match(unescapeHtml(r.text), /Données et IA \(Azure\) : points par catégorie/);
  r = await purchase(A.client, []);
  assert.equal(r.status, 422);
  assert.match(fieldErrors(r.text).area, /Choisissez au moins une zone de solution qualifiée/);
  r = await A.client.get('/membership');
  assert.equal(htmlLang(r.text), 'fr');
  assert.match(r.text, /Programme partenaire|programme partenaire/);
  assert.equal(programs(r.text).solutions_partner, 'enrolled');
  r = await A.client.get('/membership/isv');
  assert.match(r.text, /Avantages/);
  await A.client.get('/membership?lang=en');
  // A French-speaking admin gets the emails in French.
  const F = await enrolledCompany({ lang: 'fr' });
  importOk(dataAi(F.pga, [30, 40, 20, 10]));
  const m = await waitMail(F.email, /Qualifié : Solutions Partner pour Données et IA/);
  assert.match(m.body, /a atteint 100 sur 100/);
  assert.match(m.body, /\/membership\/designations\?lang=fr/);
});

run();
