/**
 * `npm run bench`: every row of issue 10's table, each with its ratio to a baseline measured in the
 * same run (or, for sizes, to its budget). Nothing here asserts: budgets are read, not enforced.
 * `npm run bench -- <row> [<row>…]` runs some rows; `sync`, `app` and `browser` name groups of rows.
 */
import { performance } from 'node:perf_hooks';
import type { BenchStack } from './bench-stack.ts';
import type { SaveBench } from './browser/save-latency.ts';
import type { ReopenTrace, SaveStorage } from './browser-budgets.ts';
import type { KioskRun } from './kiosks.ts';
import type { DrainMeasure } from './sync-drain.ts';

const LATENCY_MS = 100;
/** Rounds of the drain row's engine, straight, plain and local measures (each row its median). */
const DRAIN_RUNS = Number(process.env.DRAIN_RUNS ?? 5);
/**
 * How the kiosk row's devices call the server: `kiosk`, as the app's kiosk does (kiosk-transport.ts);
 * `app` (KIOSK_TRANSPORT=app), as every other device and kiosks before it: to measure the lever.
 */
const KIOSK_TRANSPORT = process.env.KIOSK_TRANSPORT === 'app' ? 'app' : 'kiosk';
/** The language the reopen row's phone is left in: `REOPEN_LANG=hi` for Hindi, else English. */
const REOPEN_LANG = process.env.REOPEN_LANG === 'hi' ? 'hi' : 'en';
/**
 * Saves per variant and outbox size. A save takes 1–3 ms, so on a shared machine a p95 over a few
 * hundred samples is a handful of preempted ones, and swung 0.8–2.4x between runs at 200; at 1,000
 * it is read from the 50 slowest.
 */
const SAVE_SAMPLES = 1000;
/** The kiosk's pause before its catch-up (kiosk-transport.ts); KIOSK_CATCH_UP_PAUSE=off, to measure it. */
const KIOSK_CATCH_UP_PAUSE = process.env.KIOSK_CATCH_UP_PAUSE !== 'off';
/** An experiment: cap each kiosk pull page at this many bytes (KIOSK_PULL_BYTES=65536). */
const KIOSK_PULL_BYTES = process.env.KIOSK_PULL_BYTES ? Number(process.env.KIOSK_PULL_BYTES) : undefined;
const GROUPS: Record<string, string[]> = {
  sync: ['first-sync', 'drain', 'drain-10k', 'kiosks'],
  app: ['first-screen', 'offline-download'],
  browser: ['save', 'reopen'],
};
const ROWS = Object.values(GROUPS).flat();
const asked = process.argv.slice(2).flatMap((a) => GROUPS[a] ?? [a]);
const unknown = asked.filter((r) => !ROWS.includes(r));
if (unknown.length > 0) {
  console.error(`unknown row ${unknown.join(', ')}; rows: ${ROWS.join(', ')}; groups: sync, app, browser`);
  process.exit(2);
}
const wants = (row: string): boolean => asked.length === 0 || asked.includes(row);

const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const kb = (bytes: number): string => (bytes / 1024).toFixed(1);
const x = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;
const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const drainRow = (m: DrainMeasure) => ({
  mutations: m.mutations,
  'wall time': fmtMs(m.ms),
  'round trips': m.roundTrips,
  'less added latency': fmtMs(m.ms - m.roundTrips * LATENCY_MS),
});

async function walkIns(bench: BenchStack, patients: number, caughtUp = false) {
  const { caughtUpStore, dexieStore, queueWalkIns } = await import('./sync-drain.ts');
  const store = caughtUp ? await caughtUpStore(bench) : dexieStore();
  return queueWalkIns(store, await bench.addSlots(patients * 4), patients, 4);
}

async function syncRows(): Promise<void> {
  if (['first-sync', 'drain', 'drain-10k'].some(wants)) await mainStackRows();
  if (wants('kiosks')) await kioskRow();
}

