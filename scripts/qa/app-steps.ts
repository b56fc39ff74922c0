/**
 * What a scenario does in the app, by accessible names as a patient would find them, and what it
 * reads back from the device (IndexedDB: the outbox, the rows, the sync log).
 */
import type { Page } from 'playwright-core';

export async function welcomeAndSignIn(page: Page): Promise<void> {
  await page.getByRole('radio', { name: 'English' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Continue without an account' }).click();
  await page.waitForURL(/#\/appointments/, { timeout: 120_000 });
}

async function goTo(page: Page, link: 'My appointments' | 'Book' | 'Profile' | 'Settings'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
}

export async function saveProfile(page: Page, fullName: string): Promise<void> {
  await goTo(page, 'Profile');
  await page.getByLabel('Full name').fill(fullName);
  await page.getByLabel('Date of birth').fill('1979-05-14');
  await page.getByRole('radio', { name: 'Female', exact: true }).check();
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Profile saved on this phone.').waitFor();
}

/** Books the first free video slot of the seed's general physician (slots must be on the phone). */
export async function bookVideoSlot(page: Page, reason: string): Promise<void> {
  await goTo(page, 'Book');
  await page.getByRole('radio', { name: 'General medicine' }).check({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: /Dr\. Anjali Verma/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'Video consultation' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('group', { name: 'Day' }).getByRole('radio').first().check({ timeout: 120_000 });
  await page.getByRole('group', { name: 'Free times' }).getByRole('radio').first().check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Describe your problem in a few words').fill(reason);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Confirm booking' }).click();
  await page.waitForURL(/#\/appointments\/[0-9a-f-]{36}$/);
}

export interface DeviceState {
  outbox: number;
  patients: { id: string; full_name: string }[];
  appointments: { id: string; patient_id: string; reason: string; status: string }[];
  /** Every answer the server gave this device's pushes, from the sync log. */
  answers: { id: string; entity: string; key: string; status: string; code?: string }[];
}

/**
 * Reads every record of some object stores of a database in the page. Source text, not a function:
 * tsx compiles a function's inner helpers with a `__name` wrapper the page does not have.
 */
function readStores<T>(page: Page, db: string, stores: readonly string[]): Promise<Record<string, T[]>> {
  const source = `new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error('reading IndexedDB took over 10 s')), 10000);
    const req = indexedDB.open(${JSON.stringify(db)});
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('IndexedDB open blocked'));
    req.onsuccess = () => {
      const db = req.result;
      const names = ${JSON.stringify(stores)}.filter((n) => db.objectStoreNames.contains(n));
      const out = Object.fromEntries(${JSON.stringify(stores)}.map((n) => [n, []]));
      if (names.length === 0) { db.close(); return resolve(out); }
      const tx = db.transaction(names);
      for (const n of names) {
        const all = tx.objectStore(n).getAll();
        all.onsuccess = () => { out[n] = all.result; };
      }
      tx.oncomplete = () => { db.close(); resolve(out); };
      tx.onerror = () => { db.close(); reject(tx.error); };
      tx.onabort = () => { db.close(); reject(tx.error); };
    };
  })`;
  return page.evaluate(source) as Promise<Record<string, T[]>>;
}

/** Reads the app's own databases in the page. */
export async function readDevice(page: Page): Promise<DeviceState> {
  const app = await readStores<Record<string, string>>(page, 'consult', [
    'outbox',
    'patients',
    'appointments',
  ]);
  const drains = (await readSyncLog(page)) as unknown as { answers: DeviceState['answers'] }[];
  return {
    outbox: app.outbox?.length ?? 0,
    patients: (app.patients ?? []) as unknown as DeviceState['patients'],
    appointments: (app.appointments ?? []) as unknown as DeviceState['appointments'],
    answers: drains.flatMap((d) => d.answers),
  };
}

export interface LoggedDrain {
  trigger: string;
  durationMs: number | null;
  bytesDown: number;
  batches: number;
  answers: { status: string }[];
  failures: { call: string; error: string }[];
  end: { status: string; kind: string | null } | null;
  backoffMs: number | null;
}

/** The device's sync log as the QA screen shows it, oldest first. */
export async function readSyncLog(page: Page): Promise<LoggedDrain[]> {
  return (await readStores<LoggedDrain>(page, 'consult-qa-sync-log', ['drains'])).drains ?? [];
}

/**
 * Sets the device's in-app faults (null: QA mode off) as another tab of the app would: written to
 * localStorage and announced with the storage event the app's banner and QA screen listen to.
 * Written without it, the app's requests followed but the banner went on naming the old settings
 * (after the run it still said "QA mode" in the end screenshot).
 */
export async function setQaFaults(page: Page, json: string | null): Promise<void> {
  await page.evaluate(
    ([key, value]) => {
      const oldValue = localStorage.getItem(key);
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
      window.dispatchEvent(new StorageEvent('storage', { key, oldValue, newValue: value }));
    },
    ['consult.qa.inAppFaults', json] as const,
  );
}

/** Whether the QA mode banner is on the screen. */
export async function qaBannerShows(page: Page): Promise<boolean> {
  return (await page.locator('[data-qa-fault-banner]').count()) > 0;
}
