/**
 * The testing tools (`#/qa`, reached from Settings): network faults set through the app's form land
 * in the local gateway, and the queue export downloads what waits in the outbox after an offline save.
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, expect, it } from 'vitest';
import {
  continueWithoutAccount,
  fillProfile,
  finishWelcome,
  goTo,
  openApp,
  qa,
  waitForFirstPull,
} from './app-driver.ts';
import { browserPerFile, e2e } from './browser.ts';

const { phone } = browserPerFile();

// The gateway is shared by every test file of the run: never leave a fault behind.
afterEach(async () => {
  await qa('DELETE', 'faults');
});

interface Faults {
  latencyMs: number;
  failNext: number;
  failStatus: number;
  retryAfterSeconds: number | null;
}

async function openTestingTools(page: Page): Promise<void> {
  await goTo(page, 'Settings');
  await page.getByRole('link', { name: 'Testing tools' }).click();
  await page.getByRole('heading', { level: 2, name: 'Testing tools' }).waitFor();
}

/** The value the screen read back from the gateway for one setting. */
function readBack(page: Page, setting: string) {
  return page
    .getByRole('region', { name: 'Current settings (read back from the gateway)' })
    .locator(`dt:text-is("${setting}") + dd`)
    .innerText();
}

it('sets latency and "fail next" from the form, the gateway holds them, and Reset clears them', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await openTestingTools(page);

  const latency = page.getByLabel('Added latency (ms)');
  await latency.waitFor();
  // A value the gateway would refuse is caught on the form, tied to its field, and nothing is sent.
  await latency.fill('70000');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(latency.getAttribute('aria-invalid')).resolves.toBe('true');
  await page.getByText('Enter a number from 0 to 60000.').waitFor();
  expect(((await qa('GET', 'faults')) as Faults).latencyMs).toBe(0);

  await latency.fill('400');
  await page.getByLabel('Fail next N requests').fill('1');
  await page.getByRole('radio', { name: '429 Too many requests' }).check();
  await page.getByLabel('Retry-After (seconds)').fill('3');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByText('Applied. The gateway now uses these settings.').waitFor();

  expect(await qa('GET', 'faults')).toMatchObject({
    latencyMs: 400,
    failNext: 1,
    failStatus: 429,
    retryAfterSeconds: 3,
  });
  await expect(readBack(page, 'Added latency (ms)')).resolves.toBe('400');
  await expect(readBack(page, 'Fail next N requests')).resolves.toBe('1');

  await page.getByRole('button', { name: 'Reset' }).click();
  await page.getByText('Reset: no faults are injected.').waitFor();
  expect(await qa('GET', 'faults')).toMatchObject({ latencyMs: 0, failNext: 0, failStatus: 503 });
  await expect(latency.inputValue()).resolves.toBe('0');
  await expect(readBack(page, 'Added latency (ms)')).resolves.toBe('0');
  // The per-path counts come from the gateway too.
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.getByRole('region', { name: 'Requests per path' }).waitFor();
});

it('exports the queue after an offline profile save: the file holds the pending mutation, its row only when QA opts in', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await waitForFirstPull(page);

  await context.setOffline(true);
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Meena Kumari', dateOfBirth: '1979-11-23', sex: 'Female' });
  await openTestingTools(page);

  await page.getByRole('heading', { name: 'Outbox (1)' }).waitFor();
  await page.getByRole('heading', { name: 'Quarantine (0)' }).waitFor();
  // With the whole device offline the gateway cannot answer: the screen says the device is offline
  // (not that the local stack is missing: it runs).
  await page
    .getByText('This device is offline, so the gateway cannot be reached', { exact: false })
    .waitFor();

  // By default the file leaves out what was typed; QA opts in to have the rows.
  const plain = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export queue (JSON)' }).click();
  const redacted = await fs.readFile(await (await plain).path(), 'utf8');
  expect(redacted).not.toContain('Meena Kumari');
  expect(JSON.parse(redacted)).toMatchObject({ personalData: false, counts: { outbox: 1, quarantine: 0 } });
  await page
    .getByRole('checkbox', { name: 'Include personal data (the queued rows as typed)', exact: true })
    .check();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export queue (JSON)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^consult-queue-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.json$/);
  const saved = await file.path();
  const payload = JSON.parse(await fs.readFile(saved, 'utf8')) as {
    format: string;
    counts: { outbox: number; quarantine: number };
    engine: { phase: string; pendingCount: number };
    outbox: { entity: string; op: string; state: string; seq: number; data: { full_name?: string } }[];
    quarantine: unknown[];
  };
  expect(payload.format).toBe('consult-queue');
  expect(payload.counts).toEqual({ outbox: 1, quarantine: 0 });
  expect(payload.engine).toMatchObject({ phase: 'offline', pendingCount: 1 });
  expect(payload.outbox).toHaveLength(1);
  expect(payload.outbox[0]).toMatchObject({
    entity: 'patients',
    op: 'upsert',
    state: 'pending',
    data: { full_name: 'Meena Kumari' },
  });
  await page.getByText(`Saved ${file.suggestedFilename()}`).waitFor();
});

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** As screenshots.test.ts checks the main screens: axe's WCAG 2.1 AA rules, 44 px targets, 360 px. */
async function screenProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    type Axe = { run(o: unknown): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> };
    const axe = (window as unknown as { axe: Axe }).axe;
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
    const problems = result.violations.map(
      (v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
    for (const el of document.querySelectorAll('button, a[href], label:has(input)')) {
      const box = el.getBoundingClientRect();
      if (box.width > 0 && box.height > 0 && (box.height < 44 || box.width < 44))
        problems.push(`small touch target: ${(el as HTMLElement).innerText.slice(0, 40)}`);
    }
    for (const el of document.querySelectorAll('input, select, textarea')) {
      const input = el as HTMLInputElement;
      if (input.labels?.length === 0 && !input.getAttribute('aria-label'))
        problems.push(`unlabelled: ${input.outerHTML.slice(0, 80)}`);
    }
    const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    if (overflow > 0) problems.push(`scrolls sideways by ${overflow} px at 360 px`);
    return problems;
  });
}

it.each([
  ['en', 'Testing tools', 'Added latency (ms)', 'Outbox (1)'],
  ['hi', 'जाँच के औज़ार', 'अतिरिक्त देरी (ms)', 'आउटबॉक्स (1)'],
] as const)('the testing tools screen is accessible at 360 px (%s)', async (lang, link, latency, outbox) => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  // Something in the outbox, so the inspector's list is checked too (no session: it stays queued).
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName: 'Asha Devi', dateOfBirth: '1990-01-02', sex: 'Female' });
  await goTo(page, 'Settings');
  if (lang === 'hi') await page.getByRole('radio', { name: 'हिन्दी (Hindi)' }).check();
  await page.getByRole('link', { name: link }).click();
  await page.getByLabel(latency).waitFor();
  await page.getByRole('heading', { name: outbox }).waitFor();
  await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe(lang);
  const dir = path.join(e2e().artifactsDir, 'screens');
  await fs.mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${lang}-qa.png`), fullPage: true });
  expect(await screenProblems(page)).toEqual([]);
});
