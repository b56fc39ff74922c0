/**
 * A phone updated from an older release, in Chromium. The device is left as those releases left it:
 * the session in localStorage (supabase-js's default, before the worker's drain moved it to the
 * `consult-auth` database) and a profile queued offline without `actor` (before writes were stamped
 * with their account), this release never started on it. After the update the patient is still
 * signed in, and their queued profile goes to no other account once their session is lost.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  eventually,
  fillProfile,
  finishWelcome,
  goTo,
  openApp,
  sql,
  statusText,
  waitForFirstPull,
} from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const { phone } = browserPerFile();

async function createAccount(page: Page, email: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct-horse');
  await page.getByRole('button', { name: 'Create account' }).click();
}

type StoreEdit = 'clear' | 'strip-actor' | 'delete-adopted' | 'hidden-character';

/** One edit of one store of one database of the page, with IndexedDB itself (no library). */
function inStore(page: Page, db: string, store: string, edit: StoreEdit): Promise<unknown> {
  return page.evaluate(
    ([db, store, edit]) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open(db);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(store, 'readwrite');
          const s = tx.objectStore(store);
          if (edit === 'clear') s.clear();
          else if (edit === 'delete-adopted') s.delete('unstampedAdopted');
          else if (edit === 'hidden-character')
            // As a release before the rule stored a name (or pulled one the server kept from then).
            s.openCursor().onsuccess = (e) => {
              const c = (e.target as IDBRequest<IDBCursorWithValue | null>).result;
              if (!c) return;
              const row = c.value as Record<string, unknown>;
              c.update({ ...row, full_name: `${String(row.full_name)}\u200b` });
              c.continue();
            };
          else
            s.openCursor().onsuccess = (e) => {
              const c = (e.target as IDBRequest<IDBCursorWithValue | null>).result;
              if (!c) return;
              const { actor: _actor, ...older } = c.value as Record<string, unknown>;
              c.update(older);
              c.continue();
            };
          tx.oncomplete = () => {
            open.result.close();
            resolve(null);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    [db, store, edit] as const,
  );
}

/** Every record of one store of the page's IndexedDB. */
function readAll(page: Page, db: string, store: string): Promise<Record<string, unknown>[]> {
  return page.evaluate(
    ([db, store]) =>
      new Promise<Record<string, unknown>[]>((resolve, reject) => {
        const open = indexedDB.open(db);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction(store).objectStore(store).getAll();
          all.onsuccess = () => {
            open.result.close();
            resolve(all.result as Record<string, unknown>[]);
          };
          all.onerror = () => reject(all.error);
        };
      }),
    [db, store] as const,
  );
}

/** The device as an older release left it (see the head of the file). */
async function asOlderReleaseLeftIt(page: Page): Promise<void> {
  const records = (await readAll(page, 'consult-auth', 'kv')) as { key: string; value: string }[];
  expect(records.map((r) => r.key)).toEqual([expect.stringMatching(/^sb-.+-auth-token$/)]);
  await page.evaluate((rs) => {
    for (const r of rs) localStorage.setItem(r.key, r.value);
    localStorage.removeItem('consult.lastUser');
  }, records);
  await inStore(page, 'consult-auth', 'kv', 'clear');
  await inStore(page, 'consult', 'outbox', 'strip-actor');
  await inStore(page, 'consult', 'meta', 'delete-adopted');
}

it('keeps the patient signed in and their queued profile theirs across the update', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await createAccount(page, `older-${crypto.randomUUID()}@example.test`);
  await waitForFirstPull(page);
  await context.setOffline(true);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Asha Olderrelease', dateOfBirth: '1990-05-04', sex: 'Female' });
  await asOlderReleaseLeftIt(page);
  await page.reload();
  // Still signed in: the session is where this release keeps it, and the profile is stamped with
  // its account (this release's first start), not left to whoever sends it.
  await eventually(async () => (await statusText(page)).includes('1 waiting'), 30_000);
  await eventually(async () =>
    (await readAll(page, 'consult', 'meta')).some((m) => m.key === 'unstampedAdopted'),
  );
  const [session] = await readAll(page, 'consult-auth', 'kv');
  const userId = (JSON.parse(String(session?.value)) as { user: { id: string } }).user.id;
  await expect(readAll(page, 'consult', 'outbox')).resolves.toEqual([
    expect.objectContaining({ actor: userId }),
  ]);
  await expect(
    page.evaluate(() => Object.keys(localStorage).filter((k) => k.endsWith('-auth-token'))),
  ).resolves.toEqual([]);

  // The session is then lost, and someone else signs in on the phone.
  await inStore(page, 'consult-auth', 'kv', 'clear');
  await page.reload();
  await context.setOffline(false);
  await eventually(async () => (await statusText(page)) === '1 waiting · sign in to send', 30_000);
  await page.getByRole('region', { name: 'Sync status' }).getByRole('link').click();
  await createAccount(page, `next-${crypto.randomUUID()}@example.test`);
  await eventually(async () => (await statusText(page)) === 'Needs attention (1)', 30_000);
  await expect(sql("select id from public.patients where full_name = 'Asha Olderrelease'")).resolves.toEqual(
    [],
  );
});

it('still shows a profile an older release stored by its rules, and says what to fix on save', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await createAccount(page, `rules-${crypto.randomUUID()}@example.test`);
  await waitForFirstPull(page);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Ravi Oldrules', dateOfBirth: '1988-02-03', sex: 'Male' });
  await eventually(async () => (await statusText(page)).startsWith('All sent'), 30_000);
  await inStore(page, 'consult', 'patients', 'hidden-character');
  await page.reload();
  await goTo(page, 'Profile');
  await eventually(async () => (await page.getByLabel('Full name').inputValue()) === 'Ravi Oldrules\u200b');
  await expect(readAll(page, 'consult', 'quarantine')).resolves.toEqual([]);
  // Another field changed: the save checks the whole row by today's rules, and says which to fix.
  await page.getByLabel('Date of birth').fill('1988-02-04');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('This has a character that cannot be saved', { exact: false }).first().waitFor();
});
