/**
 * Issue 8, "Going online", in Chromium: a patient who chose "Continue without an account" is never
 * asked to sign in, and the anonymous sign-in waits for, and is retried like, any other send.
 * (a) Chosen offline, then online: the first `sync_push` goes out after the sign-in, not before it
 *     (it used to get 401, and the header said "sign in to send" for a moment).
 * (b) Chosen while the API cannot be reached (the gateway's `offline` switch; navigator.onLine stays
 *     true): the sign-in used to be tried once and never again. Now the engine's backoff retries it,
 *     with no reload and no `online` event, and the profile reaches the server.
 */
import { afterEach, expect, it } from 'vitest';
import {
  continueWithoutAccount,
  eventually,
  fillProfile,
  finishWelcome,
  goTo,
  openApp,
  pushCount,
  qa,
  statusText,
} from './app-driver.ts';
import { browserPerFile } from './browser.ts';
import { patientsNamed, requestsTo } from './stack-checks.ts';
import { readStatusLog, startStatusLog } from './status-log.ts';

const { phone } = browserPerFile();

afterEach(async () => {
  await qa('DELETE', 'faults');
});

it('(a) chosen offline, then online: the first push waits for the anonymous sign-in', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await context.setOffline(true);
  await continueWithoutAccount(page);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Kavita Rao', dateOfBirth: '1979-03-02', sex: 'Female' });
  await page.evaluate(startStatusLog);

  await qa('DELETE', 'stats');
  await context.setOffline(false);
  await eventually(async () => (await patientsNamed('Kavita Rao')) === 1);
  await eventually(async () => (await statusText(page)).startsWith('All sent'));

  // One push, with the session: none was refused with 401 first.
  expect(await pushCount()).toBe(1);
  expect(await requestsTo('/auth/v1/signup')).toBe(1);
  const seen = await page.evaluate(readStatusLog);
  expect(seen.filter((text) => /sign in/i.test(text))).toEqual([]);
});

it('(b) chosen while the API is unreachable: the sign-in is retried with backoff, no reload needed', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await page.evaluate(startStatusLog);
  // The server is down (or a captive portal): every request fails, while navigator.onLine stays true.
  await qa('PUT', 'faults', { offline: true, match: '/' });
  await qa('DELETE', 'stats');
  await continueWithoutAccount(page);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Mohan Lal', dateOfBirth: '1961-11-20', sex: 'Male' });
  // The sign-in was tried, failed, and is tried again (by the engine's retry timer).
  await eventually(async () => (await requestsTo('/auth/v1/signup')) >= 2, 60_000);

  await qa('DELETE', 'faults');
  await eventually(async () => (await patientsNamed('Mohan Lal')) === 1, 60_000);
  await eventually(async () => (await statusText(page)).startsWith('All sent'));
  expect(await page.evaluate(() => navigator.onLine)).toBe(true);
  const seen = await page.evaluate(readStatusLog);
  expect(seen.filter((text) => /sign in/i.test(text))).toEqual([]);
  expect(seen.some((text) => text.includes('1 waiting to send'))).toBe(true);
});
