/**
 * The screen says only what is true: no step count where there are no steps, and status words that
 * keep apart where a write is and what the clinic has done with it.
 */
import { expect, it } from 'vitest';
import { finishWelcome, goTo, openApp } from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const { phone } = browserPerFile();

it('shows no step count on the request offer, which has no steps', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  // No account chosen yet: nothing was pulled, so the phone has no availability and offers a request.
  await context.setOffline(true);
  await goTo(page, 'Book');
  await page.getByRole('button', { name: 'Request a consultation' }).waitFor();
  await expect(page.getByText(/Step \d+ of \d+/).count()).resolves.toBe(0);
});
