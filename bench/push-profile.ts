/**
 * Where sync_push spends its time, server side only (one SQL connection, no HTTP): batches of
 * 1,000 walk-in mutations (200 patients, 800 appointments) pushed as kiosk staff, through the
 * set-based fast path, through the per-mutation path (forced with `consult.push_path = 'each'`),
 * and as plain inserts (the floor), in alternating order over several rounds; then one more round
 * of each path with Postgres's per-function timings (track_functions).
 * `npx tsx bench/push-profile.ts [rounds]` — a diagnostic for SQL work, not part of `npm run bench`.
 */
import pg from 'pg';
import { toWire } from '../sync/local-mutation.ts';
import type { Mutation } from '../sync/protocol.ts';
import { startBenchStack } from './bench-stack.ts';
import { dexieStore, queueWalkIns } from './sync-drain.ts';

const ROUNDS = Number(process.argv[2] ?? 5);
const PATIENTS = 200;
const MODES = ['fast', 'each', 'plain'] as const;
type Mode = (typeof MODES)[number];

const bench = await startBenchStack();
const db = new pg.Client({ connectionString: bench.stack.dbUrl });
try {
  const client = await bench.staffClient();
  const uid = (await client.auth.getUser()).data.user?.id;
  if (!uid) throw new Error('no staff user');
  await db.connect();

  async function batch(): Promise<{ clientId: string; muts: Mutation[] }> {
    const store = await queueWalkIns(dexieStore(), await bench.addSlots(PATIENTS * 4), PATIENTS, 4);
    return { clientId: await store.getClientId(), muts: (await store.listOutbox()).map((m) => toWire(m)) };
  }

  /** One call in its own transaction, as PostgREST runs it for the staff member; server ms. */
  async function run(mode: Mode, b: { clientId: string; muts: Mutation[] }): Promise<number> {
    await db.query('begin');
    await db.query(`select set_config('request.jwt.claims', $1, true)`, [
      JSON.stringify({ sub: uid, role: 'authenticated' }),
    ]);
    await db.query(`select set_config('consult.push_path', $1, true)`, [mode === 'each' ? 'each' : '']);
    if (mode !== 'plain') await db.query('set local role authenticated');
    // Serialized before the clock starts: the figure is the server's.
    const rows = (entity: string) =>
      JSON.stringify(b.muts.filter((m) => m.entity === entity).map((m) => ({ ...m.data, id: m.key })));
    const args = mode === 'plain' ? [rows('patients'), rows('appointments')] : [];
    const body = JSON.stringify({ client_id: b.clientId, mutations: b.muts });
    const started = performance.now();
    if (mode === 'plain') {
      await db.query('select public.bench_plain_insert($1::json, $2::json)', args);
      const ms = performance.now() - started;
      await db.query('commit');
      return ms;
    }
    const r = await db.query('select public.sync_push($1::json) as r', [body]);
    const ms = performance.now() - started;
    const answers = r.rows[0]?.r as { status: string }[];
    const notApplied = answers.filter((a) => a.status !== 'applied');
    if (notApplied.length > 0) throw new Error(`${mode}: ${JSON.stringify(notApplied[0])}`);
    const used = (await db.query(`select current_setting('consult.push_path_used') as used`)).rows[0]?.used;
    if (used !== mode) throw new Error(`asked for the ${mode} path, sync_push took ${used}`);
    await db.query('commit');
    return ms;
  }

  const times: Record<Mode, number[]> = { fast: [], each: [], plain: [] };
  for (let round = 0; round < ROUNDS; round++) {
    // Rotated each round, so that no path always runs first (or on a warmer cache).
    const order = MODES.map((_, i) => MODES[(i + round) % MODES.length]!);
    for (const mode of order) times[mode].push(await run(mode, await batch()));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  console.log(`\n${PATIENTS * 5} mutations per call, ${ROUNDS} rounds, server ms (median, then each round):`);
  console.table(
    Object.fromEntries(
      MODES.map((m) => [
        m,
        { median: median(times[m]).toFixed(0), rounds: times[m].map((t) => t.toFixed(0)).join(' ') },
      ]),
    ),
  );

  const stats = async () =>
    (
      await db.query<{ funcname: string; calls: string; total: number; self: number }>(
        `select funcname, calls, total_time as total, self_time as self from pg_stat_user_functions`,
      )
    ).rows;
  await db.query(`set track_functions = 'all'`);
  for (const mode of ['each', 'fast'] as const) {
    const b = await batch();
    await db.query('select pg_stat_force_next_flush()');
    const before = new Map((await stats()).map((s) => [s.funcname, s]));
    const ms = await run(mode, b);
    await db.query('select pg_stat_force_next_flush()');
    const diff = (await stats())
      .map((s) => {
        const was = before.get(s.funcname);
        return {
          funcname: s.funcname,
          calls: Number(s.calls) - Number(was?.calls ?? 0),
          total: (s.total - (was?.total ?? 0)).toFixed(1),
          self: s.self - (was?.self ?? 0),
        };
      })
      .filter((s) => s.calls > 0)
      .sort((a, b) => b.self - a.self)
      .slice(0, 15)
      .map((s) => ({ ...s, self: s.self.toFixed(1) }));
    console.log(`\n${mode}: ${ms.toFixed(0)} ms with track_functions = all`);
    console.table(diff);
  }
} finally {
  await db.end();
  await bench.stop();
}
