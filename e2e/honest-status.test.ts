/**
 * Issue 8, "honest status", in Chromium: the screen says only what is true.
 * - No step count where there are no steps (the request offer).
 * - No state shown before the data it depends on: a profile first saved offline is never "Sent to the
 *   clinic", and "All sent" needs a drain that sent something, not the first pull after sign-in.
 * - A backoff says when it tries again, and "Try now" sends at once.
 * - An appointment says apart what the clinic did and where the patient's change is.
 * Short-lived texts are caught by MutationObservers in the page, never by timing.
 */
import { afterEach, expect, it } from 'vitest';
import {
  bookFirstVideoSlot,
  continueWithoutAccount,
  eventually,
  fillProfile,
  finishWelcome,
  goTo,
  openApp,
  qa,
  sql,
  statusText,
} from './app-driver.ts';
import { browserPerFile } from './browser.ts';
import { readStatusLog, startStatusLog } from './status-log.ts';

const { phone } = browserPerFile();

afterEach(async () => {
  await qa('DELETE', 'faults');
});

declare global {
  interface Window {
    __consultLabelLog?: string[];
  }
}

/** Records (in the page) every text any row sync label shows from now on. */
function startLabelLog(): void {
  const log: string[] = [];
  window.__consultLabelLog = log;
  const record = () => {
    for (const el of document.querySelectorAll<HTMLElement>('.sync-label')) {
      const text = el.innerText.trim();
      if (log[log.length - 1] !== text) log.push(text);
    }
  };
  record();
  new MutationObserver(record).observe(document.body, {
    subtree: true,
    childList: true,
    characterData: true,
  });
}

it('shows no step count on the request offer, which has no steps', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  // No account chosen yet: nothing was pulled, so the phone has no availability and offers a request.
  await context.setOffline(true);
  // Any step count the page shows on its way to the offer, however briefly, is recorded.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as Window & { __stepCounts?: string[] }).__stepCounts = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll<HTMLElement>('.step-count')) seen.push(el.innerText);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await goTo(page, 'Book');
  await page.getByRole('button', { name: 'Request a consultation' }).waitFor();
  await expect(page.getByText(/Step \d+ of \d+/).count()).resolves.toBe(0);
  const seen = await page.evaluate(() => (window as Window & { __stepCounts?: string[] }).__stepCounts ?? []);
  expect(seen).toEqual([]);
});

it('never says a profile first saved offline was sent to the clinic', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await context.setOffline(true);
  await goTo(page, 'Profile');
  await page.evaluate(startLabelLog);
  await fillProfile(page, { fullName: 'Parvati Joshi', dateOfBirth: '1984-07-09', sex: 'Female' });
  await page.getByText('Saved on this phone — will be sent when online').waitFor();
  const seen = await page.evaluate(() => window.__consultLabelLog ?? []);
  expect(seen).toEqual(['Saved on this phone — will be sent when online']);
});

it('says all sent only after a drain sent something, not after the first pull', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await page.evaluate(startStatusLog);
  await continueWithoutAccount(page);
  // The doctors arrive with the first pull after the anonymous sign-in: that drain sent nothing.
  await goTo(page, 'Book');
  await page.getByRole('radio', { name: 'General medicine' }).waitFor({ timeout: 30_000 });
  const beforeWriting = await page.evaluate(readStatusLog);
  expect(beforeWriting.filter((text) => text.startsWith('All sent'))).toEqual([]);

  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Harish Chandra', dateOfBirth: '1970-01-15', sex: 'Male' });
  await eventually(async () => (await statusText(page)).startsWith('All sent at'));
});

it('says when a backoff ends, and Try now sends at once', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  // The server cannot be reached while navigator.onLine stays true: the engine backs off.
  await qa('PUT', 'faults', { offline: true, match: '/' });
  await continueWithoutAccount(page);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Meena Tiwari', dateOfBirth: '1992-05-21', sex: 'Female' });
  // Wait for a retry at least 5 s away, so that Try now, not the engine's timer, sends it.
  await eventually(async () => {
    const match = /^1 waiting to send · trying again in (\d+) s/.exec(await statusText(page));
    return match !== null && Number(match[1]) >= 5;
  }, 90_000);

  await qa('DELETE', 'faults');
  await page.getByRole('button', { name: 'Try now' }).click();
  await eventually(async () => {
    const rows = await sql<{ n: number }>(
      "select count(*)::int as n from public.patients where full_name = 'Meena Tiwari'",
    );
    return rows[0]?.n === 1;
  });
  await eventually(async () => (await statusText(page)).startsWith('All sent at'));
});

it('keeps apart what the clinic did and where the change is, in the list and the detail', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Lakshmi Nair', dateOfBirth: '1966-02-11', sex: 'Female' });
  await bookFirstVideoSlot(page);
  const detail = page.getByRole('main');
  await detail.getByText('Waiting for the clinic to confirm').waitFor();
  await detail.getByText('Sent to the clinic').waitFor({ timeout: 20_000 });

  await goTo(page, 'My appointments');
  const card = page.locator('article.appointment').first();
  await card.getByText('Sent to the clinic').waitFor();
  const lines = await card.locator('p').allInnerTexts();
  expect(lines.slice(1)).toEqual(['Video', 'Waiting for the clinic to confirm', 'Sent to the clinic']);
  expect(lines.join(' ')).not.toMatch(/Booked|Requested/);

  // The same two lines in Hindi.
  await goTo(page, 'Settings');
  await page.getByRole('radio', { name: 'हिन्दी (Hindi)' }).check();
  await page.evaluate(() => {
    window.location.hash = '#/appointments';
  });
  const hindiCard = page.locator('article.appointment').first();
  await hindiCard.getByText('क्लिनिक को भेज दिया गया').waitFor();
  expect((await hindiCard.locator('p').allInnerTexts()).slice(1)).toEqual([
    'वीडियो',
    'क्लिनिक की पुष्टि का इंतज़ार है',
    'क्लिनिक को भेज दिया गया',
  ]);
});

it('forgets "All sent" at sign-out: the next person has sent nothing', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Vijay Kumar', dateOfBirth: '1958-09-30', sex: 'Male' });
  await eventually(async () => (await statusText(page)).startsWith('All sent at'));

  await goTo(page, 'Settings');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('Signed out.').waitFor();
  await eventually(async () => (await statusText(page)) === 'Nothing to send');
});
