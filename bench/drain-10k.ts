/**
 * Row `drain-10k` of `npm run bench`: 2,000 walk-ins (10,000 writes) drained end to end, against
 * the 1,000 drain in the same run, in the two places the engine can run here:
 * - in Chromium, as the app runs it (`browser-drain.ts`): the figure is the page's renderer peak
 *   RSS, with the database in the browser process's IndexedDB (in memory: an off-the-record context);
 * - in Node on fake-indexeddb, each drain in a Node process of its own (`drain-node.ts`), where the
 *   database itself is held in that process's heap: its RSS is broken down into what the process
 *   held before queueing, what the queued database holds, and what the drain added.
 *
 * To look into one figure: `DRAIN_10K_MODES=desktop` (or `low-end`) runs only that Chromium mode
 * and no Node row; `DRAIN_10K_PROFILE=heap` (or `cpu`) adds a profile of each Chromium drain of
 * 10,000 (see drain-profile.ts), of an unminified page: the wall times are then not the figures.
 */
import type { Browser } from 'playwright-core';
import type { BenchStack } from './bench-stack.ts';
import type { BrowserDrainMeasure } from './browser-drain.ts';
import type { ChildResult } from './drain-node.ts';
import type { ProfileKind } from './drain-profile.ts';

const PATIENTS = 2000;
const BASELINE_PATIENTS = 200;

const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const x = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;
const mbText = (n: number | undefined): string => (n === undefined ? '' : n.toFixed(0));

function timing(m: { mutations: number; ms: number; roundTrips: number }, latencyMs: number) {
  return {
    mutations: m.mutations,
    'wall time': fmtMs(m.ms),
    'round trips': m.roundTrips,
    'less added latency': fmtMs(m.ms - m.roundTrips * latencyMs),
  };
}

/**
 * Chromium as this machine runs it (a desktop's memory: V8 and Blink let garbage build up before
 * collecting) and in its low-end device mode, as Chrome runs on low-memory Android phones (the
 * phones this app is for): smaller heaps, collected sooner.
 */
const CHROMIUM_MODES = [
  { name: 'desktop', label: 'desktop', args: [] },
  { name: 'low-end', label: 'low-end device mode', args: ['--enable-low-end-device-mode'] },
] as const;

const ONLY_MODES = process.env.DRAIN_10K_MODES?.split(',');
const PROFILE = ((): ProfileKind | undefined => {
  const kind = process.env.DRAIN_10K_PROFILE;
  if (kind === undefined || kind === 'heap' || kind === 'cpu' || kind === 'memory') return kind;
  throw new Error(`DRAIN_10K_PROFILE is heap, cpu or memory, not ${kind}`);
})();

const memoryColumns = (m: BrowserDrainMeasure) => ({
  'CPU s: page / browser process': `${m.pageCpuS.toFixed(1)} / ${m.browserCpuS.toFixed(1)}`,
  'page peak RSS (MB)': mbText(m.page.peakRssMb),
  'page RSS at start (MB)': `${mbText(m.page.startRssMb)} (anon ${mbText(m.page.startAnonMb)})`,
  'page RSS peaks: anon / file / shmem (MB)': [
    m.pagePeaks.rssAnonMb,
    m.pagePeaks.rssFileMb,
    m.pagePeaks.rssShmemMb,
  ]
    .map(mbText)
    .join(' / '),
  'JS heap peak used / committed (MB)': `${mbText(m.pagePeaks.heapUsedMb)} / ${mbText(m.pagePeaks.heapTotalMb)}`,
  'JS heap start / end, collected (MB)': `${mbText(m.heapStartMb)} / ${mbText(m.heapEndMb)}`,
  'Blink heap peak (MB)': mbText(m.pagePeaks.blinkHeapMb),
  'browser process peak / start (MB)': `${mbText(m.browser.peakRssMb)} / ${mbText(m.browser.startRssMb)}`,
});

function chromiumSummary(label: string, small: BrowserDrainMeasure, large: BrowserDrainMeasure): string {
  const peaks = large.pagePeaks;
  return [
    `${label}: 10,000 take ${x(large.ms, small.ms)} the 1,000 drain (target <= 10.5x); the page's peak RSS is ${mbText(large.page.peakRssMb)} MB (target < 200 MB; ${mbText(small.page.peakRssMb)} MB for the 1,000), ${mbText(large.page.peakRssMb - large.page.startRssMb)} MB over its RSS at the start`,
    `  of it, sampled at their peaks: ${mbText(peaks.rssFileMb)} MB file-backed (Chromium's own code, in every page) and ${mbText(peaks.rssAnonMb + peaks.rssShmemMb)} MB the page's own (anonymous and shared; ${mbText(large.page.startAnonMb)} MB at the start); its JS heap peaked at ${mbText(peaks.heapUsedMb)} MB used, garbage included`,
  ].join('\n');
}

