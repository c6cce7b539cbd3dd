// Browser journey in headless Chromium (issue 13 item 7): a customer's contact request lands as a
// lead; the referral admin of its partner ID opens the link of the email, is refused a decline
// without a reason (422, the error frame), accepts the lead, then marks it lost with its reason;
// the history shows each step. The list and the lead's page have no axe-core violation (WCAG 2.1
// A/AA) in English and French and never scroll sideways at 390 px. The profile is built and the
// request sent over HTTP (the directory's own browser test covers those pages). Screenshots go to
// $PARTNERDESK_VAR/screenshots.
import { launch, screenshotter, checkErrorFrame, axeViolations, submitForm } from './lib.mjs';
import {
  test, run, assert, BASE, Client, enrolledCompany, inviteUser, postForm, sql, sqlValue, quote, waitMail, linkIn,
  freshAddress, fieldErrors,
} from '../acceptance/lib.mjs';

const kw = 'lb' + Math.random().toString(36).replace(/[^a-z]/g, '').slice(0, 8);

// The company, a published profile under its FR location ID (through the wizard's routes), and a
// referral admin scoped to that ID.
const s = await enrolledCompany({ lang: 'en' });
const c = s.client;
await c.get('/profiles/new');
let r = await c.post('/profiles/new', { partner_id: s.pla, type: 'non_csp' });
const profileId = (r.location || '').match(/^\/profiles\/(\d+)\//)?.[1];
assert.ok(profileId, `303 to the wizard, got ${r.status} ${r.location}`);
await c.get(`/profiles/${profileId}/locations`);
assert.equal((await postForm(c, `/profiles/${profileId}/locations`, [['publish_location', 'FR']])).status, 303);
assert.equal((await postForm(c, `/profiles/${profileId}/markets`, [])).status, 303);
r = await postForm(c, `/profiles/${profileId}/content`, [['name', `Alpha ${kw}`],
  ['description', `We move finance teams to the cloud and train them. ${kw}`], ['website', ''],
  ['lead_email', `leads.${kw}@${s.domain}`], ['email_language', 'en'], ['industry', 'retail'],
  ['solution_area', 'security'], ['language', 'en']]);
assert.equal(r.status, 303, JSON.stringify(fieldErrors(r.text)));
await c.get(`/profiles/${profileId}/review`);
assert.equal((await c.post(`/profiles/${profileId}/publish`, {})).status, 303);
const slug = sqlValue(`SELECT slug FROM profiles WHERE id = ${Number(profileId)}`);
const referral = await inviteUser(c, s.domain, 'referral_admin', { name: 'Rita Referral' });
await c.get('/account/users');
assert.equal((await postForm(c, `/account/users/${referral.id}/roles`, [['role', 'referral_admin'], ['partner_id', s.pla]])).status, 303);

const { browser, context, page, consoleErrors } = await launch({ locale: 'en-GB', viewport: { width: 1100, height: 900 } });
const shot = screenshotter(page, 'leads-');
await context.addCookies([{ name: 'pd_session', value: referral.client.cookies.get('pd_session'), url: BASE }]);

const submit = label => submitForm(page, label);
const axe = where => axeViolations(page, where);

let leadId;
test('the referral admin opens the lead from the email and handles it: decline without a reason refused, accept, lost with the reason', async () => {
  const customer = new Client({}, { from: freshAddress() });
  await customer.get(`/partners/${slug}`);
  r = await customer.post(`/partners/${slug}/contact`, { name: 'Léa Client', email: `lea.${kw}@client.example`, company: 'Client SA', country: 'FR', phone: '', message: 'Bonjour,\nnous migrons vers le cloud en 2027.' });
  assert.equal(r.status, 303);
  leadId = sqlValue(`SELECT id FROM leads WHERE customer_email = ${quote(`lea.${kw}@client.example`)}`);
  const mail = await waitMail(referral.email, new RegExp(`/leads/${leadId}\\b`));
  const link = linkIn(mail, `/leads/${leadId}`);
  const resp = await page.goto(`${BASE}${link.pathname}${link.search}`);
  assert.equal(resp.status(), 200);
  assert.equal(await page.getAttribute('section[data-lead-id]', 'data-status'), 'received');
  assert.equal(await page.locator('[data-customer=name]').innerText(), 'Léa Client');
  await shot('received');
  // Decline without a reason: 422, the error frame next to the reason.
  let res = await submit('Decline');
  assert.equal(res.status(), 422);
  await checkErrorFrame(page, assert);
  assert.equal(await page.locator('.error[data-field=reason]').count(), 1);
  await shot('decline-422');
  res = await submit('Accept');
  assert.equal(res.status(), 200);
  assert.match(page.url(), new RegExp(`/leads/${leadId}\\?done=accept$`));
  assert.equal(await page.getAttribute('section[data-lead-id]', 'data-status'), 'accepted');
  assert.equal(await page.locator('.notice.ok').count(), 1);
  await page.fill('#lost-reason', 'They chose another partner.');
  res = await submit('Mark as lost');
  assert.equal(res.status(), 200);
  assert.equal(await page.getAttribute('section[data-lead-id]', 'data-status'), 'lost');
  const events = await page.$$eval('tr[data-event]', rows => rows.map(e => e.dataset.event));
  assert.deepEqual(events, ['received', 'accept', 'lost']);
  assert.match(await page.locator('tr[data-event=lost]').innerText(), /Rita Referral[\s\S]*They chose another partner\./);
  assert.equal(await page.locator('main form').count(), 0, 'nothing left to answer');
  await shot('lost');
  assert.deepEqual(sql(`SELECT action FROM lead_events WHERE lead_id = ${leadId} ORDER BY id`).map(x => x[0]), ['accept', 'lost']);
});

test('the list and the lead: no axe violation in English and French, no sideways scroll at 390 px', async () => {
  // A second lead still received, so the answer forms are checked too.
  const customer = new Client({}, { from: freshAddress() });
  await customer.get(`/partners/${slug}`);
  assert.equal((await customer.post(`/partners/${slug}/contact`, { name: 'Noé Client', email: `noe.${kw}@client.example`, company: '', country: 'BE', phone: '+32 2 000 00 00', message: 'Hello' })).status, 303);
  const open = sqlValue(`SELECT id FROM leads WHERE customer_email = ${quote(`noe.${kw}@client.example`)}`);
  const problems = [];
  for (const lang of ['en', 'fr']) {
    for (const path of ['/leads', `/leads/${leadId}`, `/leads/${open}`]) {
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        const resp = await page.goto(`${BASE}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        assert.equal(resp.status(), 200, `${path} ${lang}`);
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
        if (scroll > inner) problems.push(`${path} ${lang} ${width}: scrolls sideways (${scroll} > ${inner})`);
        if (width === 1280) problems.push(...await axe(`${path} ${lang}`));
        await shot(`${lang}-${width}-${path === '/leads' ? 'list' : path === `/leads/${open}` ? 'received' : 'closed'}`);
      }
    }
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  await page.goto(`${BASE}/leads?lang=en`);
});

// The 422 answer itself is logged by Chromium as a failed resource: the one expected entry.
test('no console error but the expected 422', () =>
  assert.deepEqual(consoleErrors.filter(e => !/status of 422/.test(e)), []));

await run();
await browser.close();
