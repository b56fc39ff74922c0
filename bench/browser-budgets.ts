/**
 * Budgets measured in Debian's Chromium: the save latency of a profile + booking (Dexie rows and
 * outbox entries), and how long the installed app takes to reopen offline to an interactive first
 * screen, next to the same reopen online in the same run.
 */

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startAppServer } from '../e2e/app-server.ts';
import { chromiumArgs, launchBrowser, phoneContext } from '../e2e/browser.ts';
import { CHROMIUM_PATH } from '../scripts/ensure-chromium.ts';
import { type Lang, translate } from '../src/i18n/translate.ts';
import { startThrowawayStack } from '../supabase/local/stack.ts';
import { serveBenchPage } from './bench-page.ts';
import type { SaveBench } from './browser/save-latency.ts';

/**
 * Where the save bench's IndexedDB lives. `disk`: a profile in a throwaway folder, the database in
 * LevelDB files, as on a phone. `memory`: Playwright's default profile, which is off the record, so
 * Chromium keeps its IndexedDB in memory (what this row measured until it said so): the same code
 * without the files' cost, which weighs more on the records a save adds.
 */
export type SaveStorage = 'disk' | 'memory';

async function openPage(
  browser: Browser,
  storage: SaveStorage,
): Promise<{ page: Page; close(): Promise<void> }> {
  if (storage === 'memory') {
    const context = await browser.newContext();
    return { page: await context.newPage(), close: () => context.close() };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'consult-bench-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH,
    args: chromiumArgs(),
  });
  return {
    page: context.pages()[0] ?? (await context.newPage()),
    close: async () => {
      await context.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

export async function measureSaveLatency(
  browser: Browser,
  storage: SaveStorage,
  backlogs: number[],
  samples: number,
): Promise<SaveBench> {
  // Isolated: the save page fetches nothing, and its timer is then fine enough for ~2 ms figures.
  const served = await serveBenchPage('save-latency.html', { isolated: true });
  const { page, close } = await openPage(browser, storage);
  try {
    await page.goto(served.url);
    await page.waitForFunction(() => typeof window.runSaveBench === 'function');
    return await page.evaluate(([b, s]) => window.runSaveBench(b, s), [backlogs, samples] as const);
  } finally {
    await close();
    await served.stop();
  }
}

/** Where one reopen's time went, from the page's own timeline (ms since navigation start). */
export interface ReopenTrace {
  /** The service worker was started (or found running) to answer the navigation. */
  workerStart: number;
  /** index.html arrived (from the precache, offline). */
  htmlEnd: number;
  /** Entry script and modulepreloads evaluated. */
  domContentLoaded: number;
  firstContentfulPaint: number;
  /** The screen's heading and the main navigation were painted: the row's figure. */
  screenShown: number;
}

/**
 * Notes, on the page's own clock, when the screen's heading and the main navigation were first
 * painted: the first frame that has both in the document, read just after that frame (a message
 * posted from the frame's callback runs once the frame is rendered). This is what the user waits
 * for, without the browser driver's own round trips (and without page.goto's wait for the load
 * event, which also waits for the chunks the list loads). A string: the bundler's helpers would not
 * exist in the page.
 */
const MARK_SCREEN_SHOWN = `
  (() => {
    const shown = () => document.querySelector('main h2') && document.querySelector('nav[aria-label] a');
    const tick = () => {
      if (!shown()) return requestAnimationFrame(tick);
      const after = new MessageChannel();
      after.port1.onmessage = () => { window.__consultScreenShown = performance.now(); };
      after.port2.postMessage(null);
    };
    requestAnimationFrame(tick);
  })();
`;

/** `…Ms`: the driver's wall time from its navigate call to seeing the screen (its round trips included). */
export interface ReopenTimes {
  offlineMs: number[];
  onlineMs: number[];
  offlineTrace: ReopenTrace[];
  onlineTrace: ReopenTrace[];
  /**
   * Offline with the service worker stopped first, as it is when the app is reopened after a while
   * (Chromium stops an idle worker within about 30 s): the worker's start, with its imports, is then
   * on the way to the first screen. The other rows find it running.
   */
  offlineColdMs: number[];
  offlineColdTrace: ReopenTrace[];
}

/**
 * Whether doctors and slots are in the app's database. A string, run as is: tsx's helpers would not
 * exist in the page. It never creates the database (an open that would is aborted) and answers
 * false rather than wait on a blocked open.
 */
const REFERENCE_CACHED = `new Promise((resolve) => {
  setTimeout(() => resolve(false), 2000);
  const open = indexedDB.open('consult');
  open.onupgradeneeded = () => open.transaction.abort();
  open.onerror = () => resolve(false);
  open.onsuccess = () => {
    const db = open.result;
    try {
      const tx = db.transaction(['doctors', 'slots'], 'readonly');
      const doctors = tx.objectStore('doctors').count();
      const slots = tx.objectStore('slots').count();
      tx.oncomplete = () => { db.close(); resolve(doctors.result > 0 && slots.result > 0); };
      tx.onerror = () => { db.close(); resolve(false); };
    } catch { db.close(); resolve(false); }
  };
})`;

async function waitForReferenceData(page: Page): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await page.evaluate(REFERENCE_CACHED))) {
    if (Date.now() > deadline) throw new Error('the first pull did not land within 60 s');
    await delay(250);
  }
}

