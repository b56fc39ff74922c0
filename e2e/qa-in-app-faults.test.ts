/**
 * Each kind of in-app fault, driven from the QA screen against the local stack: QA mode turned on
 * with its confirmation, the fault seen doing its harm (or its delay), then "All fine" and the
 * profile on the server exactly once; and the service worker's Background Sync drains under the same
 * faults, in the same sync log. The gateway's faults stay off throughout: this is the app.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { readDevice, readSyncLog } from '../scripts/qa/app-steps.ts';
import {
  continueWithoutAccount,
  eventually,
  fillProfile,
  finishWelcome,
  goTo,
  openApp,
  sql,
} from './app-driver.ts';
import { browserPerFile, e2e } from './browser.ts';

const { phone } = browserPerFile();

async function openTestingTools(page: Page): Promise<void> {
  await goTo(page, 'Settings');
  await page.getByRole('link', { name: 'Testing tools' }).click();
  await page.getByRole('heading', { level: 2, name: 'Testing tools' }).waitFor();
}

function inApp(page: Page) {
  return page.getByRole('region', { name: 'In-app faults (QA mode, this device)' });
}

/** A signed-in phone with QA mode on (confirmed) and these in-app fault fields applied. */
async function phoneWithFaults(fields: Record<string, string | boolean>): Promise<Page> {
  const page = await openApp(await phone());
  await finishWelcome(page);
  await continueWithoutAccount(page);
  await openTestingTools(page);
  await inApp(page).getByRole('button', { name: 'Turn on QA mode on this device…' }).click();
  await inApp(page).getByRole('button', { name: 'Yes, turn on QA mode' }).click();
  await page.getByRole('alert', { name: 'QA mode' }).waitFor();
  // The pressed button went with the question: the section's heading has the focus, not the body.
  await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('qa-in-app');
  for (const [label, value] of Object.entries(fields)) {
    const field = inApp(page).getByLabel(label);
    if (typeof value === 'boolean') await field.setChecked(value);
    else await field.fill(value);
  }
  await inApp(page).getByRole('button', { name: 'Apply in-app faults' }).click();
  await inApp(page).getByText('Applied: the next request uses these settings.').waitFor();
  return page;
}

async function saveProfile(page: Page, fullName: string): Promise<void> {
  await goTo(page, 'Profile');
  await fillProfile(page, { fullName, dateOfBirth: '1970-02-03', sex: 'Female' });
}

/** Every record of one object store of one of the app's databases. */
function readAll<T>(page: Page, db: string, store: string): Promise<T[]> {
  return page.evaluate(
    ([name, storeName]) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction(storeName).objectStore(storeName).getAll();
          all.onsuccess = () => {
            open.result.close();
            resolve(all.result);
          };
          all.onerror = () => reject(all.error);
        };
      }),
    [db, store] as const,
  );
}

/** The state of each queued write on the device (pending, sending, rejected, blocked). */
async function readOutboxStates(page: Page): Promise<string[]> {
  return (await readAll<{ state: string }>(page, 'consult', 'outbox')).map((m) => m.state);
}

async function onServer(fullName: string): Promise<number> {
  const rows = await sql<{ n: string }>('select count(*) as n from public.patients where full_name = $1', [
    fullName,
  ]);
  return Number(rows[0]?.n);
}

/** "All fine", Sync now, and the profile on the server exactly once with nothing left queued. */
async function calmAndCheck(page: Page, fullName: string): Promise<void> {
  await openTestingTools(page);
  await inApp(page).getByRole('radio', { name: 'All fine' }).check();
  await page.getByRole('button', { name: 'Sync now' }).first().click();
  await eventually(async () => (await readDevice(page)).outbox === 0, 60_000);
  expect(await onServer(fullName)).toBe(1);
  // The banner's button (first on the page): it goes with the banner, the main content takes the focus.
  await page.getByRole('button', { name: 'Turn off QA mode' }).first().click();
  await expect(page.getByRole('alert', { name: 'QA mode' }).count()).resolves.toBe(0);
  await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
}

