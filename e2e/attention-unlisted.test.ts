/**
 * "Needs attention (N)" leads to My appointments, and that screen shows every change it counts. Seen:
 * a refused outbox entry of a row no item there shows (another profile's write, left in the device's
 * database) was counted in the header for good and listed only under Testing tools, with nothing to
 * discard it by; a record without a seq was counted and never read at all.
 */
import type { Page } from 'playwright-core';
import { it } from 'vitest';
import {
  continueWithoutAccount,
  eventually,
  finishWelcome,
  openApp,
  statusText,
  waitForFirstPull,
} from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const { phone } = browserPerFile();

/** Writes outbox records straight into the app's IndexedDB, bypassing every check. */
async function plantOutbox(page: Page, records: Record<string, unknown>[]): Promise<void> {
  await page.evaluate(
    (recs) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('consult');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('outbox', 'readwrite');
          for (const r of recs) tx.objectStore('outbox').put(r);
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

it('lists each counted change no item shows, and discarding it clears the header', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await waitForFirstPull(page);

  const key = crypto.randomUUID();
  await plantOutbox(page, [
    {
      id: crypto.randomUUID(),
      clientId: crypto.randomUUID(),
      entity: 'patients',
      op: 'upsert',
      key,
      data: { id: key, full_name: 'Someone Else' },
      createdAt: new Date().toISOString(),
      seq: 900_000,
      state: 'rejected',
      error: { code: 'forbidden', message: 'not yours', field: null },
      createsRow: true,
      attempted: true,
    },
    // No seq: in no seq index, yet counted by state.
    { id: crypto.randomUUID(), entity: 'appointments', state: 'rejected' },
  ]);
  await page.reload();
  // The start-up check sets the unreadable record aside; the refused one stays, and is listed.
  await eventually(async () => (await statusText(page)) === 'Needs attention (1)', 30_000);
  await page.getByRole('region', { name: 'Sync status' }).getByRole('link').click();
  const section = page.getByRole('region', { name: 'Other changes that need attention' });
  await section.getByText('A profile saved on this phone').waitFor();
  await section.getByText(/^Needs attention: this account may not make this change/).waitFor();
  await section.getByRole('button', { name: 'Discard this change' }).click();
  await section.getByRole('button', { name: 'Yes, discard' }).click();
  await eventually(async () => !(await statusText(page)).startsWith('Needs attention'));
  await section.waitFor({ state: 'detached' });
});
