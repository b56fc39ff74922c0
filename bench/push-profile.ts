/**
 * Where sync_push spends its time, server side (one SQL connection, no HTTP): batches of 1,000
 * walk-in mutations (200 patients, 800 appointments) pushed as kiosk staff, through the set-based
 * fast path, through the per-mutation path (forced with `consult.push_path = 'each'`), and as plain
 * inserts (the floor), in alternating order over several rounds; then the same 1,000 as the bench
 * sends them (2 x 500 through PostgREST), with the CPU each process spent; then one more round of
 * each path with Postgres's per-function timings (track_functions).
 * Besides wall time, each call's CPU time in its Postgres backend (/proc/<pid>/schedstat): on a
 * machine shared with other work, wall time swings by 2x from run to run, CPU time by a few percent.
 * `npx tsx bench/push-profile.ts [rounds]` — a diagnostic for SQL work, not part of `npm run bench`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { toWire } from '../sync/local-mutation.ts';
import type { Mutation } from '../sync/protocol.ts';
import { startBenchStack } from './bench-stack.ts';
import { dexieStore, queueWalkIns } from './sync-drain.ts';

const ROUNDS = Number(process.argv[2] ?? 5);
const PATIENTS = 200;
const MODES = ['fast', 'each', 'plain'] as const;
type Mode = (typeof MODES)[number];

/** CPU ms a process (every thread of it) has run; NaN where /proc cannot tell (not Linux). */
function cpuMs(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/task`).reduce(
      (sum, task) =>
        sum + Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]) / 1e6,
      0,
    );
  } catch {
    return Number.NaN;
  }
}

/** This process's children named `name` (the stack's PostgREST). */
function childPids(name: string): number[] {
  const parent = (pid: number) =>
    Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
  const ours = (pid: number): boolean => {
    for (let p = pid; p > 1; p = parent(p)) if (p === process.pid) return true;
    return false;
  };
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name && ours(pid);
      } catch {
        return false;
      }
    });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const fmt = (xs: number[]) => ({
  median: median(xs).toFixed(0),
  rounds: xs.map((t) => t.toFixed(0)).join(' '),
});

const bench = await startBenchStack();
const db = new pg.Client({ connectionString: bench.stack.dbUrl });
try {
  const client = await bench.staffClient();
  const uid = (await client.auth.getUser()).data.user?.id;
  if (!uid) throw new Error('no staff user');
  await db.connect();
  const backend = Number((await db.query('select pg_backend_pid() as pid')).rows[0]?.pid);

  async function batch(): Promise<{ clientId: string; muts: Mutation[] }> {
    const store = await queueWalkIns(dexieStore(), await bench.addSlots(PATIENTS * 4), PATIENTS, 4);
    return { clientId: await store.getClientId(), muts: (await store.listOutbox()).map((m) => toWire(m)) };
  }

  /** One call in its own transaction, as PostgREST runs it for the staff member; server ms. */
  async function run(
    mode: Mode,
    b: { clientId: string; muts: Mutation[] },
  ): Promise<{ ms: number; cpu: number }> {
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
    const cpu = cpuMs(backend);
    const started = performance.now();
    if (mode === 'plain') {
      await db.query('select public.bench_plain_insert($1::json, $2::json)', args);
      const ms = performance.now() - started;
      const spent = cpuMs(backend) - cpu;
      await db.query('commit');
      return { ms, cpu: spent };
    }
    const r = await db.query('select public.sync_push($1::json) as r', [body]);
    const ms = performance.now() - started;
    const spent = cpuMs(backend) - cpu;
    const answers = r.rows[0]?.r as { status: string }[];
    const notApplied = answers.filter((a) => a.status !== 'applied');
    if (notApplied.length > 0) throw new Error(`${mode}: ${JSON.stringify(notApplied[0])}`);
    const used = (await db.query(`select current_setting('consult.push_path_used') as used`)).rows[0]?.used;
    if (used !== mode) throw new Error(`asked for the ${mode} path, sync_push took ${used}`);
    await db.query('commit');
    return { ms, cpu: spent };
  }

  const times: Record<Mode, { ms: number[]; cpu: number[] }> = {
    fast: { ms: [], cpu: [] },
    each: { ms: [], cpu: [] },
    plain: { ms: [], cpu: [] },
  };
  for (let round = 0; round < ROUNDS; round++) {
    // Rotated each round, so that no path always runs first (or on a warmer cache).
    const order = MODES.map((_, i) => MODES[(i + round) % MODES.length]!);
    for (const mode of order) {
      const { ms, cpu } = await run(mode, await batch());
      times[mode].ms.push(ms);
      times[mode].cpu.push(cpu);
    }
  }
  console.log(`\n${PATIENTS * 5} mutations per call, ${ROUNDS} rounds (median, then each round):`);
  console.table(
    Object.fromEntries(
      MODES.flatMap((m) => [
        [`${m}, wall ms`, fmt(times[m].ms)],
        [`${m}, backend CPU ms`, fmt(times[m].cpu)],
      ]),
    ),
  );

  // As the bench's straight push: 2 x 500 through the gateway and PostgREST (no added latency).
  const postgrest = childPids('postgrest');
  const backends = async () =>
    (await db.query<{ pid: number }>(`select pid from pg_stat_activity where usename = 'authenticator'`))
      .rows;
  const pgCpu = async () => (await backends()).reduce((sum, r) => sum + (cpuMs(r.pid) || 0), 0);
  const http = {
    wall: [] as number[],
    postgres: [] as number[],
    postgrest: [] as number[],
    node: [] as number[],
  };
  for (let round = 0; round < ROUNDS; round++) {
    const b = await batch();
    const staff = await bench.staffClient();
    const [pg0, rest0, node0, started] = [
      await pgCpu(),
      cpuMs(postgrest[0] ?? -1),
      process.cpuUsage(),
      performance.now(),
    ];
    for (const half of [b.muts.slice(0, 500), b.muts.slice(500)]) {
      const { data, error } = await staff.rpc('sync_push', { client_id: b.clientId, mutations: half });
      if (error || (data as { status: string }[]).some((a) => a.status !== 'applied'))
        throw new Error(`push through PostgREST failed: ${error?.message ?? 'not applied'}`);
    }
    http.wall.push(performance.now() - started);
    const node = process.cpuUsage(node0);
    http.node.push((node.user + node.system) / 1000);
    http.postgrest.push(cpuMs(postgrest[0] ?? -1) - rest0);
    http.postgres.push((await pgCpu()) - pg0);
  }
  console.log(
    '\nThe same 1,000 as 2 x 500 through PostgREST (no added latency), per 1,000 (median, each round):',
  );
  console.table({
    'wall ms': fmt(http.wall),
    'Postgres backends, CPU ms': fmt(http.postgres),
    'PostgREST, CPU ms': fmt(http.postgrest),
    'this process (client, gateway), CPU ms': fmt(http.node),
  });

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
    const { ms } = await run(mode, b);
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
