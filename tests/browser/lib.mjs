// What the browser tests share: Debian's Chromium driven by playwright-core, headless, with the
// flags a container needs, a page that records console errors, and screenshots under
// $PARTNERDESK_VAR/screenshots.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
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
