/**
 * `npm run bench`: every benchmark, each printing its numbers and, where there is one, the ratio to
 * a baseline measured in the same run. Nothing here asserts: budgets are read, not enforced.
 * `npm run bench -- sync` or `-- app` runs one group.
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

if (wants('sync')) await syncBench();
if (wants('app')) await appBench();

export {};
