// Mail over SMTP (CONTRACT §2 "Mail"): with [smtp] url= the mailer delivers to the relay instead of
// writing .eml files; with the relay down the message stays in the outbox and pages still answer.
// The instance's own mailer is stopped for the suite and restarted (as scripts/run starts it) at
// the end, whatever happened.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readdirSync, readFileSync, openSync, closeSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  test, run, assert, BUILD, VAR_ABS, signUp, mailsTo, waitMail, linkIn, pidOf, alive, waitUntil, sqlValue, sql, quote,
} from '../acceptance/lib.mjs';

const S = { dir: mkdtempSync(join(tmpdir(), 'pd-smtp-')) };
const MAILER = join(BUILD, 'src', 'partnerdesk-mailer');
const RUN_PID = join(VAR_ABS, 'run', 'mailer.pid');

const freePort = () => new Promise((resolve, reject) => {
  const srv = createServer();
  srv.on('error', reject);
  srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
});
const accepts = port => new Promise(resolve => {
  const s = connect({ host: '127.0.0.1', port });
  s.on('connect', () => { s.destroy(); resolve(true); });
  s.on('error', () => resolve(false));
});

async function stopPid(pid, what) {
  if (!pid || !alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  await waitUntil(() => !alive(pid), { timeoutMs: 20000, what: `${what} (pid ${pid}) to stop` });
}

// Starts the mailer like scripts/run does (own session, cwd $PARTNERDESK_VAR, output appended to
// log/mailer.log) and records its pid in run/mailer.pid. conf: a PARTNERDESK_CONF file or null.
async function startMailer(conf) {
  const env = { ...process.env, PARTNERDESK_VAR: VAR_ABS };
  delete env.PARTNERDESK_CONF;
  if (conf) env.PARTNERDESK_CONF = conf;
  const log = openSync(join(VAR_ABS, 'log', 'mailer.log'), 'a');
  const child = spawn(MAILER, [], { cwd: VAR_ABS, env, detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  assert.ok(child.pid, 'the mailer started');
  writeFileSync(RUN_PID, `${child.pid}\n`);
  await new Promise(r => setTimeout(r, 200));
  assert.ok(alive(child.pid), 'the mailer keeps running');
  return child.pid;
}

// Never leave smtp-sink behind, even if the suite dies.
process.on('exit', () => { if (S.sink && S.sink.exitCode === null) { try { process.kill(S.sink.pid, 'SIGTERM'); } catch { /* gone */ } } });

// Messages captured by smtp-sink, as raw text.
const sunk = () => {
  try { return readdirSync(S.dir).filter(f => /^\d\d\./.test(f)).map(f => readFileSync(join(S.dir, f), 'utf8')); } catch { return []; }
};

test('with [smtp] url the verification mail reaches the SMTP server and no .eml file is written', async () => {
  S.port = await freePort();
  const args = [...(process.getuid && process.getuid() === 0 ? ['-u', 'root'] : []), '-d', join(S.dir, '%M.'), `127.0.0.1:${S.port}`, '10'];
  // Its output goes to a file and the child is unref'd: the suite never waits on it to exit.
  const errFile = join(S.dir, 'smtp-sink.err');
  const errFd = openSync(errFile, 'a');
  S.sink = spawn('smtp-sink', args, { stdio: ['ignore', errFd, errFd] });
  closeSync(errFd);
  S.sink.on('error', e => { S.spawnError = e; });
  S.sink.unref();
  await waitUntil(() => accepts(S.port), { timeoutMs: 10000, what: `smtp-sink on port ${S.port}` })
    .catch(e => { throw new Error(`${e.message}: ${S.spawnError || ''} ${readFileSync(errFile, 'utf8')}`); });

  S.conf = join(S.dir, 'smtp.ini');
  writeFileSync(S.conf, `[smtp]\nurl=smtp://127.0.0.1:${S.port}\n`);
  S.originalMailer = pidOf('mailer');
  await stopPid(S.originalMailer, 'the instance mailer');
  S.smtpMailer = await startMailer(S.conf);

  const s = await signUp();
  const msg = await waitUntil(() => sunk().find(m => m.includes(s.email) && /verify-email\?token=/.test(m) && /\r?\n\r?\n/.test(m)),
    { timeoutMs: 20000, what: `the message to ${s.email} in smtp-sink` });
  assert.match(msg, new RegExp(`^X-Rcpt-Args: <${s.email.replace(/\./g, '\\.')}>`, 'm'), 'envelope recipient');
  assert.match(msg, new RegExp(`^To: .*${s.email.replace(/\./g, '\\.')}`, 'm'), 'To header');
  assert.match(msg, /^Subject: /m);
  assert.match(msg, /^Message-ID: <[^>]+@[^>]+>/m);
  assert.match(msg, /^Content-Type: text\/plain; charset=utf-8/mi);
  linkIn({ body: msg }, '/verify-email?token=');
  assert.ok(sqlValue(`SELECT sent_at IS NOT NULL FROM outbox WHERE to_addr = ${quote(s.email)}`) === '1', 'marked sent');
  assert.equal(mailsTo(s.email).length, 0, 'no .eml file for it');
});

test('with the SMTP server down the message stays in the outbox (attempts ≥ 1, last_error) and the page still answered 303', async () => {
  assert.ok(S.smtpMailer && alive(S.smtpMailer), 'the SMTP mailer runs');
  await stopPid(S.sink && S.sink.pid, 'smtp-sink');
  await waitUntil(async () => !(await accepts(S.port)), { timeoutMs: 10000, what: 'the SMTP port to close' });
  const s = await signUp(); // asserts 303 /dashboard
  const row = await waitUntil(() => {
    const r = sql(`SELECT attempts, sent_at IS NULL, COALESCE(last_error, '') FROM outbox WHERE to_addr = ${quote(s.email)}`)[0];
    return r && Number(r[0]) >= 1 && r;
  }, { timeoutMs: 20000, what: 'a failed delivery attempt' });
  assert.equal(row[1], '1', 'sent_at stays NULL');
  assert.ok(row[2].length > 0, 'last_error is set');
  assert.ok(Number(sqlValue(`SELECT next_attempt_at > NOW(3) FROM outbox WHERE to_addr = ${quote(s.email)}`)), 'retried later');
  assert.equal(mailsTo(s.email).length, 0, 'no .eml file written instead');
  assert.ok(alive(S.smtpMailer), 'the mailer survives the failure');
  const d = await s.client.get('/dashboard');
  assert.equal(d.status, 200);
});

test('the normal mailer is restarted (files again) and recorded in run/mailer.pid', async () => {
  try {
    await stopPid(S.sink && S.sink.pid, 'smtp-sink');
    await stopPid(S.smtpMailer, 'the SMTP mailer');
  } finally {
    if (S.smtpMailer && alive(S.smtpMailer)) process.kill(S.smtpMailer, 'SIGKILL');
    const current = pidOf('mailer');
    // The original mailer still runs when the first test failed before stopping it.
    S.normal = current && alive(current) && current !== S.smtpMailer ? current : await startMailer(null);
  }
  assert.equal(pidOf('mailer'), S.normal, 'run/mailer.pid names the restarted mailer');
  const env = readFileSync(`/proc/${S.normal}/environ`, 'utf8').split('\0');
  assert.ok(!env.some(e => e.startsWith('PARTNERDESK_CONF=')), 'without PARTNERDESK_CONF');
  const s = await signUp();
  const m = await waitMail(s.email, /verify-email\?token=/, 20000);
  assert.match(m.file, /\.eml$/);
  rmSync(S.dir, { recursive: true, force: true });
});

await run();
