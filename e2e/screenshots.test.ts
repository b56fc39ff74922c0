/**
 * Issue 4's flow 5: a screenshot of each main screen at 360 px, in English and in Hindi, saved under
 * test-results/e2e/screens/ for review. Each screen is also checked for what a reviewer would
 * otherwise have to spot by eye: a level-1 and a level-2 heading, the page language, no sideways
 * scrolling at 360 px, and no input without a label.
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  bookFirstVideoSlot,
  continueWithoutAccount,
  fillProfile,
  finishWelcome,
  openApp,
  waitForFirstPull,
} from './app-driver.ts';
import { browserPerFile, e2e } from './browser.ts';

const { phone } = browserPerFile();

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/** axe-core's WCAG 2.x A and AA rules (contrast, names, landmarks…) and 44 px touch targets. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(o: unknown): Promise<{ violations: AxeViolation[] }> } })
      .axe;
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
    return result.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
  });
  const smallTargets = await page.evaluate(() =>
    [...document.querySelectorAll('button, a[href], label:has(input)')]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        // Inline links inside running text are exempt in WCAG 2.5.8; ours are all controls.
        return box.width > 0 && box.height > 0 && (box.height < 44 || box.width < 44);
      })
      .map((el) => `small touch target: ${(el as HTMLElement).innerText.slice(0, 40)}`),
  );
  return [...violations, ...smallTargets];
}

async function checkScreen(page: Page, lang: 'en' | 'hi', name: string): Promise<void> {
  await page.getByRole('heading', { level: 2 }).first().waitFor();
  const dir = path.join(e2e().artifactsDir, 'screens');
  await fs.mkdir(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${lang}-${name}.png`), fullPage: true });
  const facts = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    unlabelled: [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => {
        const input = el as HTMLInputElement;
        return input.type !== 'hidden' && input.labels?.length === 0 && !input.getAttribute('aria-label');
      })
      .map((el) => el.outerHTML.slice(0, 80)),
  }));
  expect(facts, name).toEqual({ lang, overflow: 0, unlabelled: [] });
  expect(await accessibilityProblems(page), `${lang}-${name}`).toEqual([]);
}

/** In-app navigation, as a tap on a link would do (page.goto to a new hash may not reach the router). */
async function show(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
}

async function setLanguage(page: Page, lang: 'en' | 'hi'): Promise<void> {
  await show(page, '#/settings');
  await page.getByRole('radio', { name: lang === 'en' ? 'English' : 'हिन्दी (Hindi)' }).check();
}

describe('screens at 360 px', () => {
  it('in English and Hindi', async () => {
    const page = await openApp(await phone());
    await checkScreen(page, 'en', 'welcome');
    await finishWelcome(page, 'en');
    await checkScreen(page, 'en', 'account');
    await continueWithoutAccount(page);
    await waitForFirstPull(page);
    await show(page, '#/profile');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await checkScreen(page, 'en', 'profile-errors');
    await fillProfile(page, { fullName: 'Geeta Kumari', dateOfBirth: '1992-11-03', sex: 'Female' });
    await bookFirstVideoSlot(page, 'Skin rash on both arms');

    const screens: Array<[string, string]> = [
      ['appointments', '#/appointments'],
      ['profile', '#/profile'],
      ['book', '#/book'],
      ['settings', '#/settings'],
    ];
    for (const lang of ['en', 'hi'] as const) {
      await setLanguage(page, lang);
      for (const [name, hash] of screens) {
        await show(page, hash);
        await checkScreen(page, lang, name);
      }
      await show(page, '#/appointments');
      await page.locator('.sync-label').first().click();
      await checkScreen(page, lang, 'appointment-detail');
      await show(page, '#/welcome');
      await checkScreen(page, lang, 'welcome');
    }
    const files = await fs.readdir(path.join(e2e().artifactsDir, 'screens'));
    for (const name of ['welcome', 'appointments', 'appointment-detail', 'profile', 'book', 'settings']) {
      expect(files).toContain(`hi-${name}.png`);
      expect(files).toContain(`en-${name}.png`);
    }
  });
});
