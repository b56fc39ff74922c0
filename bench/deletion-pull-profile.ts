/**
 * What the deletion markers' wider audience (20261204100000: an appointment's marker also reaches its
 * doctor's clinic, and bookings that left a clinic's view) costs a clinic's pull: 50,000 markers of
 * 100 clinics are written, then a staff member's catch-up over them is timed in Postgres alone,
 * fifteen times each (min and median: the machine is shared), the variants in turn within each
 * round: the policy as it was (owner or clinic); the new policy's shape matching no more markers;
 * the new policy (the doctor's clinic's markers too); then with 5,000 departures. Prints the plan of
 * the markers' read under the old and new policy. A diagnostic, not part of `npm run bench`:
 * `npx tsx bench/deletion-pull-profile.ts`.
 */
import pg from 'pg';
import { startBenchStack } from './bench-stack.ts';

const MARKERS = 50_000;
const DEPARTURES = 5_000;
const CLINICS = 100;
const RUNS = 15;

const OLD_POLICY = `owner_user_id = (select auth.uid()) or clinic_id = (select private.staff_clinic_id())`;
const NEW_POLICY = `${OLD_POLICY} or doctor_clinic_id = (select private.staff_clinic_id())`;
// The third arm's own cost: the new policy's shape over the old one's markers (it matches none).
const THIRD_ARM_ONLY = `${OLD_POLICY} or doctor_clinic_id = (select '00000000-0000-0000-0000-000000000000'::uuid)`;

interface Variant {
  label: string;
  policy: string;
}

const bench = await startBenchStack();
const db = new pg.Client({ connectionString: bench.stack.dbUrl });
await db.connect();
try {
  const client = await bench.staffClient();
  const uid = (await client.auth.getUser()).data.user?.id;
  if (!uid) throw new Error('no staff user');
  const staffRow = await db.query<{ id: string }>(
    'select clinic_id as id from public.staff where user_id = $1',
    [uid],
  );
  const clinic = staffRow.rows[0]?.id;
  await db.query(`select set_config('request.jwt.claims', $1, false)`, [
    JSON.stringify({ sub: uid, role: 'authenticated' }),
  ]);
  const asStaff = async <T>(run: () => Promise<T>): Promise<T> => {
    await db.query('set role authenticated');
    try {
      return await run();
    } finally {
      await db.query('reset role');
    }
  };
  const pull = (since: string | null) =>
    asStaff(async () => {
      const r = await db.query<{ page: string }>(
        'select public.sync_pull($1, 10000, 8388608)::text as page',
        [since],
      );
      return JSON.parse(String(r.rows[0]?.page)) as { cursor: string; hasMore: boolean; deleted: unknown[] };
    });
  const catchUp = async (since: string | null) => {
    let cursor = since;
    let deleted = 0;
    const t = performance.now();
    for (let more = true; more; ) {
      const page = await pull(cursor);
      cursor = page.cursor;
      more = page.hasMore;
      deleted += page.deleted.length;
    }
    return { ms: performance.now() - t, deleted, cursor: String(cursor) };
  };
  const start = (await catchUp(null)).cursor;

  // 100 clinics' markers; the staff's clinic is the patient's clinic of 1 in 200 and the doctor's
  // clinic of 1 in 100.
  await db.query(
    `with c as (select array_agg(gen_random_uuid()) || $2::uuid as ids from generate_series(1, $3 - 1))
     insert into public.sync_tombstones (entity, id, owner_user_id, clinic_id, doctor_clinic_id)
     select 'appointments', gen_random_uuid(), gen_random_uuid(),
       case when n % 2 = 0 then c.ids[1 + (n / 2) % $3] end, c.ids[1 + (n / 7) % $3]
     from c, generate_series(1, $1) as n`,
    [MARKERS, clinic, CLINICS],
  );
  await db.query('analyze public.sync_tombstones');

  const setPolicy = (policy: string) =>
    db.query(`alter policy sync_tombstones_select on public.sync_tombstones using (${policy})`);
  /** Each variant's catch-up, the variants in turn within a round: the machine's load falls on all. */
  const measure = async (variants: Variant[]) => {
    const runs = variants.map(() => [] as number[]);
    const deleted = variants.map(() => 0);
    for (let i = 0; i < RUNS; i++) {
      for (const [v, variant] of variants.entries()) {
        await setPolicy(variant.policy);
        const c = await catchUp(start);
        runs[v]?.push(c.ms);
        deleted[v] = c.deleted;
      }
    }
    for (const [v, variant] of variants.entries()) {
      const sorted = (runs[v] ?? []).sort((a, b) => a - b);
      const [min, median] = [sorted[0], sorted[Math.floor(RUNS / 2)]];
      console.log(
        `${variant.label}: ${deleted[v]} markers, min ${min?.toFixed(1)} ms, median ${median?.toFixed(1)} ms`,
      );
    }
  };
  const plan = async (policy: string) => {
    await setPolicy(policy);
    return asStaff(async () => {
      const r = await db.query(
        `explain (analyze, costs off, timing off, summary off)
         select t.txid, t.id from public.sync_tombstones t
         where t.txid >= $1::xid8 and t.txid < pg_snapshot_xmin(pg_current_snapshot())`,
        [start.split('/')[0]],
      );
      return r.rows.map((row) => `    ${row['QUERY PLAN']}`).join('\n');
    });
  };

  await measure([
    { label: 'before: owner or clinic', policy: OLD_POLICY },
    { label: 'a third arm that matches nothing', policy: THIRD_ARM_ONLY },
    { label: "after: or the doctor's clinic", policy: NEW_POLICY },
  ]);
  console.log(`plan before:\n${await plan(OLD_POLICY)}\nplan after:\n${await plan(NEW_POLICY)}`);
  await db.query(
    `insert into public.sync_departures (id, clinic_id)
     select gen_random_uuid(), case when n % $2 = 0 then $3::uuid else gen_random_uuid() end
     from generate_series(1, $1) as n`,
    [DEPARTURES, CLINICS, clinic],
  );
  await db.query('analyze public.sync_departures');
  await measure([{ label: `after, with ${DEPARTURES} departures of 100 clinics`, policy: NEW_POLICY }]);
} finally {
  await db.end();
  await bench.stop();
}
