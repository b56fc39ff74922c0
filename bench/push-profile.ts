/**
 * Where sync_push spends its time: one batch of 500 walk-in mutations (100 patients, 400
 * appointments) pushed as kiosk staff, then Postgres's per-function timings (track_functions).
 * `npx tsx bench/push-profile.ts` — a diagnostic for SQL work, not part of `npm run bench`.
 */
import pg from 'pg';
import { toWire } from '../sync/local-mutation.ts';
import { startBenchStack } from './bench-stack.ts';
import { queueWalkIns } from './sync-drain.ts';

const bench = await startBenchStack(2000);
try {
  const store = await queueWalkIns(bench.takeSlots(800), 100, 4);
  const clientId = await store.getClientId();
  const muts = (await store.listOutbox()).map((m) => toWire(m));
  const client = await bench.staffClient();
  const uid = (await client.auth.getUser()).data.user?.id;
  if (!uid) throw new Error('no staff user');
  const db = new pg.Client({ connectionString: bench.stack.dbUrl });
  await db.connect();
  await db.query(`set track_functions = 'all'`);
  await db.query('begin');
  await db.query(`select set_config('request.jwt.claims', $1, true)`, [
    JSON.stringify({ sub: uid, role: 'authenticated' }),
  ]);
  await db.query('set local role authenticated');
  const t = performance.now();
  // sync_push takes the whole request body as one json argument, as PostgREST passes it.
  const body = JSON.stringify({ client_id: clientId, mutations: muts });
  const r = await db.query('select public.sync_push($1::json) as r', [body]);
  console.log(
    'sync_push',
    muts.length,
    (performance.now() - t).toFixed(0),
    'ms',
    JSON.stringify(r.rows[0]?.r).slice(0, 100),
  );
  await db.query('commit');
  await db.query('select pg_stat_force_next_flush()');
  const stats = await db.query(
    `select funcname, calls, round(total_time::numeric,1) total, round(self_time::numeric,1) self from pg_stat_user_functions order by self_time desc limit 15`,
  );
  console.table(stats.rows);
  await db.end();
} finally {
  await bench.stop();
}
