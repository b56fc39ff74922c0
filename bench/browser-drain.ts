/**
 * The drain where the app runs it: the engine and the Dexie store bundled for a page of Debian's
 * Chromium, on real IndexedDB (held by the browser process; in memory: Playwright's contexts are
 * off the record, so Chromium keeps their IndexedDB out of the profile's files), pushing to the bench
 * stack through supabase-js. Memory is read from Linux for the page's renderer process (peak RSS
 * over the drain, VmHWM after resetting it at the drain's start) and from V8 through CDP (the JS
 * heap, sampled), and for the browser process, where Chromium runs IndexedDB (its storage service
 * process showed no CPU time over a drain: it does not hold this database).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import type { Browser, CDPSession } from 'playwright-core';
import { type BenchPage, serveBenchPage } from './bench-page.ts';
import type { BenchStack } from './bench-stack.ts';
import type { DrainRequest, PageDrain, SeedRequest } from './browser/drain.ts';

export interface ProcessMemory {
  /** RSS when the drain started, MB, and the anonymous part of it (what is not mapped code). */
  startRssMb: number;
  startAnonMb: number;
  /** Highest RSS during the drain (VmHWM, reset at its start), MB. */
  peakRssMb: number;
}

export interface BrowserDrainMeasure {
  mutations: number;
  ms: number;
  roundTrips: number;
  /** The page's renderer process: the engine, its plans and answers, Dexie, the JS heap. */
  page: ProcessMemory;
  /** The page's JS heap (V8's used size) when the drain started and after it ended, each after a collection, MB. */
  heapStartMb: number;
  heapEndMb: number;
  /** The page's heaps and RSS by kind, the highest sampled during the drain. */
  pagePeaks: PagePeaks;
  /**
   * Chromium's browser process: where IndexedDB (the queued database, its LevelDB caches) lives,
   * with everything else the browser keeps (profile, network state, the tab's bookkeeping).
   */
  browser: ProcessMemory;
  /**
   * CPU seconds over the drain of the page's renderer and of the browser process (IndexedDB's
   * work): with the wall time, where the drain waited.
   */
  pageCpuS: number;
  browserCpuS: number;
}

/** Something observed over the drain alone through the page's CDP session (a profiler). */
export interface DrainProbe {
  start(cdp: CDPSession, browser: Browser): Promise<void>;
  stop(cdp: CDPSession): Promise<void>;
}

/** Builds `browser/drain.html` (the engine bundled for the page) and serves it on a free port. */
export function serveDrainPage(readable = false): Promise<BenchPage> {
  return serveBenchPage('drain.html', { readable });
}

interface ChromiumProcess {
  type: string;
  id: number;
  cpuTime: number;
}

async function processes(browser: Browser): Promise<ChromiumProcess[]> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
      processInfo: ChromiumProcess[];
    };
    return processInfo;
  } finally {
    await cdp.detach();
  }
}

/** A field of /proc/<pid>/status, in MB (the kernel writes it in kB). */
async function statusMb(pid: number, field: string): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
  if (kb === undefined) throw new Error(`no ${field} for process ${pid}`);
  return Number(kb) / 1024;
}

/** Resets the process's peak RSS to its current RSS (Linux `clear_refs` 5), so VmHWM covers what follows. */
async function resetPeak(pid: number): Promise<number> {
  await fs.writeFile(`/proc/${pid}/clear_refs`, '5');
  return statusMb(pid, 'VmRSS');
}

interface HeapUsage {
  usedSize: number;
  totalSize: number;
  /** Blink's own garbage-collected heap (Oilpan): DOM, IndexedDB requests, fetch bodies. */
  embedderHeapUsedSize: number;
  /** ArrayBuffers' backing stores. */
  backingStorageSize: number;
}

/** The highest of each figure sampled during the drain, MB. */
export interface PagePeaks {
  /** V8's JS heap in use, and committed. */
  heapUsedMb: number;
  heapTotalMb: number;
  blinkHeapMb: number;
  arrayBuffersMb: number;
  /** The renderer's RSS by kind (/proc status): anonymous (malloc, heaps), file-backed (code), shared memory. */
  rssAnonMb: number;
  rssFileMb: number;
  rssShmemMb: number;
}

interface Samples {
  heap: Pick<PagePeaks, 'heapUsedMb' | 'heapTotalMb' | 'blinkHeapMb' | 'arrayBuffersMb'>;
  /** By renderer process id. */
  rss: Map<number, Pick<PagePeaks, 'rssAnonMb' | 'rssFileMb' | 'rssShmemMb'>>;
}

const RSS_KINDS = { rssAnonMb: 'RssAnon', rssFileMb: 'RssFile', rssShmemMb: 'RssShmem' } as const;

/**
 * Samples the page's heaps through CDP and each candidate renderer's RSS by kind from /proc, until
 * stopped; one round in flight at a time. Which renderer is the page's is only known afterwards.
 */
