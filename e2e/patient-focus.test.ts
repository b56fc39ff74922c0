/**
 * Where focus goes in the patient app when a question is left unanswered or asked (found by the QA
 * pass): a booking step's Next pressed before answering says so on the question and focuses it (it
 * was greyed out, skipped by Tab, with no reason); an empty reason focuses the reason; "Cancel
 * appointment" puts focus on the safe answer of its question, and keeping it (Escape too) puts it
 * back on the button (it was left on the page's body); the header's "Try now" keeps the focus while
 * its drain runs, and hands it to the sync status when nothing is left to send.
 */
import { expect, it } from 'vitest';
import {
  bookFirstVideoSlot,
  continueWithoutAccount,
  eventually,
  fillProfile,
  finishWelcome,
  goTo,
  openApp,
  qa,
  statusText,
  waitForFirstPull,
} from './app-driver.ts';
import { browserPerFile } from './browser.ts';
import { focused, refusals } from './form-probe.ts';

const { phone } = browserPerFile();

it('says on the question what a step still needs, and moves focus to it', async () => {
  const page = await openApp(await phone());
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await waitForFirstPull(page);
  await goTo(page, 'Book');

  await page.getByRole('button', { name: 'Next' }).click();
  await expect.poll(() => refusals(page)).toEqual(['Choose a specialty: Choose one of the options.']);
  expect(await focused(page)).toMatch(/^INPUT /);
  await page.getByRole('radio', { name: 'General medicine' }).check();
  await expect.poll(() => refusals(page)).toEqual([]);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect.poll(() => refusals(page)).toEqual(['Choose a doctor: Choose one of the options.']);
  expect(await focused(page)).toMatch(/^INPUT Dr\. /);

  await page.getByRole('radio', { name: /Dr\. Anjali Verma/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('radio', { name: 'Video consultation' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect.poll(() => refusals(page)).toEqual(['Day: Choose one of the options.']);
  await page.getByRole('group', { name: 'Day' }).getByRole('radio').first().check();
  await page.getByRole('group', { name: 'Free times' }).getByRole('radio').first().check();
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByRole('button', { name: 'Next' }).click();
  await expect
    .poll(() => refusals(page))
    .toEqual(['Describe your problem in a few words: This field is required.']);
  expect(await focused(page)).toBe('TEXTAREA Describe your problem in a few words');
});

it('asks before cancelling with focus on the safe answer, gives it back when kept, and to the heading when done', async () => {
  const page = await openApp(await phone());
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await waitForFirstPull(page);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Geeta Kumari', dateOfBirth: '1992-11-03', sex: 'Female' });
  await bookFirstVideoSlot(page);

  const cancel = page.getByRole('button', { name: 'Cancel appointment' });
  await cancel.click();
  await expect.poll(() => focused(page)).toBe('BUTTON No, keep it');
  await page.keyboard.press('Escape');
  await expect.poll(() => focused(page)).toBe('BUTTON Cancel appointment');
  await page.keyboard.press('Enter');
  await expect.poll(() => focused(page)).toBe('BUTTON No, keep it');
  await page.keyboard.press('Enter');
  await expect.poll(() => focused(page)).toBe('BUTTON Cancel appointment');

  // Cancelled: the question goes, and the heading takes the focus (the status says what happened).
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Yes, cancel it' }).click();
  await page.getByText('Cancelled', { exact: true }).first().waitFor();
  await expect.poll(() => focused(page)).toBe('H2 Appointment');
});

it("keeps focus on the header's Try now while it sends, and on the sync status once all is sent", async () => {
  const page = await openApp(await phone());
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await waitForFirstPull(page);
  await qa('PUT', 'faults', { failRate: 1, failStatus: 503 });
  try {
    await goTo(page, 'Profile');
    await fillProfile(page, { fullName: 'Manju Focus', dateOfBirth: '1992-05-21', sex: 'Female' });
    await eventually(async () => /trying again in/.test(await statusText(page)), 60_000);
    const tryNow = page.getByRole('button', { name: 'Try now' });
    await tryNow.focus();
    await page.keyboard.press('Enter');
    // While the send is on its way the same button reads "Sync now" (the status may still show the
    // last countdown for a moment): the focus stays on it, and it reads "Try now" once the next
    // retry is scheduled.
    await expect
      .poll(async () => ((await statusText(page)).includes('trying again in') ? focused(page) : 'sending'), {
        timeout: 60_000,
      })
      .toBe('BUTTON Try now');
  } finally {
    await qa('DELETE', 'faults');
  }
  await page.keyboard.press('Enter');
  await eventually(async () => (await statusText(page)).startsWith('All sent at'), 60_000);
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
    .toBe('Sync status');
});