/** A drain that tried to push and failed, once there is one (not the one before the sign-in). */
async function failedDrain(page: Page) {
  return eventually(
    async () => (await readSyncLog(page)).find((d) => d.batches > 0 && d.end?.status === 'failed'),
    60_000,
  );
}

it('offline for the API only: the app still works, nothing reaches the server until it is back', async () => {
  const page = await phoneWithFaults({ 'No connection to the API': true });
  await saveProfile(page, 'Fault Offline');
  expect((await failedDrain(page)).end?.kind).toBe('network');
  expect(await onServer('Fault Offline')).toBe(0);
  await calmAndCheck(page, 'Fault Offline');
});

it('added latency with jitter: each call waits at least latency minus jitter', async () => {
  const page = await phoneWithFaults({
    'Delay added by the app (ms)': '1500',
    'Jitter, more or less (ms)': '500',
  });
  await saveProfile(page, 'Fault Latency');
  const pushed = await eventually(async () => (await readSyncLog(page)).find((d) => d.batches > 0), 60_000);
  // Each push call waited at least 1,000 ms before it went out. A push brings its pull page back in
  // its answer (one call for a drain of one batch), so the push calls are the ones certainly made.
  expect(pushed.batches).toBeGreaterThanOrEqual(1);
  expect(pushed.durationMs).toBeGreaterThanOrEqual(1_000 * pushed.batches);
  await calmAndCheck(page, 'Fault Latency');
});

it('a failure rate with a chosen status and Retry-After: the engine backs off and nothing is applied', async () => {
  const page = await phoneWithFaults({
    'Share of requests that fail (%)': '100',
    'Status of the failures': '429',
    'Retry-After of the failures (seconds, empty for none)': '2',
  });
  await saveProfile(page, 'Fault Failure');
  const drain = await failedDrain(page);
  expect(drain.end?.kind).toBe('rate_limited');
  // The engine waited the Retry-After the layer sent (2 s). The log measures the wait from the moment
  // the drain's end was reported, a few milliseconds after the engine chose it: allow for that.
  expect(drain.backoffMs).toBeGreaterThanOrEqual(1_900);
  expect(await onServer('Fault Failure')).toBe(0);
  await calmAndCheck(page, 'Fault Failure');
});

it('a lost answer: the server applied the write, the app saw a timeout, and the resend is a duplicate', async () => {
  const page = await phoneWithFaults({ 'Share of answers lost after the server applied them (%)': '100' });
  await saveProfile(page, 'Fault Lost');
  const drain = await failedDrain(page);
  expect(drain.end?.kind).toBe('timeout');
  await eventually(async () => (await onServer('Fault Lost')) === 1);
  expect((await readDevice(page)).outbox).toBeGreaterThan(0);
  await calmAndCheck(page, 'Fault Lost');
  const answers = (await readSyncLog(page)).flatMap((d) => d.answers.map((a) => a.status));
  expect(answers).toContain('duplicate');
});

it('a captive portal: 200 with an HTML page is the network not really there, and the status says so', async () => {
  const page = await phoneWithFaults({ 'Captive portal (200 with a Wi-Fi login page)': true });
  await saveProfile(page, 'Fault Portal');
  // Retried with backoff like a lost network, never taken for the server's refusal of the write.
  expect((await failedDrain(page)).end?.kind).toBe('captive_portal');
  await page
    .getByRole('region', { name: 'Sync status' })
    .getByText(/The network answered with a web page/)
    .waitFor({ timeout: 60_000 });
  const outbox = await readOutboxStates(page);
  expect(outbox.length).toBeGreaterThan(0);
  expect(outbox.filter((state) => state !== 'pending' && state !== 'sending')).toEqual([]);
  expect(await onServer('Fault Portal')).toBe(0);
  await calmAndCheck(page, 'Fault Portal');
});

