/**
 * What one kiosk's catch-up costs the server: a kiosk pulled at setup, then 100 devices' walk-ins
 * (5,000 writes) are pushed raw; this times the kiosk's catch-up from its setup cursor, every page
 * in turn, in Postgres alone (no PostgREST, no latency), seven times (min and median: the machine is
 * shared), and prints the plan of its first page. With EXPLAIN=1, also every statement inside
 * sync_pull with its plan and times (auto_explain, as notices; the times then include its overhead).
 * A diagnostic, not part of `npm run bench`: `[EXPLAIN=1] npx tsx bench/kiosk-pull-profile.ts [pageBytes]`.
 */
import pg from 'pg';
import { startBenchStack } from './bench-stack.ts';
import { kiosksRawPush } from './kiosks.ts';

const pageBytes = Number(process.argv[2] ?? 65536);
const bench = await startBenchStack();
const db = new pg.Client({ connectionString: bench.stack.dbUrl });
await db.connect();
try {
  const client = await bench.staffClient();
  const uid = (await client.auth.getUser()).data.user?.id;
  if (!uid) throw new Error('no staff user');
  await db.query(`select set_config('request.jwt.claims', $1, false)`, [
    JSON.stringify({ sub: uid, role: 'authenticated' }),
  ]);
  const pull = async (since: string | null, explain = false) => {
    await db.query('set role authenticated');
    const sql = `select public.sync_pull($1, 5000, $2, true)::text as page`;
    try {
      if (explain) {
        const plan = await db.query(`explain (analyze, buffers, verbose) ${sql}`, [since, pageBytes]);
        return plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      }
      return String((await db.query<{ page: string }>(sql, [since, pageBytes])).rows[0]?.page);
    } finally {
      await db.query('reset role');
    }
  };
  const catchUp = async (since: string | null) => {
    let cursor = since;
    let pages = 0;
    let bytes = 0;
    const t = performance.now();
    for (let more = true; more; ) {
      const text = await pull(cursor);
      const page = JSON.parse(text) as { cursor: string; hasMore: boolean };
      cursor = page.cursor;
      more = page.hasMore;
      pages++;
      bytes += text.length;
    }
    return { cursor, pages, kb: (bytes / 1024).toFixed(0), ms: (performance.now() - t).toFixed(0) };
  };
  // The raw push adds its 4,000 slots after this pull: the catch-up carries them taken, as a
  // kiosk's carries the slots the crowd took.
  const setup = await catchUp(null);
  console.log('setup pull (before the crowd):', setup);
  await kiosksRawPush(bench, 100, 50);
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const c = await catchUp(setup.cursor);
    times.push(Number(c.ms));
    if (i === 0) console.log('catch-up from the setup cursor:', c);
  }
  times.sort((a, b) => a - b);
  console.log(`catch-up ms, 7 runs: min ${times[0]}, median ${times[3]}`);
  console.log('full pull from nothing:', await catchUp(null));
  if (process.env.EXPLAIN) {
    // Each statement inside sync_pull, with its plan and times, as notices to this client.
    db.on('notice', (n) => console.log(n.message));
    await db.query(`load 'auto_explain'`);
    await db.query(`set auto_explain.log_min_duration = 0`);
    await db.query(`set auto_explain.log_nested_statements = on`);
    await db.query(`set auto_explain.log_analyze = on`);
    await db.query(`set auto_explain.log_level = notice`);
  }
  console.log(await pull(setup.cursor, true));
} finally {
  await db.end();
  await bench.stop();
}
