import pg from 'pg';
import { toWire } from '../sync/local-mutation.ts';
import { startBenchStack } from './bench-stack.ts';
import { queueWalkIns } from './sync-drain.ts';

const bench = await startBenchStack(2000);
try {
  const client = await bench.staffClient();
  const uid = (await client.auth.getUser()).data.user?.id;
  if (!uid) throw new Error('no staff user');
  const db = new pg.Client({ connectionString: bench.stack.dbUrl });
  await db.connect();
  await db.query(
    `insert into public.patients (id, registered_by, clinic_id, full_name, date_of_birth, sex, preferred_language)
     select gen_random_uuid(), $1, s.clinic_id, 'P ' || n, date '1980-01-01', 'female', 'hi'
     from public.staff s, generate_series(1, 5000) n where s.user_id = $1`,
    [uid],
  );
  const store = await queueWalkIns(bench.takeSlots(1600), 400, 4);
  const clientId = await store.getClientId();
  const muts = (await store.listOutbox()).map((m) => toWire(m));
  for (let i = 0; i < muts.length; i += 500) {
    const { error } = await client.rpc('sync_push', {
      client_id: clientId,
      mutations: muts.slice(i, i + 500),
    });
    if (error) throw new Error(error.message);
  }
  await db.query('analyze');
  await db.query('begin');
  await db.query(`select set_config('request.jwt.claims', $1, true)`, [
    JSON.stringify({ sub: uid, role: 'authenticated' }),
  ]);
  await db.query('set local role authenticated');
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const r = await db.query('select public.sync_pull(null) as r');
    const x = r.rows[0].r;
    console.log(
      'pull',
      (performance.now() - t).toFixed(0),
      'ms',
      x.changes.patients.length,
      x.changes.appointments.length,
    );
  }
  const plan = await db.query(
    `explain analyze select count(*) from public.appointments r where r.txid < pg_snapshot_xmin(pg_current_snapshot())`,
  );
  console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
  await db.query('commit');
  await db.end();
} finally {
  await bench.stop();
}
