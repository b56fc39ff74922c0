/** Debian's Chromium driven by playwright-core, with the flags this sandboxed machine needs. */
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_PATH } from '../scripts/ensure-chromium.ts';
import type { E2eInfo } from './e2e-info.ts';

export function e2e(): E2eInfo {
  return inject('e2e');
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
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
