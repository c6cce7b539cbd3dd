// Languages (CONTRACT §3, DOMAIN §8): ?lang= (remembered in a cookie), Accept-Language, English
// by default; forms, errors, error pages and emails in French and English.
import { test, run, assert, Client, htmlLang, fieldErrors, signUp, waitMail, uniqueDomain, linkIn } from './lib.mjs';

const title = html => (html.match(/<title>([^<]*)<\/title>/) || [])[1] || '';

test('?lang=fr gives <html lang="fr">, French text, and a cookie remembered on the next request', async () => {
  const c = new Client();
  const r = await c.get('/signup?lang=fr');
  assert.equal(r.status, 200);
  assert.equal(htmlLang(r.text), 'fr');
  assert.match(r.text, /Créez le compte de votre entreprise/);
  assert.match(r.text, /Mot de passe/);
  assert.equal(r.headers.get('content-language'), 'fr');
  const sc = r.headers.getSetCookie().find(s => s.startsWith('pd_lang='));
  assert.ok(sc, 'a language cookie is set');
  assert.match(sc, /^pd_lang=fr;/);
  assert.match(sc, /Max-Age=\d{5,}/i, 'remembered beyond the browser session');
  for (const p of ['/signin', '/', '/signup']) {
    const n = await c.get(p);
    assert.equal(htmlLang(n.text), 'fr', `${p} without ?lang stays French`);
  }
  const signin = await c.get('/signin');
  assert.match(signin.text, /Se connecter/);
  const en = await c.get('/signin?lang=en');
  assert.equal(htmlLang(en.text), 'en', '?lang=en switches back');
  assert.match(en.text, /Sign in/);
  const after = await c.get('/signin');
  assert.equal(htmlLang(after.text), 'en', 'and is remembered too');
});

test('the language cookie beats Accept-Language; ?lang beats the cookie', async () => {
  const c = new Client({ 'accept-language': 'fr-FR,fr;q=0.9' });
  await c.get('/?lang=en');
  const r = await c.get('/signin');
  assert.equal(htmlLang(r.text), 'en');
  const r2 = await c.get('/signin?lang=fr');
  assert.equal(htmlLang(r2.text), 'fr');
});

test('Accept-Language fr-FR gives French; en, unknown or none give English', async () => {
  const cases = [
    ['fr-FR', 'fr'], ['fr', 'fr'], ['fr-CA,fr;q=0.9,en;q=0.5', 'fr'], ['en-US,en;q=0.9,fr;q=0.8', 'en'],
    ['de-DE,fr;q=0.7', 'fr'], ['en', 'en'], ['de-DE', 'en'], ['zz', 'en'], ['*', 'en'], [null, 'en'],
    ['french', 'en'], [';;;,,,q=', 'en'],
  ];
  for (const [al, want] of cases) {
    const r = await new Client(al === null ? {} : { 'accept-language': al }).get('/signin');
    assert.equal(r.status, 200, `Accept-Language ${al}`);
    assert.equal(htmlLang(r.text), want, `Accept-Language ${al}`);
    assert.match(r.text, want === 'fr' ? /Se connecter/ : /Sign in/);
  }
});

test('an unknown ?lang value falls back (English by default, no cookie set for it)', async () => {
  for (const v of ['de', 'xx', '', 'fr-FR-evil', '<script>']) {
    const c = new Client();
    const r = await c.get('/signin?lang=' + encodeURIComponent(v));
    assert.equal(r.status, 200, `lang=${v}`);
    assert.equal(htmlLang(r.text), 'en', `lang=${v}`);
    assert.ok(!r.text.includes('<script>'), 'never echoed raw');
    const sc = r.headers.getSetCookie().find(s => s.startsWith('pd_lang='));
    assert.ok(!sc || /^pd_lang=(en|fr);/.test(sc), `cookie: ${sc}`);
  }
});

