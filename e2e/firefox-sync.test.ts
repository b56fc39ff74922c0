/**
 * Issue 8 parts 4 and 6, in Firefox ESR, which has no Background Sync: what waits on the phone is
 * sent by the page itself (when it opens again, on its retry timer), and the anonymous sign-in of a
 * patient who chose no account is retried like any other send. The API is cut with the gateway's
 * offline switch: BiDi's offline emulation never fires `online` in a page loaded offline.
 */
import { afterEach, expect, it } from 'vitest';
import { eventually, qa } from './app-driver.ts';
import { firefoxPerFile } from './firefox.ts';
import {
  continueWithoutAccount,
  fillProfile,
  finishWelcome,
  goTo,
  openApp,
  statusText,
} from './firefox-driver.ts';
import { patientsNamed, requestsTo } from './stack-checks.ts';
import { readStatusLog, startStatusLog } from './status-log.ts';

const { phone } = firefoxPerFile();

afterEach(async () => {
  await qa('DELETE', 'faults');
});

it('sends what was saved while the API was down once the app is opened again, without Background Sync', async () => {
  const context = await phone();
  const page = await openApp(context);
  await expect(page.evaluate(async () => 'sync' in (await navigator.serviceWorker.ready))).resolves.toBe(
    false,
  );
  await finishWelcome(page);
  await continueWithoutAccount(page);
  // The first pull (nothing to send yet) is done.
  await eventually(async () => (await statusText(page)) === 'Nothing to send');

  await qa('PUT', 'faults', { offline: true, match: '/' });
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Farida Khan', dateOfBirth: '1984-01-30', sex: 'Female' });
  // Queued, not sent. Once the page has tried to send and failed, the status adds when it tries
  // again ("· trying again in 4 s"): on a loaded machine that try can come before this first look.
  await eventually(async () => (await statusText(page)).startsWith('1 waiting to send'));
  // The patient closes the app. Nothing in Firefox sends for a closed page.
  await page.close();
  await qa('DELETE', 'faults');
  expect(await patientsNamed('Farida Khan')).toBe(0);

  const again = await openApp(context);
  await eventually(async () => (await patientsNamed('Farida Khan')) === 1);
  await eventually(async () => (await statusText(again)).startsWith('All sent'));
});

it('retries the anonymous sign-in with backoff after the API was unreachable, with no reload', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await page.evaluate(startStatusLog);
  await qa('PUT', 'faults', { offline: true, match: '/' });
  await qa('DELETE', 'stats');
  await continueWithoutAccount(page);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Arjun Patil', dateOfBirth: '1972-06-05', sex: 'Male' });
  await eventually(async () => (await requestsTo('/auth/v1/signup')) >= 2, 60_000);

  await qa('DELETE', 'faults');
  await eventually(async () => (await patientsNamed('Arjun Patil')) === 1, 60_000);
  await eventually(async () => (await statusText(page)).startsWith('All sent'));
  const seen = await page.evaluate(readStatusLog);
  expect(seen.filter((text) => /sign in/i.test(text))).toEqual([]);
});