/** Opens the app, onboards, then reopens it `runs` times online and offline, timing each to the first screen. */
/** `lang`: the language the phone was left in, so the first screen's catalogue is that one. */
export async function measureReopen(browser: Browser, runs: number, lang: Lang = 'en'): Promise<ReopenTimes> {
  const stack = await startThrowawayStack('consult-bench-reopen-');
  const app = await startAppServer({
    supabaseUrl: stack.url,
    anonKey: stack.anonKey,
    outDir: path.join(stack.dataDir, 'dist'),
  });
  const context = await phoneContext(browser);
  await context.addInitScript(MARK_SCREEN_SHOWN);
  try {
    const first = await context.newPage();
    await first.goto(app.url);
    await first.waitForFunction(() => navigator.serviceWorker?.controller !== null);
    await first.getByRole('radio', { name: 'English' }).check();
    await first.getByRole('button', { name: 'Continue' }).click();
    await first.getByRole('button', { name: 'Continue without an account' }).click();
    // Reference data on the phone: an offline reopen can show the appointments screen whole.
    await waitForReferenceData(first);
    // As the language picker saves it (src/i18n/saved-lang.ts): the next start reads it.
    await first.evaluate((l) => localStorage.setItem('consult.lang', l), lang);
    await first.close();

    const reopen = async (stopWorker = false): Promise<[number, ReopenTrace]> => {
      const page = await context.newPage();
      if (stopWorker) {
        const cdp = await context.newCDPSession(page);
        await cdp.send('ServiceWorker.enable');
        await cdp.send('ServiceWorker.stopAllWorkers');
        await cdp.detach();
      }
      const started = performance.now();
      // Not the load event (goto's default): it also waits for the chunks the list below the
      // heading loads, which is not what "interactive" means here.
      await page.goto(`${app.url}#/appointments`, { waitUntil: 'commit' });
      // Interactive: the screen's heading is rendered and its navigation answers a click.
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      await page
        .getByRole('navigation', { name: translate(lang, 'nav.label') })
        .getByRole('link')
        .first()
        .waitFor();
      const ms = performance.now() - started;
      const trace = await page.evaluate((): ReopenTrace => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        return {
          workerStart: nav?.workerStart ?? Number.NaN,
          htmlEnd: nav?.responseEnd ?? Number.NaN,
          domContentLoaded: nav?.domContentLoadedEventEnd ?? Number.NaN,
          firstContentfulPaint: fcp?.startTime ?? Number.NaN,
          screenShown: (window as { __consultScreenShown?: number }).__consultScreenShown ?? Number.NaN,
        };
      });
      await page.close();
      return [ms, trace];
    };
    const times: ReopenTimes = {
      offlineMs: [],
      onlineMs: [],
      offlineTrace: [],
      onlineTrace: [],
      offlineColdMs: [],
      offlineColdTrace: [],
    };
    for (let i = 0; i < runs; i++) {
      const [ms, trace] = await reopen();
      times.onlineMs.push(ms);
      times.onlineTrace.push(trace);
    }
    await context.setOffline(true);
    for (let i = 0; i < runs; i++) {
      const [ms, trace] = await reopen();
      times.offlineMs.push(ms);
      times.offlineTrace.push(trace);
    }
    for (let i = 0; i < runs; i++) {
      const [ms, trace] = await reopen(true);
      times.offlineColdMs.push(ms);
      times.offlineColdTrace.push(trace);
    }
    return times;
  } finally {
    await context.close();
    await app.stop();
    await stack.stop();
  }
}

export async function withBrowser<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchBrowser();
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}
