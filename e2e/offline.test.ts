/**
 * Issue 4's flows 1 and 2: the app opens offline, and a profile plus a booking made offline survive
 * a reload and reach the server in one push once the network is back — the reported FK bug, in the
 * real browser against the real server.
 */
import { expect, it } from 'vitest';
import {
  appointmentLabel,
  bookFirstVideoSlot,
  cachedAssets,
  continueWithoutAccount,
  eventually,
  fillProfile,
  finishWelcome,
  goTo,
  openApp,
  pushCount,
  qa,
  sql,
  statusText,
  waitForFirstPull,
} from './app-driver.ts';
import { browserPerFile, e2e } from './browser.ts';
import { newPageWorkerStopped, servedFrom } from './sw-sources.ts';

const { phone } = browserPerFile();

it('opens and works offline after one online visit', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Consult');
  await eventually(async () => (await statusText(page)).includes('Offline'));
  // Every screen opens with no network: the lazy chunks come from the precache.
  for (const link of ['Profile', 'Book', 'My appointments', 'Settings'] as const) {
    await goTo(page, link);
    await page.getByRole('heading', { level: 2 }).first().waitFor();
  }
  // All of them from the precache the first visit installed: the worker kept nothing else.
  await expect(cachedAssets(page).then((c) => c.kept)).resolves.toEqual([]);
});

it('reopens offline with its worker stopped, the shell and its files served by static routes', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await page.close();

  await context.setOffline(true);
  const reopened = await newPageWorkerStopped(context);
  await reopened.goto(`${e2e().appUrl}#/appointments`);
  await reopened.getByRole('heading', { level: 2 }).first().waitFor();
  await reopened.getByRole('navigation', { name: 'Main' }).getByRole('link').first().waitFor();
  // Straight from the cache, without waiting for the worker to start: no file went through it.
  await expect(servedFrom(reopened)).resolves.toEqual({ navigation: 'cache', assets: ['cache'] });
  // The screens it has not opened yet still open offline (the fetch handler and the same routes).
  for (const link of ['Profile', 'Book', 'Settings'] as const) {
    await goTo(reopened, link);
    await reopened.getByRole('heading', { level: 2 }).first().waitFor();
  }
});

it("precaches the testing tools' screen but not their in-app faults, and keeps those offline once opened online", async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  const { precached } = await cachedAssets(page);
  expect(precached.filter((f) => /\/(booking|profile|settings|qa)-screen-[\w-]+\.js$/.test(f))).toHaveLength(
    4,
  );
  expect(precached.filter((f) => /\/(in-app-faults-section|qa-fault-banner|kiosk-app)-/.test(f))).toEqual([]);

  // Never opened: offline, the screen (its queue export) still opens, and the section not on the phone says so.
  await context.setOffline(true);
  await page.reload();
  await page.evaluate(() => {
    window.location.hash = '#/qa';
  });
  await page.getByRole('heading', { level: 2, name: 'Testing tools' }).waitFor();
  await page.getByRole('button', { name: 'Export queue (JSON)' }).waitFor();
  await page.getByText('Not on this device yet: open Testing tools once with a connection').waitFor();

  // Opened once online: the worker keeps the in-app faults, and they open offline after a reload.
  await context.setOffline(false);
  await page.reload();
  await page.getByRole('button', { name: 'Turn on QA mode on this device…' }).waitFor();
  await eventually(async () =>
    (await cachedAssets(page)).kept.some((f) => /\/in-app-faults-section-/.test(f)),
  );
  await context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { level: 2, name: 'Testing tools' }).waitFor();
  await page.getByRole('button', { name: 'Turn on QA mode on this device…' }).waitFor();
});

it('books offline, survives an offline reload, and reaches the server in one push when back online', async () => {
  const context = await phone();
  const page = await openApp(context);
  await finishWelcome(page);
  await continueWithoutAccount(page);
  // The first online visit signs in anonymously and caches doctors and slots.
  await waitForFirstPull(page);

  await context.setOffline(true);
  await goTo(page, 'Profile');
  await fillProfile(page, {
    fullName: 'Sunita Devi',
    dateOfBirth: '1988-07-14',
    sex: 'Female',
    phone: '98123 45678',
  });
  await bookFirstVideoSlot(page);
  await expect(appointmentLabel(page)).resolves.toBe('Saved on this phone — will be sent when online');

  await page.reload();
  await expect(appointmentLabel(page)).resolves.toBe('Saved on this phone — will be sent when online');
  // The header says "Loading…" until the engine has counted the outbox after the reload.
  await eventually(async () => /Offline · 2 waiting/.test(await statusText(page)));

  await qa('DELETE', 'stats');
  await context.setOffline(false);
  await eventually(async () => (await appointmentLabel(page)) === 'Sent to the clinic');
  const rows = await sql<{ full_name: string; mode: string; status: string }>(
    `select p.full_name, a.mode, a.status from public.appointments a join public.patients p on p.id = a.patient_id
     where p.full_name = 'Sunita Devi'`,
  );
  expect(rows).toEqual([{ full_name: 'Sunita Devi', mode: 'video', status: 'requested' }]);
  expect(await pushCount()).toBe(1);
  // The page's engine or the service worker (Background Sync) may have sent them: either way the
  // header says so once the page sees the outbox drained.
  await eventually(async () => /^All sent at \d\d:\d\d/.test(await statusText(page)));
});
