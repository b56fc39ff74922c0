/**
 * In-app faults with the app open in two tabs: the settings are the device's, so a change made in
 * one tab shows in the other's form and banner, and the other's Apply never writes back what it
 * showed before (its form followed only its own changes, and Apply restored the old settings).
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { continueWithoutAccount, finishWelcome, goTo, openApp } from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const { phone } = browserPerFile();

async function openTestingTools(page: Page): Promise<void> {
  await goTo(page, 'Settings');
  await page.getByRole('link', { name: 'Testing tools' }).click();
  await page.getByRole('heading', { level: 2, name: 'Testing tools' }).waitFor();
}

function inApp(page: Page) {
  return page.getByRole('region', { name: 'In-app faults (QA mode, this device)' });
}

const FAIL_RATE = 'Share of requests that fail (%)';

it("a preset chosen in one tab shows in the other tab's form, and its Apply keeps it", async () => {
  const context = await phone();
  const first = await openApp(context);
  await finishWelcome(first);
  await continueWithoutAccount(first);
  await openTestingTools(first);
  await inApp(first).getByRole('button', { name: 'Turn on QA mode on this device…' }).click();
  await inApp(first).getByRole('button', { name: 'Yes, turn on QA mode' }).click();
  await expect(inApp(first).getByLabel(FAIL_RATE).inputValue()).resolves.toBe('0');

  const second = await openApp(context);
  await openTestingTools(second);
  await inApp(second).getByRole('radio', { name: 'Server down' }).check();
  await second.getByRole('alert', { name: 'QA mode' }).getByText('Server down').waitFor();

  await first.getByRole('alert', { name: 'QA mode' }).getByText('Server down').waitFor();
  await expect(inApp(first).getByLabel(FAIL_RATE).inputValue()).resolves.toBe('100');
  await expect(inApp(first).getByRole('radio', { name: 'Server down' }).isChecked()).resolves.toBe(true);
  await inApp(first).getByRole('button', { name: 'Apply in-app faults' }).click();
  await inApp(first).getByText('Applied: the next request uses these settings.').waitFor();
  const stored = await first.evaluate(() => localStorage.getItem('consult.qa.inAppFaults'));
  expect(JSON.parse(stored ?? 'null')).toMatchObject({ failRate: 1, failStatus: 503, retryAfterSeconds: 30 });
});
