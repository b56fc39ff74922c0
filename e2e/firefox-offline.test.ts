/**
 * Issue 8 part 6, in Firefox ESR: the app opens from its service worker with the device offline
 * (BiDi's emulation) or with the app's own server stopped, and what was saved on the phone survives
 * a reload. Firefox asks the patient before it grants persistent storage, and nobody answers that
 * prompt here: saving must not wait for it.
 */
import { expect, it } from 'vitest';
import { serveApp } from './app-server.ts';
import { e2e } from './browser.ts';
import { firefoxPerFile } from './firefox.ts';
import { aria, continueWithoutAccount, fillProfile, finishWelcome, goTo, openApp } from './firefox-driver.ts';

const { phone } = firefoxPerFile();

/** Whether the page can reach the API at all (it must not, once offline). */
function apiReachable(url: string): Promise<boolean> {
  return fetch(url).then(
    () => true,
    () => false,
  );
}

it('opens and works offline after one online visit, served by the service worker', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await page.setOfflineMode(true);
  await page.reload();
  await expect(page.$eval('h1', (h) => h.textContent)).resolves.toBe('Consult');
  await expect(page.evaluate(apiReachable, `${e2e().stack.url}/rest/v1/`)).resolves.toBe(false);
  // Every screen opens with no network: the lazy chunks come from the precache.
  for (const link of ['Profile', 'Book', 'My appointments', 'Settings'] as const) await goTo(page, link);
});

it("opens from the service worker while the app's own server is down", async () => {
  const server = await serveApp(e2e().appDir);
  let stopped = false;
  try {
    const context = await phone();
    const page = await openApp(context, '', server.url);
    await finishWelcome(page);
    await server.stop();
    stopped = true;
    await expect(fetch(server.url)).rejects.toThrow();
    await page.reload();
    await expect(page.$eval('h1', (h) => h.textContent)).resolves.toBe('Consult');
    for (const link of ['Profile', 'Book', 'My appointments', 'Settings'] as const) await goTo(page, link);
  } finally {
    if (!stopped) await server.stop();
  }
});

it('keeps a profile saved on the phone across an offline reload', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await goTo(page, 'Profile');
  // The first save asks Firefox for persistent storage; the prompt stays unanswered.
  await fillProfile(page, { fullName: 'Rekha Joshi', dateOfBirth: '1990-04-18', sex: 'Female' });

  await page.setOfflineMode(true);
  await page.reload();
  await goTo(page, 'Profile');
  const name = await page
    .locator(aria('Full name', 'textbox'))
    .map((el) => (el as HTMLInputElement).value)
    .wait();
  expect(name).toBe('Rekha Joshi');
});
