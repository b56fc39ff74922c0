/** Debian's Chromium driven by playwright-core, with the flags this sandboxed machine needs. */

import path from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { CHROMIUM_PATH } from '../scripts/ensure-chromium.ts';
import type { E2eInfo } from './e2e-info.ts';

export function e2e(): E2eInfo {
  return inject('e2e');
}

/** The switches this sandboxed machine needs, then `extraArgs`. */
export function chromiumArgs(extraArgs: readonly string[] = []): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    ...extraArgs,
  ];
}

/** `extraArgs`: more Chromium switches (a benchmark runs it as on a low-end phone). */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs(extraArgs) });
}

/** A fresh profile at a phone's width (360 px), as the patients this app is for hold it. */
export async function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 1,
    locale: 'en-IN',
    // The seed's clinics are in India: show slot times as a patient there sees them.
    timezoneId: 'Asia/Kolkata',
  });
}

/** Screenshots saved per test name: a test with two profiles (a phone and a tablet) keeps both. */
const saved = new Map<string, number>();

/** After a failed test, a screenshot of every page of the context, named after the test. */
export async function saveFailureScreenshots(
  context: BrowserContext,
  task: { name: string; result?: { state?: string } },
): Promise<void> {
  if (task.result?.state !== 'fail') return;
  const slug = task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  let i = saved.get(slug) ?? 0;
  saved.set(slug, i + context.pages().length);
  for (const page of context.pages()) {
    const file = path.join(e2e().artifactsDir, `failed-${slug}-${i++}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
  }
}

/**
 * One Chromium per test file. `phone()` opens a fresh profile at 360 px; after each test every
 * profile it opened is closed, with screenshots of its pages first when the test failed.
 */
export function browserPerFile(): {
  phone(): Promise<BrowserContext>;
  /** A context made by `make` (a tablet's, say), closed after the test as the phones are. */
  context(make: (browser: Browser) => Promise<BrowserContext>): Promise<BrowserContext>;
} {
  let browser: Browser | undefined;
  const open: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
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
  const context = async (make: (browser: Browser) => Promise<BrowserContext>) => {
    if (!browser) throw new Error('browserPerFile() must be called at the top of a test file');
    const made = await make(browser);
    open.push(made);
    return made;
  };
  return { phone: () => context(phoneContext), context };
}
