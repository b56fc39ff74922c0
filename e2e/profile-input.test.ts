/**
 * Issue 8 part 4: the profile form never cuts text in silence, refuses names made only of blanks,
 * and accepts today's date of birth on the device's own calendar. Chromium runs here in India's
 * time zone just after midnight, when the UTC date is still yesterday.
 */
import { expect, it } from 'vitest';
import { finishWelcome, goTo, openApp } from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const { phone } = browserPerFile();

it('shows a counter, refuses an over-long or blank name with a message, and keeps every character', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await goTo(page, 'Profile');
  const name = page.getByLabel('Full name');
  const long = 'Anandibai '.repeat(30); // 300 characters, pasted
  await name.fill(long);
  // Nothing was cut: the field holds all 300, and the counter says so.
  await expect(name.inputValue()).resolves.toBe(long);
  await expect(page.getByText('300 / 120').isVisible()).resolves.toBe(true);
  await page.getByLabel('Date of birth').fill('1960-01-01');
  await page.getByRole('radio', { name: 'Female', exact: true }).check();
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Use at most 120 characters.').waitFor();
  await expect(name.inputValue()).resolves.toBe(long);

  // Only blanks: no-break and ideographic spaces, a zero-width space.
  await name.fill('\u00a0\u3000\u200b');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(
    page
      .getByText(/Write letters or digits, not only spaces\.|This field is required/)
      .first()
      .isVisible(),
  ).resolves.toBe(true);
});

it("accepts today's date of birth between 00:00 and 05:30 in India", async () => {
  // The phone's context is in Asia/Kolkata: 00:30 there on 5 March is still 4 March in UTC.
  const context = await phone();
  await context.clock.setFixedTime(new Date('2026-03-04T19:00:00Z'));
  const app = await openApp(context);
  await finishWelcome(app);
  await goTo(app, 'Profile');
  await app.getByLabel('Full name').fill('Baby Devi');
  await app.getByLabel('Date of birth').fill('2026-03-05');
  await app.getByRole('radio', { name: 'Female', exact: true }).check();
  await app.getByRole('button', { name: 'Save profile' }).click();
  await app.getByText('Profile saved on this phone.').waitFor();
});