test('sign-up form errors are in French when the page is French', async () => {
  const c = new Client();
  await c.get('/signup?lang=fr');
  const r = await c.post('/signup', { email: 'jeanne@gmail.com', password: 'court', display_name: '', company_name: 'Société Test', country: 'XX' });
  assert.equal(r.status, 422);
  assert.equal(htmlLang(r.text), 'fr');
  const e = fieldErrors(r.text);
  assert.match(e.email, /messageries gratuites/);
  assert.equal(e.password, 'Utilisez au moins 12 caractères.');
  assert.equal(e.display_name, 'Ce champ est obligatoire.');
  assert.match(e.country, /Choisissez un pays/);
  assert.match(r.text, /value="Société Test"/, 'UTF-8 value kept');
  const r2 = await c.post('/signup', { email: 'pas-un-email', password: 'un mot de passe long', display_name: 'Jeanne', company_name: 'X', country: 'FR' });
  assert.equal(r2.status, 422);
  assert.doesNotMatch(fieldErrors(r2.text).email, /Enter a valid/, 'not the English message');
});

test('the same errors are in English on the English page', async () => {
  const c = new Client();
  await c.get('/signup?lang=en');
  const r = await c.post('/signup', { email: 'jane@gmail.com', password: 'short', display_name: '', company_name: 'X', country: 'FR' });
  assert.equal(r.status, 422);
  assert.equal(htmlLang(r.text), 'en');
  const e = fieldErrors(r.text);
  assert.match(e.email, /free email providers/);
  assert.equal(e.password, 'Use at least 12 characters.');
});

test('sign-in error message is French on the French page', async () => {
  const c = new Client({ 'accept-language': 'fr' });
  await c.get('/signin');
  const r = await c.post('/signin', { email: `personne@${uniqueDomain('fr')}`, password: 'pas le bon mot de passe' });
  assert.equal(r.status, 401);
  assert.equal(htmlLang(r.text), 'fr');
  assert.match(r.text, /E-mail ou mot de passe incorrect/);
});

test('the verification email of a French sign-up is in French (subject and body); English otherwise', async () => {
  const fr = await signUp({ lang: 'fr', name: 'Jérôme Dupré' });
  const mfr = await waitMail(fr.email, /verify-email\?token=/);
  assert.equal(mfr.headers.subject, 'Vérifiez votre adresse e-mail pour partnerdesk');
  assert.match(mfr.body, /Bonjour Jérôme Dupré/);
  assert.match(mfr.body, /Confirmez que cette adresse est bien la vôtre/);
  assert.doesNotMatch(mfr.body, /Please confirm/);
  linkIn(mfr, '/verify-email?token=');
  const dash = await fr.client.get('/dashboard');
  assert.equal(htmlLang(dash.text), 'fr');
  assert.match(dash.text, /Tableau de bord/);

  const en = await signUp({ lang: 'en' });
  const men = await waitMail(en.email, /verify-email\?token=/);
  assert.equal(men.headers.subject, 'Verify your email address for partnerdesk');
  assert.match(men.body, /Please confirm that this address is yours/);
  assert.equal(linkIn(mfr, '/verify-email?token=').searchParams.get('lang'), 'fr', 'the French link carries lang=fr');
  assert.equal(linkIn(men, '/verify-email?token=').searchParams.get('lang'), 'en', 'the English link carries lang=en');
});

test('an invitation sent from the French pages is in French', async () => {
  const fr = await signUp({ lang: 'fr' });
  await fr.client.get('/account/users');
  const to = `lucie.bernard@${fr.domain}`;
  const r = await fr.client.post('/account/users', { email: to, display_name: 'Lucie Bernard', role: 'member' });
  assert.equal(r.status, 303);
  const m = await waitMail(to, /set-password\?token=/);
  assert.equal(m.headers.subject, 'Vous êtes invité(e) sur partnerdesk');
  assert.match(m.body, /Bonjour Lucie Bernard/);
  assert.equal(linkIn(m, '/set-password?token=').searchParams.get('lang'), 'fr', 'the link carries the language');
});

