/**
 * Steps of the kiosk browser tests: a tablet-sized profile, setting a kiosk up with the local stack's
 * demo staff account, registering a walk-in, and reading everything the device keeps.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_STAFF } from '../supabase/local/demo-staff.ts';
import { openApp } from './app-driver.ts';

export const PIN = '482913';
export const CLINIC = 'Sitapur District Hospital OPD';

export const PORTRAIT = { width: 800, height: 1280 } as const;
export const LANDSCAPE = { width: 1280, height: 800 } as const;

export function tabletContext(browser: Browser, viewport = PORTRAIT): Promise<BrowserContext> {
  return browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    locale: 'en-IN',
    timezoneId: 'Asia/Kolkata',
    hasTouch: true,
  });
}

export async function setUpKiosk(context: BrowserContext): Promise<Page> {
  const page = await openApp(context, '#/kiosk/setup');
  await page.getByLabel('Staff email').fill(DEMO_STAFF.email);
  await page.getByLabel('Password').fill(DEMO_STAFF.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('New PIN (6 digits or more)').fill(PIN);
  await page.getByLabel('The same PIN again').fill(PIN);
  await page.getByRole('button', { name: 'Save PIN and start the kiosk' }).click();
  await page.getByRole('heading', { name: `Welcome to ${CLINIC}` }).waitFor();
  return page;
}

export async function openStaff(page: Page, pin = PIN): Promise<void> {
  await page.getByRole('button', { name: 'Staff', exact: true }).click();
  await page.getByLabel('Staff PIN').fill(pin);
  await page.getByRole('button', { name: 'Open staff screens' }).click();
}

export async function setIdleSeconds(page: Page, seconds: number): Promise<void> {
  await openStaff(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Seconds without a touch before a patient’s screen clears').fill(String(seconds));
  await page.getByRole('button', { name: 'Save idle time' }).click();
  await page.getByText('Saved.').waitFor();
  await page.getByRole('button', { name: 'Back to patient screen' }).first().click();
}

export interface WalkIn {
  fullName: string;
  dateOfBirth: string;
  sex: 'Female' | 'Male';
  phone?: string;
}

export async function register(page: Page, p: WalkIn): Promise<void> {
  await page.getByRole('button', { name: 'I am new here' }).click();
  await page.getByLabel('Full name').fill(p.fullName);
  await page.getByLabel('Date of birth').fill(p.dateOfBirth);
  await page.getByRole('radio', { name: p.sex, exact: true }).check();
  if (p.phone) await page.getByLabel('Phone number (optional)').fill(p.phone);
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.getByRole('heading', { name: 'Book a consultation' }).waitFor();
}

/** Books the first free time of Dr. Anjali Verma (seeded at the demo clinic). */
export async function bookFirstTime(page: Page, reason: string): Promise<void> {
  await page.getByRole('radio', { name: /Dr\. Anjali Verma/ }).check();
  await page.getByRole('group', { name: 'Day' }).getByRole('radio').first().check();
  await page.getByRole('group', { name: 'Free times' }).getByRole('radio').first().check();
  await page.getByLabel('Reason for the visit, in a few words').fill(reason);
  await page.getByRole('button', { name: 'Book', exact: true }).click();
  await page.getByText('Your consultation is booked.').waitFor();
}

export async function waitForHome(page: Page, timeout = 60_000): Promise<void> {
  await page.getByRole('heading', { name: `Welcome to ${CLINIC}` }).waitFor({ timeout });
}

export interface DeviceData {
  /** Every record of every store of each IndexedDB database, by `db/store`. */
  idb: Record<string, unknown[]>;
  databases: string[];
  session: Record<string, string>;
  local: Record<string, string>;
}

/** Everything the page's origin keeps: IndexedDB, sessionStorage and localStorage. */
export function deviceData(page: Page): Promise<DeviceData> {
  return page.evaluate(async () => {
    const idb: Record<string, unknown[]> = {};
    const dbs = await indexedDB.databases();
    for (const { name } of dbs) {
      if (!name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of [...db.objectStoreNames]) {
        idb[`${name}/${store}`] = await new Promise<unknown[]>((resolve, reject) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
      }
      db.close();
    }
    const dump = (s: Storage) => Object.fromEntries(Object.keys(s).map((k) => [k, s.getItem(k) ?? '']));
    return {
      idb,
      databases: dbs.map((d) => d.name ?? ''),
      session: dump(sessionStorage),
      local: dump(localStorage),
    };
  });
}

/** Where `text` appears on the device, outside the outbox (whose unsent writes are the only copy). */
export function placesOutsideOutbox(data: DeviceData, text: string): string[] {
  const found: string[] = [];
  for (const [store, records] of Object.entries(data.idb))
    if (store !== 'consult/outbox' && JSON.stringify(records).includes(text)) found.push(store);
  if (JSON.stringify(data.session).includes(text)) found.push('sessionStorage');
  if (JSON.stringify(data.local).includes(text)) found.push('localStorage');
  return found;
}

export function inOutbox(data: DeviceData, text: string): boolean {
  return JSON.stringify(data.idb['consult/outbox'] ?? []).includes(text);
}
