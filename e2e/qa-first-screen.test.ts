/**
 * A build with QA mode off (every build, until QA turns it on for a device) carries none of QA
 * mode's code on the first screen, and shows no banner. The first screen is what index.html loads:
 * the entry and the chunks it preloads; QA mode's chunks must exist, but only behind a lazy import.
 */
import { expect, it } from 'vitest';
import { openApp } from './app-driver.ts';
import { browserPerFile, e2e } from './browser.ts';

const { phone } = browserPerFile();

/**
 * Strings only QA mode's code holds: the fault layer, its settings, the banner, the sync log, the
 * copy of the settings for the service worker.
 */
const MARKERS = [
  'data-consult-qa',
  '2g-village',
  'data-qa-fault-banner',
  'consult-qa-sync-log',
  'consult-qa-mode',
];

async function text(path: string): Promise<string> {
  const res = await fetch(new URL(path, e2e().appUrl));
  expect(res.status, path).toBe(200);
  return res.text();
}

it('keeps QA mode out of the first screen: no code in the entry chunks, no banner', async () => {
  const html = await text('/');
  const firstScreen = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
  expect(firstScreen.length).toBeGreaterThan(0);
  const entry = await text(firstScreen[0] ?? '');
  for (const file of firstScreen) {
    const code = await text(file);
    for (const marker of MARKERS) expect(code.includes(marker), `${marker} in ${file}`).toBe(false);
  }
  // The markers do exist in the build, behind lazy imports the entry reaches: the check can fail.
  // (Through other chunks: a lazy chunk's own imports are not listed in the entry.)
  const reached = new Map<string, string>();
  const queue = [firstScreen[0] ?? ''];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (reached.has(file)) continue;
    const code = file === firstScreen[0] ? entry : await text(file);
    reached.set(file, code);
    for (const m of code.matchAll(/["'`](?:\.\/|\/?assets\/)([\w-]+\.js)["'`]/g))
      queue.push(`/assets/${m[1]}`);
  }
  const found = [...reached.keys()]
    .map((f) => f.match(/(qa-fault-fetch|qa-fault-banner|qa-sync-log|qa-fault-mirror)-[\w-]{8}\.js$/))
    .filter((m) => m !== null);
  expect(new Set(found.map((m) => m[1]))).toEqual(
    new Set(['qa-fault-fetch', 'qa-fault-banner', 'qa-sync-log', 'qa-fault-mirror']),
  );
  const lazy = found.map((m) => m[0]);
  const lazyCode = (await Promise.all(lazy.map((f) => text(`/assets/${f}`)))).join('\n');
  expect(lazyCode).toContain('data-consult-qa');
  expect(lazyCode).toContain('data-qa-fault-banner');
  expect(lazyCode).toContain('consult-qa-mode');

  const page = await openApp(await phone());
  await page.getByRole('heading', { level: 2 }).first().waitFor();
  await expect(page.locator('[data-qa-fault-banner]').count()).resolves.toBe(0);
  await expect(page.getByRole('alert', { name: 'QA mode' }).count()).resolves.toBe(0);
});
