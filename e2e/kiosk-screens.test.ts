/**
 * Issue 9's screenshots: every kiosk screen at 800×1280 and 1280×800, in English and Hindi, saved
 * under test-results/e2e/kiosk-screens/. Each passes axe-core's WCAG 2.1 A/AA rules, has a level-2
 * heading, no sideways scrolling, no unlabelled input, and touch targets of at least 48 px.
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type KioskTranslate, translateKiosk } from '../src/features/kiosk/kiosk-i18n.ts';
import type { Lang } from '../src/i18n/translate.ts';
import { DEMO_STAFF } from '../supabase/local/demo-staff.ts';
import { eventually, openApp, sql } from './app-driver.ts';
import { e2e, launchBrowser, saveFailureScreenshots } from './browser.ts';
import { CLINIC, deviceData, LANDSCAPE, PIN, PORTRAIT, tabletContext } from './kiosk-driver.ts';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const MIN_TARGET = 48;

let browser: Browser;
const open: BrowserContext[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
});
afterEach(async ({ task }) => {
  for (const context of open.splice(0)) {
    await saveFailureScreenshots(context, task);
    await context.close();
  }
});
afterAll(async () => {
  await browser?.close();
});

interface AxeViolation {
  id: string;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

async function problems(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(o: unknown): Promise<{ violations: AxeViolation[] }> } })
      .axe;
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
    return result.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
  });
  const small = await page.evaluate(
    (min) =>
      [
        ...document.querySelectorAll(
          'button, a[href], label:has(input), input:not([type="radio"]):not([type="checkbox"]), textarea',
        ),
      ]
        .filter((el) => {
          const box = el.getBoundingClientRect();
          return box.width > 0 && box.height > 0 && (box.height < min || box.width < min);
        })
        .map((el) => `small touch target: ${el.tagName} ${(el as HTMLElement).innerText?.slice(0, 40)}`),
    MIN_TARGET,
  );
  return [...violations, ...small];
}

async function checkScreen(page: Page, lang: Lang, name: string): Promise<void> {
  await page.getByRole('heading', { level: 2 }).first().waitFor();
  const dir = path.join(e2e().artifactsDir, 'kiosk-screens');
  await fs.mkdir(dir, { recursive: true });
  for (const [size, viewport] of [
    ['portrait', PORTRAIT],
    ['landscape', LANDSCAPE],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: path.join(dir, `${lang}-${name}-${size}.png`), fullPage: true });
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
    expect(facts, `${lang}-${name}-${size}`).toEqual({ lang, overflow: 0, unlabelled: [] });
    expect(await problems(page), `${lang}-${name}-${size}`).toEqual([]);
  }
  await page.setViewportSize(PORTRAIT);
}

/**
 * A confirmed in-clinic appointment today for the walk-in named `fullName`, once the tablet has sent
 * them: a slot is made for it (microseconds apart, so each language gets its own), as the seed
 * has none on Sundays or after clinic hours.
 */
async function confirmedToday(fullName: string): Promise<void> {
  const [patient] = await eventually(async () => {
    const rows = await sql<{ id: string }>('select id from public.patients where full_name = $1', [fullName]);
    return rows.length > 0 && rows;
  }, 30_000);
  await sql(
    `with s as (
       insert into public.slots (doctor_id, starts_at, ends_at, mode)
       select d.id, now() + interval '10 minutes', now() + interval '25 minutes', 'in_person'
         from public.doctors d where d.name = 'Dr. Anjali Verma'
       returning id, doctor_id, starts_at, ends_at, mode)
     insert into public.appointments (id, patient_id, doctor_id, slot_id, starts_at, ends_at, mode, reason, status)
     select gen_random_uuid(), $1, s.doctor_id, s.id, s.starts_at, s.ends_at, s.mode, 'Check-up', 'confirmed' from s`,
    [patient?.id],
  );
}

