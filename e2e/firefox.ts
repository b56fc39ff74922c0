/**
 * Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi: the second engine of the browser
 * tests. Firefox has no Background Sync, and its `navigator.storage.persist()` waits on a permission
 * prompt that nobody answers here: what a patient on Firefox gets.
 */
import path from 'node:path';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { FIREFOX_PATH } from '../scripts/ensure-browsers.ts';
import { e2e } from './browser.ts';

export async function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: FIREFOX_PATH,
    headless: true,
    // The seed's clinics are in India: show slot times and dates as a patient there sees them.
    env: { ...process.env, TZ: 'Asia/Kolkata' },
    extraPrefsFirefox: { 'intl.accept_languages': 'en-IN, en' },
  });
}

/** A page at a phone's width (360 px), as the patients this app is for hold it. */
export async function phonePage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.setViewport({ width: 360, height: 740, deviceScaleFactor: 1 });
  return page;
}

async function saveFailureScreenshots(
  context: BrowserContext,
  task: { name: string; result?: { state?: string } },
): Promise<void> {
  if (task.result?.state !== 'fail') return;
  const slug = task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  let i = 0;
  for (const page of await context.pages()) {
    const file = path.join(e2e().artifactsDir, `failed-firefox-${slug}-${i++}.png`) as `${string}.png`;
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
  }
}

/**
 * One Firefox per test file. `phone()` opens a fresh profile (a BiDi user context: its own storage
 * and service workers); after each test every profile it opened is closed, with screenshots of its
 * pages first when the test failed.
 */
export function firefoxPerFile(): { phone(): Promise<BrowserContext> } {
  let browser: Browser | undefined;
  const open: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchFirefox();
  });
  afterEach(async ({ task }) => {
    for (const context of open.splice(0)) {
      await saveFailureScreenshots(context, task);
      await context.close();
    }
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    phone: async () => {
      if (!browser) throw new Error('firefoxPerFile() must be called at the top of a test file');
      const context = await browser.createBrowserContext();
      open.push(context);
      return context;
    },
  };
}
