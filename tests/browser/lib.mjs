// What the browser tests share: Debian's Chromium driven by playwright-core, headless, with the
// flags a container needs, and a page that records console errors.
import { chromium } from 'playwright-core';

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