async function mainStackRows(): Promise<void> {
  const { startBenchStack } = await import('./bench-stack.ts');
  const { drainLocally, drainOneByOne, drainWithEngine, insertPlain, pushStraight } = await import(
    './sync-drain.ts'
  );
  const bench = await startBenchStack();
  try {
    if (wants('first-sync')) {
      // First, while the stack holds only the seed: what a patient's new phone downloads.
      const { measureFirstSync } = await import('./first-sync.ts');
      const first = await measureFirstSync(bench);
      console.log("\n## first-sync: a new phone's first sync (anonymous patient, seed data, no latency)\n");
      console.table({
        'first sync': {
          slots: `${first.slots} of ${first.slotsInDb}`,
          rows: first.rows,
          pages: first.pages,
          'largest page (rows)': first.largestPageRows,
          'largest page KB': kb(first.largestPageBytes),
          'raw KB': kb(first.rawBytes),
          'gzip KB': kb(first.gzipBytes),
          'raw vs 100 KB budget': x(first.rawBytes, 100 * 1024),
        },
        'same pages, slots as rows (before)': {
          slots: `${first.slots} of ${first.slotsInDb}`,
          rows: first.rows,
          pages: first.pages,
          'largest page (rows)': first.largestPageRows,
          'largest page KB': '',
          'raw KB': kb(first.rowsFormat.rawBytes),
          'gzip KB': kb(first.rowsFormat.gzipBytes),
          'raw vs 100 KB budget': x(first.rowsFormat.rawBytes, 100 * 1024),
        },
      });
      console.log(
        `runs vs rows: raw ${x(first.rawBytes, first.rowsFormat.rawBytes)}, gzip ${x(first.gzipBytes, first.rowsFormat.gzipBytes)}`,
      );
    }
    await bench.setLatency(LATENCY_MS);
    if (wants('drain')) {
      console.log(`\n## drain: 200 new patients + 800 appointments, ${LATENCY_MS} ms added per request\n`);
      // Every row is measured after a warm-up of its own kind in this process (the same size; the
      // one-by-one row 20 patients, 100 requests), none cold: compiled code, the client's connections
      // and the server's cached plans serve every row alike. The engine's device has pulled what the
      // server held before its walk-ins were queued, as a kiosk in use has: its page is what changed.
      // Then DRAIN_RUNS rounds take each row in turn, and each row shows its median: on a machine
      // shared with other work a slow moment then weighs on every row, not on one.
      const engine = async () => drainWithEngine(bench, await walkIns(bench, 200, true));
      const kinds = {
        engine,
        straight: async () => pushStraight(bench, await walkIns(bench, 200), 500),
        plain: async () => insertPlain(bench, await walkIns(bench, 200)),
        local: async () => drainLocally(await walkIns(bench, 200)),
      };
      const engineCold = await engine();
      for (const measure of Object.values(kinds).slice(1)) await measure();
      const runs: Record<keyof typeof kinds, DrainMeasure[]> = {
        engine: [],
        straight: [],
        plain: [],
        local: [],
      };
      for (let round = 0; round < DRAIN_RUNS; round++)
        for (const [kind, measure] of Object.entries(kinds) as [
          keyof typeof kinds,
          () => Promise<DrainMeasure>,
        ][])
          runs[kind].push(await measure());
      const mid = (ms: DrainMeasure[]): DrainMeasure => {
        const sorted = [...ms].sort((a, b) => a.ms - b.ms);
        const m = sorted[Math.floor(sorted.length / 2)];
        if (!m) throw new Error('no drain measured');
        return m;
      };
      const engine1k = mid(runs.engine);
      const [straight, plain, local] = [mid(runs.straight), mid(runs.plain), mid(runs.local)];
      await drainOneByOne(bench, await walkIns(bench, 20));
      const oneByOne = await drainOneByOne(bench, await walkIns(bench, 200));
      const spread = (ms: DrainMeasure[]) => ms.map((m) => fmtMs(m.ms)).join(', ');
      console.log(
        `runs: engine ${spread(runs.engine)}; straight ${spread(runs.straight)}; plain ${spread(runs.plain)}; local ${spread(runs.local)}`,
      );
      console.table({
        'engine (Dexie on fake-indexeddb, push + pull; warm, median)': drainRow(engine1k),
        'the same, its warm-up: the first drain in this process': drainRow(engineCold),
        "engine's local work alone (a server answering at once)": drainRow(local),
        'straight sync_push, 2 x 500, no engine': drainRow(straight),
        'plain inserts, one RPC (floor)': drainRow(plain),
        'one request per mutation (FIFO)': drainRow(oneByOne),
      });
      console.log(
        [
          `engine vs one request per mutation: ${x(oneByOne.ms, engine1k.ms)} faster (target >= 150x)`,
          `engine vs straight sync_push: ${x(engine1k.ms, straight.ms)} its time (target <= 1.2x)`,
          `straight sync_push vs plain inserts: ${x(straight.ms, plain.ms)} the floor's time`,
          `server side of the straight push, per 1,000 (less added latency): ${fmtMs(straight.ms - straight.roundTrips * LATENCY_MS)} (target <= 250 ms)`,
        ].join('\n'),
      );
    }
    if (wants('drain-10k')) {
      const { drain10kRows } = await import('./drain-10k.ts');
      await drain10kRows(bench, LATENCY_MS);
    }
  } finally {
    await bench.stop();
  }
}