it('a slow body: answers trickle in, and the drain still completes exactly once', async () => {
  const page = await phoneWithFaults({ 'Answer speed (bytes per second, 0 for full speed)': '50000' });
  await saveProfile(page, 'Fault Slow');
  const pushed = await eventually(
    async () => (await readSyncLog(page)).find((d) => d.batches > 0 && d.end?.status === 'synced'),
    120_000,
  );
  // 50,000 bytes a second: the answers alone took at least a millisecond per 50 bytes.
  expect(pushed.durationMs).toBeGreaterThanOrEqual(pushed.bytesDown / 50);
  expect(await onServer('Fault Slow')).toBe(1);
  await calmAndCheck(page, 'Fault Slow');
});

/** Fires the browser's Background Sync event at the app's worker, as Chromium does when it decides. */
async function dispatchBackgroundSync(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const registration = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const mine = registrations.find((r) => r.scopeURL.startsWith(e2e().appUrl) && !r.isDeleted);
      if (mine) resolve(mine.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.dispatchSyncEvent', {
    origin: new URL(e2e().appUrl).origin,
    registrationId: await registration,
    tag: 'consult-sync',
    lastChance: false,
  });
  await cdp.detach();
}

it("the service worker's Background Sync drains run under the same faults and land in the same sync log", async () => {
  // Every API request fails with 503 and Retry-After 10 min: the page's own drain backs off past
  // the end of the test, so what drains meanwhile is the worker.
  const page = await phoneWithFaults({
    'Share of requests that fail (%)': '100',
    'Status of the failures': '503',
    'Retry-After of the failures (seconds, empty for none)': '600',
  });
  await saveProfile(page, 'Fault Worker');
  // The write asks for a Background Sync, which Chromium fires at once, and arms the page's own
  // drain after a debounce: the worker's drain may fail before the page's has even started. Wait
  // for the page's own to fail, so it is in its backoff before the faults are lifted.
  await eventually(
    async () =>
      (await readSyncLog(page)).find(
        (d) => d.trigger !== 'background-sync' && d.batches > 0 && d.end?.status === 'failed',
      ),
    60_000,
  );
  await dispatchBackgroundSync(page);
  const inWorker = await eventually(
    async () =>
      (await readSyncLog(page)).find((d) => d.trigger === 'background-sync' && d.end?.status === 'failed'),
    60_000,
  );
  expect(inWorker.end?.kind).toBe('server');
  expect(inWorker.failures.map((f) => f.error).join(' ')).toContain('QA in-app fault');
  expect(await onServer('Fault Worker')).toBe(0);

  // "All fine" reaches the worker as well: its next drain sends the profile, the page still waiting.
  await openTestingTools(page);
  await inApp(page).getByRole('radio', { name: 'All fine' }).check();
  // The worker reads the settings the page copies into IndexedDB for it.
  await eventually(async () => {
    const copy = await readAll<{ value: string }>(page, 'consult-qa-mode', 'settings');
    return copy.length === 1 && JSON.parse(copy[0]?.value ?? '{}').failRate === 0;
  });
  await dispatchBackgroundSync(page);
  const sent = await eventually(
    async () =>
      (await readSyncLog(page)).find(
        (d) => d.trigger === 'background-sync' && d.end?.status === 'synced' && d.answers.length > 0,
      ),
    60_000,
  ).catch(async (error: unknown) => {
    const drains = (await readSyncLog(page)).map((d) => `${d.trigger} ${d.end?.status} ${d.answers.length}`);
    throw new Error(`${String(error)}; drains: ${drains.join(' | ')}`);
  });
  expect(sent.answers.map((a) => a.status)).toEqual(['applied']);
  await eventually(async () => (await readDevice(page)).outbox === 0, 60_000);
  expect(await onServer('Fault Worker')).toBe(1);
  // QA sees it on the Testing tools screen, in words.
  await openTestingTools(page);
  await page
    .getByRole('list', { name: 'Drains, newest first' })
    .getByText(/Started by background sync \(service worker\), synced/)
    .first()
    .waitFor();
  await page.getByRole('button', { name: 'Turn off QA mode' }).first().click();
});
