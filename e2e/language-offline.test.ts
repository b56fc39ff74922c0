/**
 * The language can be switched with no connection, both ways, and the app reopens offline in the
 * language chosen: every string either language needs is in the precache.
 */
import { expect, it } from 'vitest';
import { continueWithoutAccount, finishWelcome, goTo, openApp } from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const { phone } = browserPerFile();

it('switches language offline, and reopens offline in the language chosen', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await context.setOffline(true);

  await page.reload();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).waitFor();

  await goTo(page, 'Settings');
  await page.getByRole('radio', { name: 'हिन्दी (Hindi)' }).check();
  const nav = page.getByRole('navigation', { name: 'मुख्य' });
  await nav.getByRole('link', { name: 'सेटिंग्स', exact: true }).waitFor();
  await expect(page.getByRole('heading', { level: 2, name: 'सेटिंग्स' }).count()).resolves.toBe(1);
  await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('hi');

  // A Hindi start, still offline.
  await page.reload();
  await nav.getByRole('link', { name: 'मेरी अपॉइंटमेंट', exact: true }).waitFor();
  await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('hi');

  // And back to English, offline.
  await nav.getByRole('link', { name: 'सेटिंग्स', exact: true }).click();
  await page.getByRole('radio', { name: 'English (अंग्रेज़ी)' }).check();
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Settings', exact: true })
    .waitFor();
});