/** On its own stack: every kiosk pulls every slot, so the other rows' slots would only weigh it down. */
async function kioskRow(): Promise<void> {
  const { startBenchStack } = await import('./bench-stack.ts');
  const { KIOSK_WORKERS, kiosksRawPush, kiosksWithEngine } = await import('./kiosks.ts');
  const { firstPullByKind } = await import('./kiosk-pulls.ts');
  const bench = await startBenchStack();
  try {
    await bench.setLatency(LATENCY_MS);
    console.log(`\n## kiosks: 100 devices of one clinic, 50 writes each at once, ${LATENCY_MS} ms latency\n`);
    // Each on the same database: the seed and its own 4,000 slots, nothing of another run.
    const raw = await kiosksRawPush(bench, 100, 50);
    await bench.clearWalkIns();
    const rawPull = await kiosksRawPush(bench, 100, 50, true);
    await bench.clearWalkIns();
    const busy = performance.eventLoopUtilization();
    const app = {
      transport: KIOSK_TRANSPORT,
      pullBytes: KIOSK_PULL_BYTES,
      catchUpPause: KIOSK_CATCH_UP_PAUSE,
    } as const;
    const fresh = await kiosksWithEngine(bench, 100, 50, { ...app, pulledFirst: false });
    const harness = performance.eventLoopUtilization(busy).utilization;
    await bench.clearWalkIns();
    const pulled = await kiosksWithEngine(bench, 100, 50, { ...app, pulledFirst: true });
    // What a kiosk set up now would pull: the run's patients and appointments are still there.
    const asKiosk = await firstPullByKind(bench, true);
    const asStaff = await firstPullByKind(bench, false);
    const row = (r: KioskRun) => ({
      writes: r.writes,
      'acked (outboxes empty)': fmtMs(r.ms),
      'writes/s': r.writesPerSecond.toFixed(0),
      '% of raw push': `${((r.writesPerSecond / raw.writesPerSecond) * 100).toFixed(0)}%`,
      'acked p50': fmtMs(r.deviceP50Ms),
      'first push sent, p50 / last':
        r.sentP50Ms === undefined ? '' : `${fmtMs(r.sentP50Ms)} / ${fmtMs(r.sentMaxMs ?? Number.NaN)}`,
      'caught up (all slots)': r.caughtUpMs === undefined ? '' : fmtMs(r.caughtUpMs),
      'caught up p50': r.caughtUpP50Ms === undefined ? '' : fmtMs(r.caughtUpP50Ms),
      'rows pulled per device': r.pulledRowsPerDevice?.toFixed(0) ?? '',
      'push / pull call, mean':
        r.meanPushMs === undefined ? '' : `${fmtMs(r.meanPushMs)} / ${fmtMs(r.meanPullMs ?? Number.NaN)}`,
      'failed, tried again': r.failedDrains
        ? Object.entries(r.failedDrains)
            .map(([kind, n]) => `${n} ${kind}`)
            .join(', ')
        : String(r.turnedAway ?? ''),
    });
    const engineLabel = `engine (${
      KIOSK_TRANSPORT === 'kiosk' ? "the app's kiosk transport" : 'page in push, full pulls'
    }${KIOSK_CATCH_UP_PAUSE ? '' : ', no pause before catch-up'}${KIOSK_PULL_BYTES ? `, pull pages of ${KIOSK_PULL_BYTES} B` : ''}, in-memory stores, ${KIOSK_WORKERS} niced processes)`;
    console.table({
      [`${engineLabel}: devices pulled at setup`]: row(pulled),
      [`${engineLabel}: devices new (first pull in the run)`]: row(fresh),
      'raw sync_push + raw first pull, no engine': row(rawPull),
      'raw sync_push, no engine': row(raw),
    });
    const perDevice = (r: KioskRun) =>
      Object.entries(r.pulledByTable ?? {})
        .map(([t, n]) => `${t} ${n.toFixed(0)}`)
        .join(', ');
    const pct = (a: KioskRun, b: KioskRun) =>
      `${((a.writesPerSecond / b.writesPerSecond) * 100).toFixed(0)}%`;
    const lost = (r: KioskRun) =>
      r.devicesShort
        ? `LOST: ${r.devicesShort} devices miss ${r.slotsMissing} slots and hold ${r.slotsStale} taken ones as free, in all`
        : 'nothing lost: every device holds every slot, each taken one marked taken';
    console.log(
      [
        `engine, devices pulled at setup: ${pct(pulled, raw)} of the raw push rate (target >= 50%), every write acknowledged in ${fmtMs(pulled.ms)}, every device caught up in ${fmtMs(pulled.caughtUpMs ?? Number.NaN)} (raw push + raw first pull: ${fmtMs(rawPull.caughtUpMs ?? Number.NaN)}); ${lost(pulled)}`,
        `engine, new devices: ${pct(fresh, raw)} of the raw push rate, caught up in ${fmtMs(fresh.caughtUpMs ?? Number.NaN)}; ${lost(fresh)}`,
        `rows each device pulled in the run, mean: pulled at setup ${perDevice(pulled)} (held ${pulled.rowsBeforePerDevice?.toFixed(0)} before); new ${perDevice(fresh)}`,
        // A pull stops below the oldest push still running, so how many rows a first pull carries
        // depends on when it ran.
        `raw push + raw first pull: ${pct(rawPull, raw)} of the raw push rate by acknowledgement; each device pulled ${rawPull.pulledRowsPerDevice?.toFixed(0)} rows`,
        `the devices' own work (parse, validate, store), new devices: ${fmtMs(fresh.deviceCpuMs ?? Number.NaN)} of CPU in all; the main Node thread (gateway, auth stand-in) was busy ${(harness * 100).toFixed(0)}% of that run`,
      ].join('\n'),
    );
    console.log(
      '\na full pull from nothing after the runs (a kiosk set up now), by table: as a kiosk pulls, and as any staff device:',
    );
    const kinds = [...new Set([...Object.keys(asStaff), ...Object.keys(asKiosk)])];
    console.table(
      Object.fromEntries(
        kinds.map((t) => {
          const k = asKiosk[t] ?? { rows: 0, bytes: 0 };
          const s = asStaff[t] ?? { rows: 0, bytes: 0 };
          return [
            t,
            { 'kiosk rows': k.rows, 'kiosk KB': kb(k.bytes), 'staff rows': s.rows, 'staff KB': kb(s.bytes) },
          ];
        }),
      ),
    );
  } finally {
    await bench.stop();
  }
}

