/**
 * Where the kiosk row's time goes: 100 devices drain at once (as `npm run bench -- kiosks`), while
 * this samples Postgres (pg_stat_activity every 100 ms: who runs, who waits, on what) and measures
 * how busy the main Node thread (gateway, auth stand-in; the devices run in their own processes) was. Ends with
 * Postgres's per-function timings (track_functions). A diagnostic, not part of `npm run bench`:
 * `npx tsx bench/kiosks-profile.ts [engine|engine-pulled|raw|raw-pull] [devices] [perDevice]`
 * (`engine-pulled`: the devices pulled at setup, as a kiosk at work has).
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { startBenchStack } from './bench-stack.ts';
import { kiosksRawPush, kiosksWithEngine } from './kiosks.ts';

const mode = process.argv[2] ?? 'engine';
const count = Number(process.argv[3] ?? 100);
const perDevice = Number(process.argv[4] ?? 50);

let sampling = true;
const bench = await startBenchStack();
const db = new pg.Client({ connectionString: bench.stack.dbUrl });
await db.connect();
try {
  await db.query(`alter system set track_functions = 'all'`);
  await db.query('select pg_reload_conf()');
  await db.query('select pg_stat_reset()');
  await bench.setLatency(100);
  const waits = new Map<string, number>();
  let samples = 0;
  const sampler = (async () => {
    const watcher = new pg.Client({ connectionString: bench.stack.dbUrl });
    watcher.on('error', () => {});
    await watcher.connect();
    while (sampling) {
      const { rows } = await watcher.query<{ what: string; n: string }>(
        `select coalesce(substring(query from 'sync_push|sync_pull'), 'other') || ' ' || state
                || coalesce(' / ' || wait_event_type || ':' || wait_event, '') as what, count(*) as n
         from pg_stat_activity
         where backend_type = 'client backend' and pid <> pg_backend_pid() and state <> 'idle'
         group by 1`,
      );
      for (const r of rows) waits.set(r.what, (waits.get(r.what) ?? 0) + Number(r.n));
      samples += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await watcher.end();
  })().catch((e: unknown) => console.error('sampler stopped:', e));
  const elu = performance.eventLoopUtilization();
  const run =
    mode === 'raw'
      ? await kiosksRawPush(bench, count, perDevice)
      : mode === 'raw-pull'
        ? await kiosksRawPush(bench, count, perDevice, true)
        : await kiosksWithEngine(bench, count, perDevice, {
            pulledFirst: mode === 'engine-pulled',
            transport: 'kiosk',
          });
  const busy = performance.eventLoopUtilization(elu);
  sampling = false;
  await sampler;
  console.table({ run });
  console.log(
    `main Node thread (gateway + auth stand-in) busy ${(busy.utilization * 100).toFixed(0)}% of ${(busy.idle + busy.active).toFixed(0)} ms`,
  );
  console.log(`pg_stat_activity, mean backends per 100 ms sample (${samples} samples):`);
  console.table(
    Object.fromEntries(
      [...waits.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, (n / samples).toFixed(2)]),
    ),
  );
  await db.query('select pg_stat_force_next_flush()');
  const stats = await db.query(
    `select funcname, calls, round(total_time::numeric) total_ms, round(self_time::numeric) self_ms
     from pg_stat_user_functions order by self_time desc limit 12`,
  );
  console.table(stats.rows);
} catch (e) {
  console.error(e);
} finally {
  sampling = false;
  await db.end();
  await bench.stop();
}
