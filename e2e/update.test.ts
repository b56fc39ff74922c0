/**
 * The update flow: a new build's service worker waits; the app says "a new version is ready",
 * holds the reload back while a form has unsaved input, and reloads into the new version once the
 * patient saved. Served by a small static server whose folder the test swaps, as a deploy would.
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../supabase/local/ports.ts';
import { cachedAssets, eventually } from './app-driver.ts';
import { buildApp } from './app-server.ts';
import { browserPerFile, e2e } from './browser.ts';
import { entryScript, newPageWorkerStopped, servedFrom } from './sw-sources.ts';

const { phone } = browserPerFile();
let servedDir = '';
let server: http.Server;
let appUrl = '';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

async function buildVersion(label: string): Promise<string> {
  const outDir = path.join(e2e().artifactsDir, `update-${label}`);
  // A different constant gives different chunk hashes, so the worker's precache list changes.
  await buildApp({
    supabaseUrl: e2e().stack.url,
    anonKey: e2e().stack.anonKey,
    outDir,
    define: { __CONSULT_BUILD_LABEL__: JSON.stringify(label) },
  });
  return outDir;
}

beforeAll(async () => {
  servedDir = await buildVersion('v1');
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const file = path.join(servedDir, url.pathname === '/' ? 'index.html' : url.pathname);
    fs.readFile(file).then(
      (body) => {
        res.writeHead(200, {
          'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-cache',
        });
        res.end(body);
      },
      () => res.writeHead(404).end(),
    );
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${port}/`;
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it('offers the new version, holds the reload while a form is unsaved, then reloads into it', async () => {
  const context = await phone();
  const page = await context.newPage();
  await page.goto(appUrl);
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
    timeout: 30_000,
  });
  await page.getByRole('radio', { name: 'English' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.evaluate(() => {
    window.location.hash = '#/profile';
  });
  await page.getByLabel('Full name').fill('Unsaved Name');
  const firstScript = await page.evaluate(() =>
    document.querySelector('script[type="module"]')?.getAttribute('src'),
  );

  servedDir = await buildVersion('v2');
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    await registration?.update();
  });
  const banner = page.getByText('A new version is ready. Save or clear the form first, then reload.');
  await banner.waitFor({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Reload' }).isDisabled()).resolves.toBe(true);
  // While the new version waits, a page opened now still gets the version in control, by its
  // static route too (the waiting version's shell is in a cache of its own).
  const meanwhile = await newPageWorkerStopped(context);
  await meanwhile.goto(appUrl);
  await meanwhile.getByRole('heading', { level: 1 }).waitFor();
  await expect(entryScript(meanwhile)).resolves.toBe(firstScript);
  await expect(servedFrom(meanwhile).then((s) => s.navigation)).resolves.toBe('cache');
  await meanwhile.close();

  await page.getByLabel('Date of birth').fill('1990-01-01');
  await page.getByRole('radio', { name: 'Female', exact: true }).check();
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Profile saved on this phone.').waitFor();
  await page.getByText('A new version is ready.', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Reload' }).click();
  await page.waitForFunction(
    (old) => document.querySelector('script[type="module"]')?.getAttribute('src') !== old,
    firstScript,
    { timeout: 30_000 },
  );
  await page.getByRole('heading', { level: 1 }).waitFor();
  await expect(page.getByLabel('Full name').inputValue()).resolves.toBe('Unsaved Name');

  // Reopened later, the worker stopped and no network: the new version's shell, from its routes.
  const newScript = await entryScript(page);
  await context.setOffline(true);
  const reopened = await newPageWorkerStopped(context);
  await reopened.goto(appUrl);
  await reopened.getByRole('heading', { level: 1 }).waitFor();
  await expect(entryScript(reopened)).resolves.toBe(newScript);
  await expect(servedFrom(reopened)).resolves.toEqual({ navigation: 'cache', assets: ['cache'] });
});

it("keeps the screens a device used offline across an update, under the new version's names", async () => {
  const context = await phone();
  const page = await context.newPage();
  await page.goto(appUrl);
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
    timeout: 30_000,
  });
  await page.getByRole('radio', { name: 'English' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.evaluate(() => {
    window.location.hash = '#/qa';
  });
  await page.getByRole('heading', { level: 2, name: 'Testing tools' }).waitFor();
  // The QA screen is precached; its in-app faults section is the QA group the worker keeps.
  await page.getByRole('button', { name: 'Turn on QA mode on this device…' }).waitFor();
  const qaChunk = async () =>
    (await cachedAssets(page)).kept.filter((f) => /\/in-app-faults-section-/.test(f));
  const before = await eventually(async () => {
    const kept = await qaChunk();
    return kept.length === 1 && kept;
  });
  // A kiosk set up under a version from before optional chunks never told its worker so; the
  // kiosk's own database tells the new worker (the page never opens the kiosk's screens here).
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('consult-kiosk');
        open.onsuccess = () => {
          open.result.close();
          resolve();
        };
        open.onerror = () => reject(open.error);
      }),
  );
  // Away from the testing tools, so the new version's page does not load them itself.
  await page.evaluate(() => {
    window.location.hash = '#/appointments';
  });
  const firstScript = await page.evaluate(() =>
    document.querySelector('script[type="module"]')?.getAttribute('src'),
  );

  servedDir = await buildVersion('v3');
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    await registration?.update();
  });
  await page.getByText('A new version is ready.', { exact: true }).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Reload' }).click();
  await page.waitForFunction(
    (old) => document.querySelector('script[type="module"]')?.getAttribute('src') !== old,
    firstScript,
    { timeout: 30_000 },
  );
  // The new worker stored the new chunk at install, and drops the old one as it takes over.
  const after = await eventually(async () => {
    const kept = await qaChunk();
    return kept.length === 1 && kept;
  });
  expect(after).not.toEqual(before);
  expect((await cachedAssets(page)).kept.filter((f) => /\/kiosk-app-/.test(f))).toHaveLength(1);

  // The kiosk's database was there for the worker only: without a kiosk configuration beside it,
  // the app takes the device for a kiosk whose settings were cleared (kiosk-config-store.ts).
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase('consult-kiosk');
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error);
      }),
  );
  await context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.evaluate(() => {
    window.location.hash = '#/qa';
  });
  await page.getByRole('heading', { level: 2, name: 'Testing tools' }).waitFor();
});
