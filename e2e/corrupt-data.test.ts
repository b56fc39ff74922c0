/**
 * What an older version, a bug or a full disk can leave in IndexedDB must never crash the app:
 * unreadable records are set aside (quarantine) and the app keeps working; a database a newer
 * version of the app left behind still opens (Dexie adds what it lacks) and saving still works.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  continueWithoutAccount,
  eventually,
  fillProfile,
  finishWelcome,
  goTo,
  openApp,
  statusText,
  waitForFirstPull,
} from './app-driver.ts';
import { browserPerFile, e2e } from './browser.ts';

const { phone } = browserPerFile();

/** Writes records straight into the app's IndexedDB stores, bypassing every check. */
async function plant(
  page: Page,
  records: Array<{ store: string; value: Record<string, unknown> }>,
): Promise<void> {
  await page.evaluate(
    (recs) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('consult');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction([...new Set(recs.map((r) => r.store))], 'readwrite');
          for (const r of recs) tx.objectStore(r.store).put(r.value);
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    records,
  );
}

async function count(page: Page, store: string): Promise<number> {
  return page.evaluate(
    (name) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('consult');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const req = db.transaction(name).objectStore(name).count();
          req.onsuccess = () => {
            db.close();
            resolve(req.result);
          };
        };
      }),
    store,
  );
}

it('sets unreadable records aside and keeps working', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await waitForFirstPull(page);

  await plant(page, [
    { store: 'patients', value: { id: '0b7c0f3e-4a8e-4d0b-9a55-0d1e2f3a4b5c', full_name: 42 } },
    { store: 'appointments', value: { id: '1c8d1f4f-5b9f-4e1c-8b66-1e2f3a4b5c6d', patient_id: 'nope' } },
    { store: 'outbox', value: { id: 'garbage', seq: 999_999, entity: 'patients', key: 'x', refKeys: [] } },
  ]);
  await page.reload();
  await page.getByRole('heading', { level: 1 }).waitFor();
  for (const link of ['My appointments', 'Profile', 'Book', 'Settings'] as const) {
    await goTo(page, link);
    await page.getByRole('heading', { level: 2 }).first().waitFor();
  }
  await eventually(async () => (await count(page, 'quarantine')) >= 2);
  expect(await count(page, 'outbox')).toBe(0);
  await expect(statusText(page)).resolves.not.toContain('Loading');
});

it('opens a database that a newer version of the app left behind, and keeps saving', async () => {
  const context = await phone();
  const page = await context.newPage();
  // Any page of the origin can create the database before the app ever runs.
  await page.goto(`${e2e().appUrl}manifest.webmanifest`);
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const open = indexedDB.open('consult', 10_000);
        open.onupgradeneeded = () => open.result.createObjectStore('from_the_future');
        open.onsuccess = () => {
          open.result.close();
          resolve();
        };
      }),
  );
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(e2e().appUrl);
  await finishWelcome(page);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Leela Bai', dateOfBirth: '1966-06-06', sex: 'Female' });
  // Saved and queued: the header counts it (there is no session yet, so it waits).
  await eventually(async () => /waiting|Sending|All sent/.test(await statusText(page)));
  expect(errors).toEqual([]);
});
