/**
 * A profile the server refuses is never a dead end. Seen: the account already had a profile on the
 * server (made elsewhere) when this phone's, made offline, was sent. The header said "Needs
 * attention (1)" and led to My appointments, which showed nothing of it; the profile said "the
 * clinic changed this appointment"; nothing could discard the refused write, so it stayed for good.
 */
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
  waitForFirstPull,
} from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const { phone } = browserPerFile();

/** The signed-in user's id, as supabase-js keeps the session in the page (the `consult-auth` database). */
function userId(page: import('playwright-core').Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('consult-auth');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('kv').objectStore('kv').getAll();
          req.onsuccess = () => {
            open.result.close();
            const [entry] = req.result as { value: string }[];
            resolve((JSON.parse(entry?.value ?? '{}') as { user: { id: string } }).user.id);
          };
        };
      }),
  );
}

it('leads from the header to a refused profile, says why in words for a profile, and discards it', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await waitForFirstPull(page);
  const uid = await userId(page);

  await context.setOffline(true);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Meera Offline', dateOfBirth: '1990-05-04', sex: 'Female' });
  // Meanwhile the account got a profile on the server (another device of the same account).
  await sql(
    `insert into public.patients (id, user_id, full_name, date_of_birth, sex, preferred_language)
     values (gen_random_uuid(), $1, 'Meera Server', '1990-05-04', 'female', 'en')`,
    [uid],
  );
  await context.setOffline(false);
  await eventually(async () => (await statusText(page)) === 'Needs attention (1)', 30_000);

  await page.getByRole('region', { name: 'Sync status' }).getByRole('link').click();
  const notice = page.getByText(/^Your profile needs attention: this account already has a patient profile/);
  await notice.waitFor();
  await page.getByRole('link', { name: 'Open my profile' }).click();
  const refusal = page.getByRole('alert').filter({ hasText: 'Needs attention' });
  await expect(refusal.innerText()).resolves.toContain('this account already has a patient profile');
  await expect(refusal.innerText()).resolves.not.toContain('appointment');

  await page.getByRole('button', { name: 'Discard this change' }).click();
  await page.getByRole('button', { name: 'Yes, discard' }).click();
  await eventually(async () => !(await statusText(page)).startsWith('Needs attention'));
  // The clinic's copy shows again.
  await eventually(async () => (await page.getByLabel('Full name').inputValue()) === 'Meera Server');
});