describe('kiosk screens at tablet size', () => {
  for (const lang of ['en', 'hi'] as const) {
    it(`in ${lang === 'en' ? 'English' : 'Hindi'}`, async () => {
      const t: KioskTranslate = (key, params) => translateKiosk(lang, key, params);
      const context = await tabletContext(browser);
      open.push(context);
      await context.addInitScript((l) => {
        if (!localStorage.getItem('consult.lang')) localStorage.setItem('consult.lang', l);
      }, lang);
      const page = await openApp(context, '#/kiosk/setup');
      const shot = (name: string) => checkScreen(page, lang, name);
      // One walk-in per language: both kiosks serve the same clinic, so each finds the other's too.
      const walkIn =
        lang === 'en'
          ? { first: 'Geeta', fullName: 'Geeta Kumari', phone: '98111 22233' }
          : { first: 'Gauri', fullName: 'Gauri Kumari', phone: '98111 44455' };

      await shot('setup-sign-in');
      await page.getByLabel(t('kiosk.signIn.email')).fill(DEMO_STAFF.email);
      await page.getByLabel(t('kiosk.signIn.password')).fill(DEMO_STAFF.password);
      await page.getByRole('button', { name: t('kiosk.signIn.submit') }).click();
      await page.getByLabel(t('kiosk.pin.new')).waitFor();
      await shot('setup-pin');
      await page.getByLabel(t('kiosk.pin.new')).fill(PIN);
      await page.getByLabel(t('kiosk.pin.again')).fill(PIN);
      await page.getByRole('button', { name: t('kiosk.pin.save') }).click();
      const home = page.getByRole('heading', { name: t('kiosk.home.title', { clinic: CLINIC }) });
      await home.waitFor();
      await eventually(async () => ((await deviceData(page)).idb['consult/slots']?.length ?? 0) > 0, 30_000);
      await shot('home');

      // Staff: PIN, a wrong PIN, the three tabs, the idle time made short for the countdown below.
      const staff = page.getByRole('button', { name: t('kiosk.staff.open'), exact: true });
      await staff.click();
      await shot('pin');
      await page.getByLabel(t('kiosk.pin.label')).fill('000000');
      await page.getByRole('button', { name: t('kiosk.pin.unlock') }).click();
      await page.getByText(t('kiosk.pin.wrong')).waitFor();
      await shot('pin-wrong');
      await page.getByLabel(t('kiosk.pin.label')).fill(PIN);
      await page.getByRole('button', { name: t('kiosk.pin.unlock') }).click();
      await page.getByRole('heading', { name: t('kiosk.queue.title') }).waitFor();
      await shot('staff-queue');
      await page.getByRole('button', { name: t('kiosk.staff.tab.today') }).click();
      await page.getByRole('heading', { name: t('kiosk.today.title') }).waitFor();
      await shot('staff-today');
      await page.getByRole('button', { name: t('kiosk.staff.tab.settings') }).click();
      await page.getByLabel(t('kiosk.settings.idle')).waitFor();
      await shot('staff-settings');
      await page.getByRole('button', { name: t('kiosk.settings.leave') }).click();
      await shot('leave-pin');
      await page.getByRole('button', { name: t('kiosk.cancel') }).click();
      // Short, for the countdown below; set last, so the screenshots above are not cut short by it.
      await page.getByRole('button', { name: t('kiosk.staff.tab.settings') }).click();
      // 45 s: a 15 s countdown, longer than the two screenshots of it take on a loaded machine.
      await page.getByLabel(t('kiosk.settings.idle')).fill('45');
      await page.getByRole('button', { name: t('kiosk.settings.saveIdle') }).click();
      await page.getByRole('button', { name: t('kiosk.settings.signOut') }).click();
      await home.waitFor();

      // A new patient: the form with errors, booking, a request by specialty, saved, "Still there?".
      await page.getByRole('button', { name: t('kiosk.home.new') }).click();
      await page.getByRole('button', { name: t('kiosk.register.save') }).click();
      await shot('register-errors');
      await page.getByLabel(t('profile.fullName')).fill(walkIn.fullName);
      await page.getByLabel(t('profile.dateOfBirth')).fill('1992-11-03');
      await page.getByRole('radio', { name: t('profile.sex.female'), exact: true }).check();
      await page.getByLabel(t('profile.phone')).fill(walkIn.phone);
      await page.getByRole('button', { name: t('kiosk.register.save') }).click();
      await page.getByRole('heading', { name: t('kiosk.book.title') }).waitFor();
      await page.getByRole('radio', { name: /Dr\. Anjali Verma/ }).check();
      await page
        .getByRole('group', { name: t('booking.slot.day') })
        .getByRole('radio')
        .first()
        .check();
      await shot('book');
      await page.getByRole('button', { name: t('kiosk.book.requestInstead') }).click();
      await shot('book-request');
      await page.getByRole('button', { name: t('kiosk.book.skip') }).click();
      await shot('saved');
      await page.getByRole('alertdialog').waitFor({ timeout: 60_000 });
      await shot('still-there');
      // The session ends by itself (kiosk.test.ts checks "I am still here").
      await home.waitFor({ timeout: 60_000 });

      // A returning patient: the search, no match, a match.
      await page.getByRole('button', { name: t('kiosk.home.returning') }).click();
      await shot('find');
      await page.getByLabel(t('kiosk.find.phone'), { exact: true }).fill(walkIn.phone);
      await page.getByLabel(t('kiosk.find.birthYear')).fill('1993');
      await page.getByRole('button', { name: t('kiosk.find.search') }).click();
      await page.getByText(t('kiosk.find.none')).waitFor();
      await shot('find-none');
      await page.getByLabel(t('kiosk.find.birthYear')).fill('1992');
      await page.getByRole('button', { name: t('kiosk.find.search') }).click();
      await page
        .getByRole('button', { name: t('kiosk.find.match', { name: walkIn.first, year: '1992' }) })
        .waitFor();
      await shot('find-match');
      // Today's appointment, confirmed by the clinic: the check-in offer, then Today with its actions.
      await confirmedToday(walkIn.fullName);
      await page
        .getByRole('button', { name: t('kiosk.find.match', { name: walkIn.first, year: '1992' }) })
        .click();
      await page.getByRole('button', { name: t('kiosk.checkin.action') }).waitFor();
      await shot('check-in');
      await page.getByRole('button', { name: t('kiosk.book.skip') }).click();
      await page.getByRole('button', { name: t('kiosk.done') }).click();
      await home.waitFor();
      await staff.click();
      await page.getByLabel(t('kiosk.pin.label')).fill(PIN);
      await page.getByRole('button', { name: t('kiosk.pin.unlock') }).click();
      await page.getByRole('button', { name: t('kiosk.staff.tab.today') }).click();
      await page
        .getByRole('button', { name: new RegExp(`^${t('kiosk.today.action.checked_in')}`) })
        .first()
        .waitFor();
      await shot('staff-today-actions');
      // Offline, after a reload: Today opens from the list sealed under the PIN and says so.
      await context.setOffline(true);
      await page.reload();
      await home.waitFor();
      await staff.click();
      await page.getByLabel(t('kiosk.pin.label')).fill(PIN);
      await page.getByRole('button', { name: t('kiosk.pin.unlock') }).click();
      await page.getByRole('button', { name: t('kiosk.staff.tab.today') }).click();
      const asLoaded = t('kiosk.today.sealed', { time: '\u0000' }).split('\u0000')[0] ?? '';
      await page.getByText(asLoaded, { exact: false }).waitFor();
      await shot('staff-today-offline');
      await context.setOffline(false);
      await page
        .getByRole('button', { name: t('kiosk.staff.close') })
        .first()
        .click();
      await home.waitFor();

      // Leaving kiosk mode.
      await staff.click();
      await page.getByLabel(t('kiosk.pin.label')).fill(PIN);
      await page.getByRole('button', { name: t('kiosk.pin.unlock') }).click();
      await page.getByRole('button', { name: t('kiosk.staff.tab.settings') }).click();
      await page.getByRole('button', { name: t('kiosk.settings.leave') }).click();
      await page.getByLabel(t('kiosk.pin.label')).fill(PIN);
      await page.getByRole('button', { name: t('kiosk.leave.confirm') }).click();
      await page.getByRole('heading', { name: t('kiosk.left.title') }).waitFor();
      await shot('left');
    }, 300_000); // The idle countdown is waited out in full.
  }
});
