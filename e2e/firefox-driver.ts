/**
 * The patient's steps of app-driver.ts for a puppeteer page (Firefox): accessible names only, found
 * through puppeteer's ARIA selectors, as a screen-reader user would find them.
 */
import type { BrowserContext, Page } from 'puppeteer-core';
import type { ProfileInput } from './app-driver.ts';
import { e2e } from './browser.ts';
import { phonePage } from './firefox.ts';

/** An ARIA selector: the element with this accessible name (and role). */
export function aria(name: string, role?: string): string {
  const quoted = JSON.stringify(name);
  return role ? `::-p-aria([name=${quoted}][role="${role}"])` : `::-p-aria(${quoted})`;
}

/** Opens the app in a fresh page and waits for the service worker to control it (offline-ready). */
export async function openApp(context: BrowserContext, hash = '', appUrl = e2e().appUrl): Promise<Page> {
  const page = await phonePage(context);
  await page.goto(`${appUrl}${hash}`);
  await page.waitForSelector('h1');
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, { timeout: 30_000 });
  return page;
}

export async function finishWelcome(page: Page): Promise<void> {
  await page.locator(aria('English', 'radio')).click();
  await page.locator(aria('Continue', 'button')).click();
}

export async function continueWithoutAccount(page: Page): Promise<void> {
  await page.locator(aria('Continue without an account', 'button')).click();
}

export async function goTo(
  page: Page,
  link: 'My appointments' | 'Book' | 'Profile' | 'Settings',
): Promise<void> {
  await page.locator(`nav ${aria(link, 'link')}`).click();
  // The screen is there: its link is the current page, and its (lazy) content has a heading.
  await page.waitForFunction(
    (name: string) =>
      [...document.querySelectorAll('nav a[aria-current="page"]')].some((a) => a.textContent === name) &&
      document.querySelector('main h2') !== null &&
      document.querySelector('main .loading') === null,
    {},
    link,
  );
}

export async function fillProfile(page: Page, input: ProfileInput): Promise<void> {
  await page.locator(aria('Full name', 'textbox')).fill(input.fullName);
  await setDate(page, 'Date of birth', input.dateOfBirth);
  await page.locator(aria(input.sex, 'radio')).click();
  if (input.phone) await page.locator(aria('Phone number (optional)', 'textbox')).fill(input.phone);
  await page.locator(aria('Save profile', 'button')).click();
  await waitForText(page, 'Profile saved on this phone.');
}

/**
 * A date field takes no typing in a fixed order (Firefox shows the locale's mm/dd/yyyy): set the
 * value as the browser's own picker does, through the native setter, then fire `input`. Found by its
 * label in the page's own world: ARIA queries hand back elements of puppeteer's sandbox, whose writes
 * the page's React never sees.
 */
async function setDate(page: Page, label: string, isoDate: string): Promise<void> {
  await page.waitForFunction(
    (text: string, value: string) => {
      const found = [...document.querySelectorAll('label')].find((l) => l.textContent?.trim() === text);
      const field = found?.control;
      if (!(field instanceof HTMLInputElement)) return false;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(field, value);
      field.dispatchEvent(new Event('input', { bubbles: true }));
      return true;
    },
    {},
    label,
    isoDate,
  );
}

export async function waitForText(page: Page, text: string): Promise<void> {
  await page.waitForFunction((t: string) => document.body.innerText.includes(t), {}, text);
}

/** Sync status text in the header (always visible). */
export function statusText(page: Page): Promise<string> {
  return page.$eval('[aria-label="Sync status"] [role="status"]', (el) => (el as HTMLElement).innerText);
}
