/**
 * sync_push with the pull delta (issue 10): a body carrying `pull: {since, max_rows}` is answered
 * `{results, pull}`, the pull read after the batch applied, in the same transaction. The cursor it
 * hands out must never skip a row: neither the push's own rows nor those of a writer whose
 * transaction was still open when the pull read (duplicates are allowed, loss is not).
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { type PullResponse, pullResponse, pushResponse } from '../../sync/protocol.ts';
import { connect, sql } from './stack-clients.ts';
import { createClinic, newStaff, patientRow, pull, pushRaw, upsertPatient } from './sync-fixtures.ts';

const insert = `insert into public.patients (id, clinic_id, registered_by, full_name, date_of_birth, sex, preferred_language)
  values ($1, $2, $3, $4, '1990-01-01', 'female', 'hi')`;

async function caughtUpKiosk(label: string) {
  const own = await createClinic(0);
  const staff = await newStaff(own.clinicId, label);
  const start = await pull(staff.client);
  const walkIn = (name: string) => [randomUUID(), own.clinicId, staff.userId, name];
  return { staff, start, walkIn, clientId: randomUUID() };
}

async function pushWithPull(
  client: SupabaseClient,
  clientId: string,
  mutations: unknown[],
  pullArgs: unknown,
): Promise<{ data: unknown; error: { code: string; message: string } | null }> {
  const { data, error } = await client.rpc('sync_push', { client_id: clientId, mutations, pull: pullArgs });
  return { data, error: error ? { code: error.code, message: error.message } : null };
}

const patientIds = (pulled: PullResponse[]) =>
  pulled.flatMap((r) => r.changes.patients.map((p) => String(p.id)));

/** Whole pulls from `cursor` until every id in `wanted` arrived (or 50 pulls). */
async function pullUntilSeen(
  client: SupabaseClient,
  cursor: string,
  wanted: string[],
): Promise<PullResponse[]> {
  const pulled: PullResponse[] = [];
  let next = cursor;
  while (!wanted.every((id) => patientIds(pulled).includes(id))) {
    if (pulled.length >= 50)
      throw new Error(`never pulled ${wanted.filter((id) => !patientIds(pulled).includes(id))}`);
    const page = await pull(client, next);
    pulled.push(page);
    next = page.cursor;
  }
  return pulled;
}

describe('sync_push: the pull delta', () => {
  it('answers the bare array without "pull", and {results, pull} with it', async () => {
    const k = await caughtUpKiosk('delta-shape');
    const a = upsertPatient(k.clientId, patientRow());
    const bare = await pushRaw(k.staff.client, k.clientId, [a]);
    expect(bare.failure).toBeNull();
    expect(pushResponse.parse(bare.data)).toMatchObject([{ id: a.id, status: 'applied' }]);

    const b = upsertPatient(k.clientId, patientRow());
    const { data, error } = await pushWithPull(k.staff.client, k.clientId, [b], { since: k.start.cursor });
    expect(error).toBeNull();
    const answer = data as { results: unknown; pull: unknown };
    expect(Object.keys(answer).sort()).toEqual(['pull', 'results']);
    expect(pushResponse.parse(answer.results)).toMatchObject([{ id: b.id, status: 'applied' }]);
    const delta = pullResponse.parse(answer.pull);
    // `a` committed before this call: the delta carries it.
    expect(patientIds([delta])).toContain(a.key);
  });

  it('answers an empty batch with the pull too, and honours max_rows', async () => {
    const k = await caughtUpKiosk('delta-empty');
    for (const r of [k.walkIn('One'), k.walkIn('Two'), k.walkIn('Three')]) await sql(insert, r);
    const { data, error } = await pushWithPull(k.staff.client, k.clientId, [], {
      since: k.start.cursor,
      max_rows: 2,
    });
    expect(error).toBeNull();
    const answer = data as { results: unknown[]; pull: unknown };
    expect(answer.results).toEqual([]);
    const delta = pullResponse.parse(answer.pull);
    expect(delta.hasMore).toBe(true);
    expect(patientIds([delta])).toHaveLength(2);
  });

  it('refuses a malformed pull or a foreign cursor whole, applying nothing', async () => {
    const k = await caughtUpKiosk('delta-bad');
    for (const bad of [{ since: 12 }, 'since', { since: null, max_rows: 1.5 }, { since: 'not-a-cursor' }]) {
      const m = upsertPatient(k.clientId, patientRow());
      const { error } = await pushWithPull(k.staff.client, k.clientId, [m], bad);
      expect(error?.code).toBe('22023');
      expect(await sql('select id from public.patients where id = $1', [m.key])).toEqual([]);
    }
  });

  it.each(['fast', 'each'] as const)(
    'loses no row: the push’s own, nor those of writers open while its pull read (%s path)',
    async (path) => {
      const k = await caughtUpKiosk(`delta-race-${path}`);
      const pushed = patientRow();
      const before = k.walkIn('Writer that began before the push');
      const after = k.walkIn('Writer that began after the push took its transaction id');
      const body = {
        client_id: k.clientId,
        mutations: [upsertPatient(k.clientId, pushed)],
        pull: { since: k.start.cursor },
      };
      const early = await connect();
      const late = await connect();
      const pusher = await connect();
      let answer: { results: unknown; pull: unknown };
      try {
        // `early` holds a transaction id older than the push's, `late` one younger; both are still
        // open when the push's pull reads. `late` commits before the push, `early` after it.
        await early.query('begin');
        await early.query(insert, before);
        await asStaff(pusher, k.staff.userId);
        await pusher.query(`select set_config('consult.push_path', $1, true)`, [
          path === 'each' ? 'each' : '',
        ]);
        await pusher.query('select pg_current_xact_id()');
        await late.query('begin');
        await late.query(insert, after);
        const r = await pusher.query<{ r: { results: unknown; pull: unknown } }>(
          'select public.sync_push($1::json) as r',
          [JSON.stringify(body)],
        );
        answer = r.rows[0]!.r;
        const used = await pusher.query<{ used: string }>(
          `select current_setting('consult.push_path_used') as used`,
        );
        expect(used.rows[0]?.used).toBe(path);
        await late.query('commit');
        await pusher.query('commit');
        await early.query('commit');
      } finally {
        await Promise.all([early.end(), late.end(), pusher.end()]);
      }
      expect(pushResponse.parse(answer.results)).toMatchObject([{ status: 'applied' }]);
      const delta = pullResponse.parse(answer.pull);
      // Uncommitted when it read: not in the delta, so they must follow its cursor.
      expect(patientIds([delta])).not.toContain(String(before[0]));
      expect(patientIds([delta])).not.toContain(String(after[0]));
      const wanted = [String(pushed.id), String(before[0]), String(after[0])];
      const later = await pullUntilSeen(k.staff.client, delta.cursor, wanted);
      expect(patientIds([delta, ...later])).toEqual(expect.arrayContaining(wanted));
    },
  );
});

/** Opens a transaction on `db` as the signed-in staff user, as PostgREST runs an RPC. */
async function asStaff(db: pg.Client, userId: string): Promise<void> {
  await db.query('begin');
  await db.query(`select set_config('request.jwt.claims', $1, true)`, [
    JSON.stringify({ sub: userId, role: 'authenticated' }),
  ]);
  await db.query('set local role authenticated');
}
