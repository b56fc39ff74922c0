/**
 * `npm run bench`: every benchmark, each printing its numbers and, where there is one, the ratio to
 * a baseline measured in the same run. Nothing here asserts: budgets are read, not enforced.
 * `npm run bench -- sync`, `-- app` or `-- browser` runs one group.
 */

const LATENCY_MS = 100;
const groups = process.argv.slice(2);
const wants = (group: string): boolean => groups.length === 0 || groups.includes(group);

const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);

async function syncBench(): Promise<void> {
  const { startBenchStack } = await import('./bench-stack.ts');
  const { drainOneByOne, drainWithEngine, queueWalkIns } = await import('./sync-drain.ts');
  console.log(`\n## Sync drain: 200 new patients + 800 appointments, ${LATENCY_MS} ms added per request\n`);
  const bench = await startBenchStack(800 * 2 + 8000);
  try {
    await bench.setLatency(LATENCY_MS);
    const engine = await drainWithEngine(bench, await queueWalkIns(bench.takeSlots(800), 200, 4));
    const baseline = await drainOneByOne(bench, await queueWalkIns(bench.takeSlots(800), 200, 4));
    console.table({
      engine: {
        mutations: engine.mutations,
        'wall time': fmtMs(engine.ms),
        'round trips': engine.roundTrips,
      },
      'baseline (FIFO, 1 request each)': {
        mutations: baseline.mutations,
        'wall time': fmtMs(baseline.ms),
        'round trips': baseline.roundTrips,
      },
    });
    console.log(
      `engine is ${(baseline.ms / engine.ms).toFixed(1)}x faster, with ${engine.roundTrips} round trips against ${baseline.roundTrips} (target: at most 10 round trips, at least 50x)`,
    );

    console.log(
      `\n## Sync drain: 10,000 mutations (2,000 patients + 8,000 appointments), ${LATENCY_MS} ms latency\n`,
    );
    const large = await drainWithEngine(bench, await queueWalkIns(bench.takeSlots(8000), 2000, 4), true);
    console.table({
      engine: {
        mutations: large.mutations,
        'wall time': fmtMs(large.ms),
        'round trips': large.roundTrips,
        'peak RSS (MB)': large.peakRssMb?.toFixed(0),
        'peak heap (MB)': large.peakHeapMb?.toFixed(0),
      },
    });
  } finally {
    await bench.stop();
  }
}

async function appBench(): Promise<void> {
  const { measureFirstScreen } = await import('./first-screen-size.ts');
  console.log('\n## App budgets\n');
  const size = await measureFirstScreen();
  console.table({
    'first screen JS (gzip)': {
      KB: (size.firstScreenGzipBytes / 1024).toFixed(1),
      budget: '200 KB',
      files: size.firstScreenFiles.length,
    },
    'lazy chunks (gzip)': {
      KB: (size.lazyGzipBytes / 1024).toFixed(1),
      budget: 'on demand',
      files: size.lazyFiles,
    },
  });
}

const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function browserBench(): Promise<void> {
  const { measureReopen, measureSaveLatency, withBrowser } = await import('./browser-budgets.ts');
  const { ensureChromium } = await import('../scripts/ensure-chromium.ts');
  ensureChromium();
  await withBrowser(async (browser) => {
    console.log('\n## Save a profile + an appointment in Chromium (2 Dexie writes with outbox entries)\n');
    const saves = await measureSaveLatency(browser, [0, 1000], 200);
    console.table(
      Object.fromEntries(
        saves.runs.map((s) => [
          `outbox already holding ${s.backlog}`,
          {
            samples: s.samples,
            'p50 (ms)': s.p50.toFixed(2),
            'p95 (ms)': s.p95.toFixed(2),
            'max (ms)': s.max.toFixed(2),
            budget: 'p95 < 10 ms',
          },
        ]),
      ),
    );
    console.log(
      `first save after the page loaded (cold code, database opening): ${saves.coldFirstSaveMs.toFixed(1)} ms`,
    );
    console.log('\n## Reopen the installed app to an interactive first screen (headless Chromium)\n');
    const reopen = await measureReopen(browser, 10);
    console.table({
      online: {
        runs: reopen.onlineMs.length,
        'median (ms)': median(reopen.onlineMs).toFixed(0),
        'max (ms)': Math.max(...reopen.onlineMs).toFixed(0),
      },
      offline: {
        runs: reopen.offlineMs.length,
        'median (ms)': median(reopen.offlineMs).toFixed(0),
        'max (ms)': Math.max(...reopen.offlineMs).toFixed(0),
      },
    });
    console.log(
      `offline reopen takes ${(median(reopen.offlineMs) / median(reopen.onlineMs)).toFixed(2)}x the online reopen`,
    );
  });
}

if (wants('sync')) await syncBench();
if (wants('app')) await appBench();
if (wants('browser')) await browserBench();

export {};
