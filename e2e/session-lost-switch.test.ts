/**
 * A write is sent only under the account that made it. Seen: a patient signed in with an account
 * saved their profile offline; their session was then lost (signed out elsewhere, a revoked refresh
 * token: here, removed from the device), the header said "1 waiting · sign in to send", someone
 * else created an account on the phone from there, and the first patient's profile was sent as
 * the second account's own (the server then held it under the second person's user). And what the
 * phone had pulled for the first patient stayed: the second account saw their profile and bookings
 * as its own, and its first pull went on from the first patient's cursor.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  bookFirstVideoSlot,
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

/** Removes the session supabase-js keeps (the `consult-auth` database), as a lost session leaves it. */
function loseSession(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('consult-auth');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('kv', 'readwrite');
          tx.objectStore('kv').clear();
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
        };
      }),
  );
}

it("does not send a lost session's writes under the account signed in next", async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await createAccount(page, `first-${crypto.randomUUID()}@example.test`);
  await waitForFirstPull(page);
  await context.setOffline(true);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Asha Firstuser', dateOfBirth: '1990-05-04', sex: 'Female' });
  await loseSession(page);
  await page.reload();
  await context.setOffline(false);
  await eventually(async () => (await statusText(page)) === '1 waiting · sign in to send', 30_000);

  await page.getByRole('region', { name: 'Sync status' }).getByRole('link').click();
  const second = `second-${crypto.randomUUID()}@example.test`;
  await createAccount(page, second);
  await eventually(async () => (await statusText(page)) === 'Needs attention (1)', 30_000);
  // Nothing of the first person's reached the server, under the second account or any other.
  await expect(sql("select id from public.patients where full_name = 'Asha Firstuser'")).resolves.toEqual([]);
  await goTo(page, 'My appointments');
  // Listed as another account's change, with when and a way to discard it: not as "Your profile",
  // and with none of the first person's details.
  const other = page.getByRole('region', { name: 'Other changes that need attention' });
  await other.getByText('Needs attention: it was made under another account on this phone').waitFor();
  await other.getByText(/^Saved on .* under another account, not this one\./).waitFor();
  await expect(page.getByText(/Your profile needs attention/).count()).resolves.toBe(0);
  await expect(page.getByText('Asha Firstuser').count()).resolves.toBe(0);
  await goTo(page, 'Profile');
  await page.getByText(/^A profile saved on this phone under another account has not been sent/).waitFor();
  await eventually(async () => (await page.getByLabel('Full name').inputValue()) === '');
  await page.getByRole('link', { name: 'See it under My appointments' }).click();
  await other.getByRole('button', { name: 'Discard this change' }).click();
  await page.getByRole('button', { name: 'Yes, discard', exact: true }).click();
  await eventually(async () => (await statusText(page)) !== 'Needs attention (1)', 30_000);
});

it("leaves none of the last user's data on the screens of the account signed in next", async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await createAccount(page, `first-${crypto.randomUUID()}@example.test`);
  await waitForFirstPull(page);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Asha Synced', dateOfBirth: '1990-05-04', sex: 'Female' });
  const reason = `Checkup ${crypto.randomUUID().slice(0, 8)}`;
  await bookFirstVideoSlot(page, reason);
  await eventually(
    async () => (await sql('select 1 from public.appointments where reason = $1', [reason])).length > 0,
    30_000,
  );
  await eventually(async () => (await statusText(page)).startsWith('All sent'), 30_000);
  await loseSession(page);
  await page.reload();

  await page.evaluate(() => {
    location.hash = '#/account';
  });
  await createAccount(page, `second-${crypto.randomUUID()}@example.test`);
  await goTo(page, 'My appointments');
  await page.getByText('You have no appointments yet.').waitFor();
  await goTo(page, 'Profile');
  await eventually(async () => (await page.getByLabel('Full name').inputValue()) === '');
});

it('sends the first account its own change once it signs in again on the phone', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  const first = `first-${crypto.randomUUID()}@example.test`;
  await createAccount(page, first);
  await waitForFirstPull(page);
  await context.setOffline(true);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Asha Comesback', dateOfBirth: '1990-05-04', sex: 'Female' });
  await loseSession(page);
  await page.reload();
  await context.setOffline(false);
  await eventually(async () => (await statusText(page)) === '1 waiting · sign in to send', 30_000);
  await page.getByRole('region', { name: 'Sync status' }).getByRole('link').click();
  await createAccount(page, `second-${crypto.randomUUID()}@example.test`);
  await eventually(async () => (await statusText(page)) === 'Needs attention (1)', 30_000);

  // Signing in to the account that made it is not refused as "would lose it": it sends it.
  await page.evaluate(() => {
    location.hash = '#/account';
  });
  await page.getByLabel('Email').fill(first);
  await page.getByLabel('Password').fill('correct-horse');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Switch account and remove them from this phone' }).click();
  await eventually(
    async () =>
      (
        await sql(
          "select 1 from public.patients p join auth.users u on u.id = p.user_id where p.full_name = 'Asha Comesback' and u.email = $1",
          [first],
        )
      ).length === 1,
    30_000,
  );
  await eventually(async () => (await statusText(page)).startsWith('All sent'), 30_000);
});
