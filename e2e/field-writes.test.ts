/**
 * Issue 8, part 2 in Chromium: two tabs on the Profile screen. A form open on stale data follows
 * the row saved in the other tab and keeps the user's own unsaved edits, so different fields both
 * reach the server; two edits of the same field keep the first to reach the server, and the other
 * is told beside the field, in words.
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
  sql,
  statusText,
} from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const { phone } = browserPerFile();

const PHONE = 'Phone number (optional)';
const ADDRESS = 'Village or address (optional)';

async function save(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Profile saved on this phone.').waitFor();
}

async function serverProfile(name: string) {
  const [row] = await sql<{ phone: string | null; address: string | null }>(
    'select phone, address from public.patients where full_name = $1',
    [name],
  );
  return row;
}

/** Two tabs of one phone, both on the synced profile of `name`. */
async function twoTabsOnProfile(name: string) {
  const context = await phone();
  const first = await openApp(context);
  await finishWelcome(first);
  await continueWithoutAccount(first);
  await goTo(first, 'Profile');
  await fillProfile(first, {
    fullName: name,
    dateOfBirth: '1975-08-15',
    sex: 'Female',
    phone: '+919812300000',
  });
  await eventually(async () => (await serverProfile(name))?.phone === '+919812300000');
  const second = await openApp(context, '#/profile');
  await second.getByLabel(PHONE).waitFor();
  await expect(second.getByLabel(PHONE).inputValue()).resolves.toBe('+919812300000');
  return { first, second };
}

it("keeps both tabs' changes to different fields of the profile", async () => {
  const { first, second } = await twoTabsOnProfile('Savitri Devi');
  // Tab B starts typing an address while tab A changes the phone and saves.
  await second.bringToFront();
  await second.getByLabel(ADDRESS).fill('Ward 7, near the school');
  await first.bringToFront();
  await first.getByLabel(PHONE).fill('+919812311111');
  await save(first);
  await eventually(async () => (await serverProfile('Savitri Devi'))?.phone === '+919812311111');

  // Tab B shows the new phone and still holds the address being typed; saving keeps both.
  await second.bringToFront();
  await eventually(async () => (await second.getByLabel(PHONE).inputValue()) === '+919812311111');
  await expect(second.getByLabel(ADDRESS).inputValue()).resolves.toBe('Ward 7, near the school');
  await save(second);
  await eventually(async () => (await serverProfile('Savitri Devi'))?.address === 'Ward 7, near the school');
  await expect(serverProfile('Savitri Devi')).resolves.toEqual({
    phone: '+919812311111',
    address: 'Ward 7, near the school',
  });
  await eventually(async () => (await statusText(second)).startsWith('All sent'));
});

it('keeps the first of two changes to the same field and tells the other tab beside the field', async () => {
  const { first, second } = await twoTabsOnProfile('Meena Kumari');
  await second.bringToFront();
  await second.getByLabel(PHONE).fill('+919812333333');
  await first.bringToFront();
  await first.getByLabel(PHONE).fill('+919812322222');
  await save(first);
  await eventually(async () => (await serverProfile('Meena Kumari'))?.phone === '+919812322222');

  await second.bringToFront();
  await save(second);
  const notice = second.locator('[data-field="phone"] [data-conflict="phone"]');
  await notice.waitFor();
  await expect(notice.innerText()).resolves.toBe(
    'Your change to “+919812333333” was not saved: it was changed on another phone or screen first, to “+919812322222”. Change it again if yours is right.',
  );
  await expect(serverProfile('Meena Kumari')).resolves.toMatchObject({ phone: '+919812322222' });
  await eventually(async () => (await second.getByLabel(PHONE).inputValue()) === '+919812322222');
  // Read and dismissed: it goes.
  await second.locator('[data-field="phone"]').getByRole('button', { name: 'OK' }).click();
  await eventually(async () => (await notice.count()) === 0);
});