async function appRows(): Promise<void> {
  const { measureFirstScreen } = await import('./first-screen-size.ts');
  const size = await measureFirstScreen();
  console.log('\n## first-screen, offline-download: the build, gzip\n');
  console.table({
    ...(wants('first-screen')
      ? {
          'first screen JS': {
            KB: kb(size.firstScreenGzipBytes),
            files: size.firstScreenFiles.length,
            'vs budget': `${x(size.firstScreenGzipBytes, 120 * 1024)} of 120 KB`,
          },
          'lazy chunks (on demand)': { KB: kb(size.lazyGzipBytes), files: size.lazyFiles, 'vs budget': '' },
        }
      : {}),
    ...(wants('offline-download')
      ? {
          'precache + service worker': {
            KB: kb(size.offlineGzipBytes),
            files: size.offlineFiles,
            'vs budget': `${x(size.offlineGzipBytes, 280 * 1024)} of 280 KB`,
          },
          'of which the service worker': { KB: kb(size.workerGzipBytes), files: 1, 'vs budget': '' },
        }
      : {}),
  });
}

/** Where the save bench's IndexedDB was, as a row's label says it. */
const STORAGE_LABEL = {
  disk: 'IndexedDB on disk (a profile folder, as a phone keeps it)',
  memory: "IndexedDB in memory (Playwright's default, off-the-record profile)",
} as const;

