/**
 * Each language's catalogue is a chunk of its own and the first screen loads only the saved one
 * (src/i18n/translate.ts): the other must still be there offline, for a switch and for a reopen.
 */
import { expect, it } from 'vitest';
import { continueWithoutAccount, finishWelcome, goTo, openApp } from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const { phone } = browserPerFile();

/** The catalogues this page fetched, by language, in the order it asked for them. */
function cataloguesFetched(page: import('playwright-core').Page): Promise<string[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e.name.match(/\/messages-(en|hi)-[\w-]+\.js$/)?.[1])
      .filter((lang): lang is string => lang !== undefined),
  );
}

it('switches language offline, and reopens offline in the language chosen', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await context.setOffline(true);

  // An English start: the page asks for English's catalogue first; Hindi's comes once it is up.
  await page.reload();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).waitFor();
  await expect(cataloguesFetched(page).then((langs) => langs[0])).resolves.toBe('en');

  await goTo(page, 'Settings');
  await page.getByRole('radio', { name: 'हिन्दी (Hindi)' }).check();
  const nav = page.getByRole('navigation', { name: 'मुख्य' });
  await nav.getByRole('link', { name: 'सेटिंग्स', exact: true }).waitFor();
  await expect(page.getByRole('heading', { level: 2, name: 'सेटिंग्स' }).count()).resolves.toBe(1);
  await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('hi');

  // A Hindi start, still offline: index.html preloads Hindi's catalogue, not English's.
  await page.reload();
  await nav.getByRole('link', { name: 'मेरी अपॉइंटमेंट', exact: true }).waitFor();
  await expect(
    page.evaluate(() =>
      [...document.querySelectorAll('link[rel="modulepreload"]')].map((l) => l.getAttribute('href')),
    ),
  ).resolves.toEqual(expect.arrayContaining([expect.stringMatching(/\/messages-hi-[\w-]+\.js$/)]));
  await expect(cataloguesFetched(page).then((langs) => langs[0])).resolves.toBe('hi');

  // And back to English, offline.
  await nav.getByRole('link', { name: 'सेटिंग्स', exact: true }).click();
  await page.getByRole('radio', { name: 'English (अंग्रेज़ी)' }).check();
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Settings', exact: true })
    .waitFor();
});