test('the invitation follows the language chosen for the invitee (the inviter\'s by default): email, link and the invitee\'s pages', async () => {
  const en = await signUp({ lang: 'en' });
  const form = await en.client.get('/account/users');
  const select = form.text.match(/<select\b[^>]*\sname="language"[^>]*>([\s\S]*?)<\/select>/);
  assert.ok(select, 'the invitation form has a language select');
  assert.match(select[1], /<option\b[^>]*value="en"[^>]*selected/, 'the inviter\'s language is chosen by default');
  const to = `camille.roux@${en.domain}`;
  const r = await en.client.post('/account/users', { email: to, display_name: 'Camille Roux', role: 'member', language: 'fr' });
  assert.equal(r.status, 303);
  const m = await waitMail(to, /set-password\?token=/);
  assert.equal(m.headers.subject, 'Vous êtes invité(e) sur partnerdesk', 'a French invitee gets a French email from an English inviter');
  assert.match(m.body, /Bonjour Camille Roux/);
  const link = linkIn(m, '/set-password?token=');
  assert.equal(link.searchParams.get('lang'), 'fr');
  const invitee = new Client();
  const page = await invitee.get(link.pathname + link.search);
  assert.equal(page.status, 200);
  assert.equal(htmlLang(page.text), 'fr', 'the emailed link opens a French page');
  const pw = 'invited password 2026';
  const set = await invitee.post('/set-password', { token: link.searchParams.get('token'), password: pw, password_confirm: pw });
  assert.equal(set.status, 303);
  assert.equal(htmlLang((await invitee.get('/dashboard')).text), 'fr', 'and the invitee stays in French');

  const bad = await en.client.post('/account/users', { email: `x.y@${en.domain}`, display_name: 'X Y', role: 'member', language: 'de' });
  assert.equal(bad.status, 422);
  assert.ok('language' in fieldErrors(bad.text), 'an unknown language → 422 data-field="language"');
  const dflt = `sam.lee@${en.domain}`;
  assert.equal((await en.client.post('/account/users', { email: dflt, display_name: 'Sam Lee', role: 'member' })).status, 303);
  const md = await waitMail(dflt, /set-password\?token=/);
  assert.equal(md.headers.subject, 'You are invited to partnerdesk', 'no choice: the inviter\'s language');
  assert.equal(linkIn(md, '/set-password?token=').searchParams.get('lang'), 'en');
});

test('error pages 404, 405 and 403 exist in both languages', async () => {
  const expect = {
    404: { en: 'Page not found', fr: 'Page introuvable' },
    405: { en: 'Method not allowed', fr: 'Méthode non autorisée' },
    403: { en: 'Request refused', fr: 'Requête refusée' },
  };
  for (const lang of ['en', 'fr']) {
    const c = new Client({ 'accept-language': lang });
    const r404 = await c.get(`/no-such-page-${lang}`);
    const r405 = await c.request('DELETE', '/signin');
    await c.get('/signup');
    const r403 = await c.post('/signup', { email: 'a@b.example' }, { csrf: null });
    for (const [status, r] of [[404, r404], [405, r405], [403, r403]]) {
      assert.equal(r.status, status);
      assert.match(r.headers.get('content-type') || '', /^text\/html/);
      assert.equal(htmlLang(r.text), lang, `${status} page in ${lang}`);
      assert.ok(title(r.text).includes(expect[status][lang]) || r.text.includes(expect[status][lang]), `${status} ${lang}: ${expect[status][lang]}`);
      assert.match(r.text, new RegExp(`data-status="${status}"`));
    }
  }
  const q = await new Client().get('/missing?lang=fr');
  assert.equal(q.status, 404);
  assert.equal(htmlLang(q.text), 'fr', '?lang=fr on a 404');
});

await run();