function printSaves(storage: SaveStorage, saves: SaveBench): void {
  console.log(
    `${STORAGE_LABEL[storage]}; timer step ${(saves.timerStepMs * 1000).toFixed(1)} µs ` +
      `(page ${saves.crossOriginIsolated ? '' : 'not '}cross-origin isolated):`,
  );
  console.table(
    Object.fromEntries(
      saves.runs.flatMap((s) => [
        [
          `app save, outbox holding ${s.backlog}`,
          { samples: s.samples, 'p50 (ms)': s.p50.toFixed(2), 'p95 (ms)': s.p95.toFixed(2) },
        ],
        [
          `2 store writes (2 transactions), outbox ${s.backlog}`,
          {
            samples: s.samples,
            'p50 (ms)': s.separate.p50.toFixed(2),
            'p95 (ms)': s.separate.p95.toFixed(2),
          },
        ],
        [
          `bare Dexie transaction, same rows, outbox ${s.backlog}`,
          { samples: s.samples, 'p50 (ms)': s.bare.p50.toFixed(2), 'p95 (ms)': s.bare.p95.toFixed(2) },
        ],
        [
          `IndexedDB's own transaction (no Dexie), same rows, outbox ${s.backlog}`,
          {
            samples: s.samples,
            'p50 (ms)': s.rawRows.p50.toFixed(2),
            'p95 (ms)': s.rawRows.p95.toFixed(2),
          },
        ],
        [
          `bare, the save's records (rows + outbox + seq), outbox ${s.backlog}`,
          {
            samples: s.samples,
            'p50 (ms)': s.bareRecords.p50.toFixed(2),
            'p95 (ms)': s.bareRecords.p95.toFixed(2),
          },
        ],
      ]),
    ),
  );
  for (const s of saves.runs)
    console.log(
      `${storage}, outbox ${s.backlog}: the app's save p95 is ${x(s.p95, s.bare.p95)} a bare transaction's (target <= 1.25x), p50 ${x(s.p50, s.bare.p50)}; ` +
        `against the bare write of its own records p95 ${x(s.p95, s.bareRecords.p95)}, p50 ${x(s.p50, s.bareRecords.p50)}; ` +
        `against IndexedDB's own transaction of the rows p95 ${x(s.p95, s.rawRows.p95)}, p50 ${x(s.p50, s.rawRows.p50)}`,
    );
  console.log(
    `${storage}: first save after the page loaded (cold code): ${saves.coldFirstSaveMs.toFixed(1)} ms\n`,
  );
}

async function browserRows(): Promise<void> {
  const { measureReopen, measureSaveLatency, withBrowser } = await import('./browser-budgets.ts');
  const { ensureChromium } = await import('../scripts/ensure-chromium.ts');
  ensureChromium();
  await withBrowser(async (browser) => {
    if (wants('save')) {
      console.log(
        '\n## save: a profile + an appointment in Chromium (rows and outbox entries, one transaction)\n',
      );
      for (const storage of ['disk', 'memory'] as const)
        printSaves(storage, await measureSaveLatency(browser, storage, [0, 1000], SAVE_SAMPLES));
    }
    if (wants('reopen')) {
      console.log(
        `\n## reopen: the installed app to its first screen painted, in ${REOPEN_LANG === 'hi' ? 'Hindi' : 'English'} (headless Chromium)\n`,
      );
      const reopen = await measureReopen(browser, 10, REOPEN_LANG);
      const shown = (trace: ReopenTrace[]) => trace.map((t) => t.screenShown);
      const row = (ms: number[], trace: ReopenTrace[]) => ({
        runs: ms.length,
        // What the user waits for: navigation start to the heading and navigation painted, on the
        // page's own clock (Navigation Timing's origin).
        'screen painted, median (ms)': median(shown(trace)).toFixed(0),
        'screen painted, max (ms)': Math.max(...shown(trace)).toFixed(0),
        // The page's own timeline, medians: where the time before the first paint went.
        'worker start': median(trace.map((t) => t.workerStart)).toFixed(0),
        'html in': median(trace.map((t) => t.htmlEnd)).toFixed(0),
        DOMContentLoaded: median(trace.map((t) => t.domContentLoaded)).toFixed(0),
        'first paint': median(trace.map((t) => t.firstContentfulPaint)).toFixed(0),
        // The test driver's wall time, its own round trips to the browser included: not the figure.
        'driver wall time, median (ms)': median(ms).toFixed(0),
      });
      console.table({
        'online (baseline)': row(reopen.onlineMs, reopen.onlineTrace),
        'offline, worker running': row(reopen.offlineMs, reopen.offlineTrace),
        'offline, worker stopped first': row(reopen.offlineColdMs, reopen.offlineColdTrace),
      });
      const online = median(shown(reopen.onlineTrace));
      console.log(
        `screen painted, median: offline with the worker running ${x(median(shown(reopen.offlineTrace)), online)}, ` +
          `with it stopped first ${x(median(shown(reopen.offlineColdTrace)), online)} the online reopen (target: < 400 ms)`,
      );
    }
  });
}

if (GROUPS.sync?.some(wants)) await syncRows();
if (GROUPS.app?.some(wants)) await appRows();
if (GROUPS.browser?.some(wants)) await browserRows();
