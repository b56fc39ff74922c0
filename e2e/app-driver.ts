/**
 * Steps a patient takes in the app, written once for every browser test: accessible names only
 * (roles, labels), as a screen-reader user would find them.
 */
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import type { BrowserContext, Page } from 'playwright-core';
import { e2e } from './browser.ts';

export type Lang = 'en' | 'hi';

/** Opens the app in a fresh page and waits for the service worker to control it (offline-ready). */
export async function openApp(context: BrowserContext, hash = ''): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${e2e().appUrl}${hash}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
    timeout: 30_000,
  });
  return page;
}

export async function finishWelcome(page: Page, lang: Lang = 'en'): Promise<void> {
  await page.getByRole('radio', { name: lang === 'en' ? 'English' : 'हिन्दी (Hindi)' }).check();
  await page.getByRole('button', { name: lang === 'en' ? 'Continue' : 'आगे बढ़ें' }).click();
}

export async function continueWithoutAccount(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Continue without an account' }).click();
}

export interface ProfileInput {
  fullName: string;
  dateOfBirth: string;
  sex: 'Female' | 'Male' | 'Other';
  phone?: string;
}

export async function fillProfile(page: Page, input: ProfileInput): Promise<void> {
  await page.getByLabel('Full name').fill(input.fullName);
  await page.getByLabel('Date of birth').fill(input.dateOfBirth);
  await page.getByRole('radio', { name: input.sex, exact: true }).check();
  if (input.phone) await page.getByLabel('Phone number (optional)').fill(input.phone);
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Profile saved on this phone.').waitFor();
}

export async function goTo(
  page: Page,
  link: 'My appointments' | 'Book' | 'Profile' | 'Settings',
): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
}

export interface CachedAssets {
  /** Paths in the service worker's precache (every phone downloads them at install). */
  precached: string[];
  /** Paths the worker kept after a page loaded them (src/sw-optional.ts). */
  kept: string[];
}

/** What the service worker holds, read from the page's Cache Storage. */
export function cachedAssets(page: Page): Promise<CachedAssets> {
  return page.evaluate(async () => {
    const paths = async (names: string[]) => {
      const all: string[] = [];
      for (const name of names)
        for (const r of await (await caches.open(name)).keys()) all.push(new URL(r.url).pathname);
      return all.sort();
    };
    const names = await caches.keys();
    return {
      precached: await paths(names.filter((n) => n.startsWith('workbox-precache'))),
      kept: await paths(names.filter((n) => n === 'consult-optional-chunks')),
    };
  });
}

/** In the page: whether doctors and slots are on the phone (Dexie's database, read directly). */
function referenceCached(): Promise<boolean> {
  return new Promise((resolve) => {
    const open = indexedDB.open('consult');
    open.onerror = () => resolve(false);
    open.onsuccess = () => {
      const db = open.result;
      const done = (ok: boolean) => {
        db.close();
        resolve(ok);
      };
      try {
        const tx = db.transaction(['doctors', 'slots'], 'readonly');
        const doctors = tx.objectStore('doctors').count();
        const slots = tx.objectStore('slots').count();
        tx.oncomplete = () => done(doctors.result > 0 && slots.result > 0);
        tx.onerror = () => done(false);
      } catch {
        done(false);
      }
    };
  });
}

/**
 * Waits for the first pull after signing in: doctors and slots are on the phone. That drain sends
 * nothing, so the header says "Nothing to send", never "All sent" (issue 8, flashes).
 */
export async function waitForFirstPull(page: Page): Promise<void> {
  await eventually(() => page.evaluate(referenceCached), 30_000);
  await eventually(async () => (await statusText(page)) === 'Nothing to send');
}

/** Sync status text in the header (always visible). */
export function statusText(page: Page): Promise<string> {
  return page.getByRole('region', { name: 'Sync status' }).getByRole('status').innerText();
}

/** Runs SQL as the superuser of the e2e stack. */
export async function sql<T extends Record<string, unknown>>(
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: e2e().stack.dbUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

const POLL_MS = 100;

/** Polls until `check` holds (no fixed sleeps): DB state reached by a sync the test cannot await. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await delay(POLL_MS);
  }
}

export async function qa(method: 'GET' | 'PUT' | 'DELETE', what: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${e2e().stack.url}/__qa/${what}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

export async function pushCount(): Promise<number> {
  const { requests } = (await qa('GET', 'stats')) as { requests: Record<string, number> };
  return requests['/rest/v1/rpc/sync_push'] ?? 0;
}

export function screenshotPath(name: string): string {
  return path.join(e2e().artifactsDir, `${name}.png`);
}

/** Books the first free video slot of Dr. Anjali Verma (general medicine, seed data). */
export async function bookFirstVideoSlot(
  page: Page,
  reason = 'Fever and cough for three days',
): Promise<void> {
  await goTo(page, 'Book');
  await page.getByRole('radio', { name: 'General medicine' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: /Dr\. Anjali Verma/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'Video consultation' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('group', { name: 'Day' }).getByRole('radio').first().check();
  await page.getByRole('group', { name: 'Free times' }).getByRole('radio').first().check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Describe your problem in a few words').fill(reason);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Confirm booking' }).click();
  // The app opens the new appointment once the write is saved; wait for it, or a later navigation
  // of the test could be overtaken by this one.
  await page.waitForURL(/#\/appointments\/[0-9a-f-]{36}$/);
}

/** The sync label of the only appointment in My appointments. */
export async function appointmentLabel(page: Page): Promise<string> {
  await goTo(page, 'My appointments');
  const item = page.locator('.sync-label').first();
  await item.waitFor();
  return item.innerText();
}