async function chromiumRows(bench: BenchStack, latencyMs: number): Promise<void> {
  // Imported here, after the Node rows: Vite and playwright-core add about 100 MB to this process.
  const { ensureChromium } = await import('../scripts/ensure-chromium.ts');
  const { launchBrowser } = await import('../e2e/browser.ts');
  const { drainInChromium, serveDrainPage } = await import('./browser-drain.ts');
  const { profileProbe } = await import('./drain-profile.ts');
  ensureChromium();
  const pages = await serveDrainPage(PROFILE !== undefined);
  const rows: Record<string, object> = {};
  const summaries: string[] = [];
  try {
    for (const mode of CHROMIUM_MODES.filter((m) => !ONLY_MODES || ONLY_MODES.includes(m.name))) {
      let browser: Browser | undefined;
      try {
        browser = await launchBrowser(mode.args);
        // Each device starts from an empty clinic: its first pull then carries its own rows only.
        await bench.clearWalkIns();
        const small = await drainInChromium(browser, pages.url, bench, BASELINE_PATIENTS);
        await bench.clearWalkIns();
        const probe = PROFILE ? profileProbe(PROFILE, `Chromium ${mode.label}, 10,000`) : undefined;
        const large = await drainInChromium(browser, pages.url, bench, PATIENTS, undefined, probe);
        rows[`Chromium ${mode.label}, 10,000`] = { ...timing(large, latencyMs), ...memoryColumns(large) };
        rows[`Chromium ${mode.label}, 1,000 (baseline)`] = {
          ...timing(small, latencyMs),
          ...memoryColumns(small),
        };
        summaries.push(chromiumSummary(`Chromium ${mode.label}`, small, large));
      } finally {
        await browser?.close();
      }
    }
  } finally {
    await pages.stop();
  }
  console.log(
    '\nIn Chromium, as the app runs: the engine and Dexie bundled for a page, real IndexedDB (run by the\n' +
      "browser process; in memory, as Playwright's contexts are off the record). The page's peak RSS\n" +
      "is its renderer process over the drain (Linux VmHWM, reset at the drain's start): the engine,\n" +
      'its plans and answers, Dexie, supabase-js, the\n' +
      "page itself, and Chromium's code mapped into it. The heaps are sampled through CDP; the JS heap\n" +
      'is collected before the clock and again after the drain (engine and store alive). The browser\n' +
      'process holds IndexedDB and all the rest of the browser: shown, not part of the figure.\n',
  );
  console.table(rows);
  console.log(summaries.join('\n'));
}

async function nodeRows(bench: BenchStack, latencyMs: number): Promise<void> {
  const { drainInNodeProcess } = await import('./drain-node.ts');
  const small = await drainInNodeProcess(bench, BASELINE_PATIENTS);
  const large = await drainInNodeProcess(bench, PATIENTS);
  const { drain } = large;
  const database = (drain.startHeapMb ?? Number.NaN) - large.beforeHeapMb;
  console.log(
    '\nIn Node, on fake-indexeddb, each drain in a process of its own (bench/drain-node-child.ts), after a\n' +
      "warm-up drain: the database is a JS object graph in that process, so its RSS holds Node's own (and\n" +
      "tsx's), the queued database, and the drain. Each is measured after a full collection.\n",
  );
  const row = (m: ChildResult) => ({
    ...timing(m.drain, latencyMs),
    'peak RSS (MB)': mbText(m.drain.peakRssMb),
    'RSS before queueing / at start (MB)': `${mbText(m.beforeRssMb)} / ${mbText(m.drain.startRssMb)}`,
    'heap peak / start (MB)': `${mbText(m.drain.peakHeapMb)} / ${mbText(m.drain.startHeapMb)}`,
  });
  console.table({
    [`Node, fake-indexeddb, ${drain.mutations.toLocaleString('en')}`]: row(large),
    [`Node, fake-indexeddb, ${small.drain.mutations.toLocaleString('en')} (baseline)`]: row(small),
  });
  console.log(
    [
      `in Node, 10,000 take ${x(drain.ms, small.drain.ms)} the 1,000 drain (target <= 10.5x)`,
      `RSS before queueing: ${mbText(large.beforeRssMb)} MB (heap in use ${mbText(large.beforeHeapMb)} MB)`,
      `the queued database (fake-indexeddb's copy and Dexie's), live heap after a collection: ${mbText(database)} MB; RSS at the drain's start ${mbText(drain.startRssMb)} MB`,
      `the drain added ${mbText((drain.peakRssMb ?? 0) - (drain.startRssMb ?? 0))} MB of RSS (peak ${mbText(drain.peakRssMb)} MB) and ${mbText((drain.peakHeapMb ?? 0) - (drain.startHeapMb ?? 0))} MB of heap, garbage included`,
    ].join('\n'),
  );
}

/** Prints the row: in Node (each drain in a process of its own), then in Chromium. */
export async function drain10kRows(bench: BenchStack, latencyMs: number): Promise<void> {
  console.log(`\n## drain-10k: 2,000 patients + 8,000 appointments, ${latencyMs} ms added per request`);
  if (ONLY_MODES) return chromiumRows(bench, latencyMs);
  // Node first: the Chromium rows build the page with Vite in this process.
  await nodeRows(bench, latencyMs);
  await chromiumRows(bench, latencyMs);
}
