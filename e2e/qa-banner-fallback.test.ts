/**
 * QA mode on where its banner's chunk cannot load: turned on offline (by a link, or another tab) on a
 * device that never opened the QA tools, whose worker therefore never kept QA's chunks. The faults
 * apply all the same, so the shell's own plain banner must say so, and turn QA mode off. Before, such
 * a device ran degraded with no banner at all.
 */
import { expect, it } from 'vitest';
import { PRESETS } from '../src/data/qa-fault-settings.ts';
import { QA_FAULTS_KEY } from '../src/data/qa-mode.ts';
import { openApp } from './app-driver.ts';
import { browserPerFile } from './browser.ts';

const { phone } = browserPerFile();

it("shows the shell's plain QA banner when the banner's chunk is out of reach, and turns QA mode off", async () => {
  const context = await phone();
  const page = await openApp(context);
  await context.setOffline(true);
  await page.evaluate(([key, value]) => localStorage.setItem(key, value), [
    QA_FAULTS_KEY,
    JSON.stringify(PRESETS['2g-village']),
  ] as const);
  const chunkFailed = page.waitForEvent('requestfailed', (r) => r.url().includes('qa-fault-banner'));
  await page.reload();
  await page.getByRole('heading', { level: 1 }).waitFor();
  const banner = page.getByRole('alert').filter({ hasText: 'QA MODE' });
  await banner.waitFor();
  // The chunk did not come: this is the plain banner, still there once the import has failed.
  await chunkFailed;
  await expect(page.locator('[data-qa-fault-banner]').count()).resolves.toBe(0);
  await expect(banner.getByRole('button', { name: 'Turn off QA mode' }).isVisible()).resolves.toBe(true);
  await banner.getByRole('button', { name: 'Turn off QA mode' }).click();
  await banner.waitFor({ state: 'detached' });
  await expect(page.evaluate((key) => localStorage.getItem(key), QA_FAULTS_KEY)).resolves.toBeNull();
});