function memorySampler(cdp: CDPSession, renderers: readonly number[]): { stop(): Promise<Samples> } {
  const heap: Samples['heap'] = { heapUsedMb: 0, heapTotalMb: 0, blinkHeapMb: 0, arrayBuffersMb: 0 };
  const rss: Samples['rss'] = new Map(
    renderers.map((pid) => [pid, { rssAnonMb: 0, rssFileMb: 0, rssShmemMb: 0 }]),
  );
  let running = true;
  const max = <K extends string>(into: Record<K, number>, key: K, value: number) => {
    into[key] = Math.max(into[key], value);
  };
  const loop = (async () => {
    while (running) {
      const h = (await cdp.send('Runtime.getHeapUsage')) as HeapUsage;
      max(heap, 'heapUsedMb', h.usedSize / 2 ** 20);
      max(heap, 'heapTotalMb', h.totalSize / 2 ** 20);
      max(heap, 'blinkHeapMb', h.embedderHeapUsedSize / 2 ** 20);
      max(heap, 'arrayBuffersMb', h.backingStorageSize / 2 ** 20);
      for (const [pid, peaks] of rss)
        for (const [key, field] of Object.entries(RSS_KINDS) as [keyof typeof RSS_KINDS, string][])
          max(peaks, key, await statusMb(pid, field).catch(() => 0));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    stop: async (): Promise<Samples> => {
      running = false;
      await loop;
      return { heap, rss };
    },
  };
}

/** The renderer that did the drain's work: the most CPU time over it. */
function busiest(before: readonly ChromiumProcess[], after: readonly ChromiumProcess[]): number {
  const cpuBefore = new Map(before.map((p) => [p.id, p.cpuTime]));
  const grew = (p: ChromiumProcess) => p.cpuTime - (cpuBefore.get(p.id) ?? p.cpuTime);
  const pid = after.filter((p) => cpuBefore.has(p.id)).sort((a, b) => grew(b) - grew(a))[0]?.id;
  if (pid === undefined) throw new Error("the page's renderer process was not found");
  return pid;
}

/**
 * Queues `patients` walk-ins (4 appointments each) in one page, then drains them from a fresh page
 * of the same profile: the draining renderer holds the drain, not the seeding's garbage. The JS heap
 * is collected before the clock starts.
 */
export async function drainInChromium(
  browser: Browser,
  pageUrl: string,
  bench: BenchStack,
  patients: number,
  engine?: DrainRequest['engine'],
  probe?: DrainProbe,
): Promise<BrowserDrainMeasure> {
  const context = await browser.newContext();
  try {
    const db = `consult-bench-drain-${randomUUID()}`;
    const seeder = await context.newPage();
    await seeder.goto(pageUrl);
    const seed: SeedRequest = { db, slots: await bench.addSlots(patients * 4), patients, perPatient: 4 };
    await seeder.evaluate((s) => window.seedDrain(s), seed);
    await seeder.close();

    const page = await context.newPage();
    await page.goto(pageUrl);
    const login: DrainRequest = {
      db,
      url: bench.stack.url,
      anonKey: bench.stack.anonKey,
      ...bench.staffLogin,
      ...(engine ? { engine } : {}),
    };
    const mutations = await page.evaluate((r) => window.prepareDrain(r), login);
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heapStartMb = ((await cdp.send('Runtime.getHeapUsage')) as HeapUsage).usedSize / 2 ** 20;

    const before = await processes(browser);
    const browserPid = before.find((p) => p.type === 'browser')?.id;
    if (browserPid === undefined) throw new Error('no browser process in SystemInfo.getProcessInfo');
    const renderers = before.filter((p) => p.type === 'renderer');
    const startRss = new Map<number, number>();
    const startAnon = new Map<number, number>();
    for (const p of [...renderers, { id: browserPid }]) {
      startRss.set(p.id, await resetPeak(p.id));
      startAnon.set(p.id, await statusMb(p.id, 'RssAnon'));
    }

    await bench.resetStats();
    const sampler = memorySampler(
      cdp,
      renderers.map((p) => p.id),
    );
    let drained: PageDrain;
    let samples: Samples;
    await probe?.start(cdp, browser);
    try {
      drained = await page.evaluate(() => window.runDrain());
    } finally {
      samples = await sampler.stop();
      await probe?.stop(cdp);
    }
    const after = await processes(browser);
    const pagePid = busiest(renderers, after);
    const cpu = (pid: number) =>
      (after.find((p) => p.id === pid)?.cpuTime ?? Number.NaN) -
      (before.find((p) => p.id === pid)?.cpuTime ?? Number.NaN);
    const rss = samples.rss.get(pagePid);
    if (!rss) throw new Error('the page renderer was not sampled');
    const roundTrips = await bench.restRequests();
    if (drained.mutations !== mutations || mutations !== patients * 5)
      throw new Error(`queued ${mutations}, drained ${drained.mutations}, expected ${patients * 5}`);
    const memory = async (pid: number): Promise<ProcessMemory> => ({
      startRssMb: startRss.get(pid) ?? Number.NaN,
      startAnonMb: startAnon.get(pid) ?? Number.NaN,
      peakRssMb: await statusMb(pid, 'VmHWM'),
    });
    const pageMemory = await memory(pagePid);
    const browserMemory = await memory(browserPid);
    // After the peaks are read: what the page still holds with the engine and store alive.
    await cdp.send('HeapProfiler.collectGarbage');
    const heapEndMb = ((await cdp.send('Runtime.getHeapUsage')) as HeapUsage).usedSize / 2 ** 20;
    return {
      mutations,
      ms: drained.ms,
      roundTrips,
      page: pageMemory,
      heapStartMb,
      heapEndMb,
      pagePeaks: { ...samples.heap, ...rss },
      browser: browserMemory,
      pageCpuS: cpu(pagePid),
      browserCpuS: cpu(browserPid),
    };
  } finally {
    await context.close();
  }
}
