import pg from 'pg';
import { toWire } from '../sync/local-mutation.ts';
import { startBenchStack } from './bench-stack.ts';
import { queueWalkIns } from './sync-drain.ts';

const extraPatients = Number(process.env.PATIENTS ?? 0);
const explainMs = process.env.EXPLAIN;
const bench = await startBenchStack(2000);
try {
  const client = await bench.staffClient();
  const uid = (await client.auth.getUser()).data.user?.id;
  if (!uid) throw new Error('no staff user');
  const db = new pg.Client({ connectionString: bench.stack.dbUrl });
  await db.connect();
  if (extraPatients > 0) {
    await db.query(
      `insert into public.patients (id, registered_by, clinic_id, full_name, date_of_birth, sex, preferred_language)
       select gen_random_uuid(), $1, s.clinic_id, 'P ' || n, date '1980-01-01', 'female', 'hi'
       from public.staff s, generate_series(1, $2::int) n where s.user_id = $1`,
      [uid, extraPatients],
    );
    await db.query('analyze');
  }
  for (let round = 0; round < Number(process.env.ROUNDS ?? 1); round++) {
    const store = await queueWalkIns(bench.takeSlots(400), 100, 4);
    const clientId = await store.getClientId();
    const muts = (await store.listOutbox()).map((m) => toWire(m));
    await db.query(`select pg_stat_reset()`);
    await db.query(`set track_functions = 'all'`);
    if (explainMs) {
      await db.query(`load 'auto_explain'`);
      await db.query(`set auto_explain.log_min_duration = ${explainMs}`);
      await db.query(`set auto_explain.log_nested_statements = on`);
      await db.query(`set auto_explain.log_analyze = ${process.env.ANALYZE ?? 'on'}`);
      await db.query(`set auto_explain.log_level = 'notice'`);
      db.on('notice', (n) => console.log(n.message));
    }
    await db.query('begin');
    await db.query(`select set_config('request.jwt.claims', $1, true)`, [
      JSON.stringify({ sub: uid, role: 'authenticated' }),
    ]);
    await db.query('set local role authenticated');
    const t = performance.now();
    const r = await db.query('select public.sync_push($1, $2::json) as r', [clientId, JSON.stringify(muts)]);
    console.log(
      'sync_push',
      muts.length,
      (performance.now() - t).toFixed(0),
      'ms',
      JSON.stringify(r.rows[0]?.r).slice(0, 80),
    );
    const statuses: Record<string, number> = {};
    for (const x of r.rows[0]?.r as { status: string }[]) statuses[x.status] = (statuses[x.status] ?? 0) + 1;
    console.log(statuses);
    await db.query('commit');
    await db.query('select pg_stat_force_next_flush()');
    const stats = await db.query(
      `select funcname, calls, round(total_time::numeric,1) total, round(self_time::numeric,1) self from pg_stat_user_functions order by self_time desc limit 12`,
    );
    console.table(stats.rows);
  }
  await db.end();
} finally {
  await bench.stop();
}
