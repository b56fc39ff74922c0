/**
 * Kiosk mode's strings are not on a phone's first screen (the entry and the chunks index.html
 * preloads) nor in what it downloads to work offline: only the kiosk's own chunks carry them
 * (src/features/kiosk/kiosk-i18n.ts), and those are not precached.
 */
import { expect, it } from 'vitest';
import { kioskEn } from '../src/i18n/messages-kiosk-en.ts';
import { kioskHi } from '../src/i18n/messages-kiosk-hi.ts';
import { e2e } from './browser.ts';

/** Strings only the kiosk catalogue holds, one per language. */
const MARKERS = [kioskEn['kiosk.setup.intro'], kioskHi['kiosk.setup.intro']].map(String);

async function text(path: string): Promise<string> {
  const res = await fetch(new URL(path, e2e().appUrl));
  expect(res.status, path).toBe(200);
  return res.text();
}

it("keeps the kiosk's strings off the first screen and out of the precache, in the kiosk's chunks", async () => {
  const html = await text('/');
  const firstScreen = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '');
  expect(firstScreen.length).toBeGreaterThan(0);
  for (const file of firstScreen) {
    const code = await text(file);
    for (const marker of MARKERS) expect(code.includes(marker), `${marker} in ${file}`).toBe(false);
  }
  // The worker's precache manifest names every file a phone downloads to work offline.
  const worker = await text('/sw.js');
  const precached = [...new Set([...worker.matchAll(/"url":"([^"]+\.js)"/g)].map((m) => `/${m[1] ?? ''}`))];
  expect(precached.length).toBeGreaterThan(firstScreen.length);
  const offline = (await Promise.all(precached.map(text))).join('\n');
  for (const marker of MARKERS) expect(offline.includes(marker), marker).toBe(false);
  // They are in the build, in the kiosk group the worker keeps once a tablet uses it: the check can fail.
  // (scripts/sw-optional-chunks.ts writes each group as a list of URLs: `kiosk: ['/assets/…', …]`.)
  const group = worker.match(/kiosk:\[([^\]]*)\]/)?.[1] ?? '';
  const kioskFiles = [...group.matchAll(/(\/assets\/[\w-]+\.js)/g)].map((m) => m[1] ?? '');
  expect(kioskFiles.length).toBeGreaterThan(0);
  const kioskCode = (await Promise.all(kioskFiles.map(text))).join('\n');
  for (const marker of MARKERS) expect(kioskCode.includes(marker), marker).toBe(true);
});
