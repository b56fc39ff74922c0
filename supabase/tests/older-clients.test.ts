/**
 * An app cached on a phone keeps calling this server as it was built to. A client from before sized
 * pull pages (20261130300000) calls sync_pull with since and max_rows only, and reads
 * `changes.slots` as an array of rows (its schema, copied below as it was); the current client sends
 * max_bytes and reads runs.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import { slotRowsOf, slotRuns } from '../../sync/slot-runs.ts';
import { newUser } from './stack-clients.ts';
import { createClinic, patientRow, pull, pushRaw, type TestClinic } from './sync-fixtures.ts';

/** The page an app from before sized pages parsed (its sync/protocol.ts, tables as arrays of rows). */
const changedRows = z.array(z.record(z.string(), z.unknown()));
const olderPage = z.object({
  cursor: z.string(),
  hasMore: z._default(z.boolean(), false),
  changes: z.object({
    patients: changedRows,
    appointments: changedRows,
    clinics: changedRows,
    doctors: changedRows,
    slots: changedRows,
  }),
  deleted: z.array(z.unknown()),
});

async function rpc(client: SupabaseClient, args: Record<string, unknown>): Promise<unknown> {
  const { data, error } = await client.rpc('sync_pull', args);
  if (error) throw new Error(`sync_pull failed: ${error.code} ${error.message}`);
  return data;
}

const byId = (rows: Record<string, unknown>[]) =>
  [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id)));

describe('an app from before sized pull pages', () => {
  let client: SupabaseClient;
  let since: string;
  let clinic: TestClinic;

  beforeAll(async () => {
    ({ client } = await newUser('older-client'));
    since = (await pull(client)).cursor;
    clinic = await createClinic(6);
  });

  it('reads its pull page: slots as rows, the ones the current app rebuilds from runs', async () => {
    const old = olderPage.parse(await rpc(client, { since, max_rows: 5000 }));
    const ours = old.changes.slots.filter((s) => s.doctor_id === clinic.doctorId);
    expect(ours.length).toBeGreaterThanOrEqual(6);
    expect(Object.keys(ours[0] ?? {}).sort()).toEqual(
      ['available', 'doctor_id', 'ends_at', 'id', 'mode', 'starts_at'].sort(),
    );

    const sized = (await rpc(client, { since, max_rows: 5000, max_bytes: 262144 })) as {
      changes: { slots: unknown };
    };
    const rebuilt = slotRowsOf(slotRuns.parse(sized.changes.slots)).filter(
      (s) => s.doctor_id === clinic.doctorId,
    );
    expect(byId(ours)).toEqual(byId(rebuilt));
  });

  it('its push with a pull answers the same way; a sized one gets runs', async () => {
    const body = (pull: Record<string, unknown>) => ({
      client_id: crypto.randomUUID(),
      mutations: [],
      pull: { since, ...pull },
    });
    const older = await client.rpc('sync_push', body({ max_rows: 5000 }));
    expect(older.error).toBeNull();
    const page = olderPage.parse((older.data as { pull: unknown }).pull);
    expect(page.changes.slots.some((s) => s.doctor_id === clinic.doctorId)).toBe(true);
    const sized = await client.rpc('sync_push', body({ max_rows: 5000, max_bytes: 262144 }));
    expect(sized.error).toBeNull();
    const slots = (sized.data as { pull: { changes: { slots: unknown } } }).pull.changes.slots;
    expect(slotRuns.parse(slots).runs.length).toBeGreaterThan(0);
  });
});

describe('a write as the first release sent it', () => {
  it('is applied: no seq, no base, no actor (its mutation shape), and answered as it read answers', async () => {
    const { client, userId } = await newUser('first-release');
    const clientId = crypto.randomUUID();
    const row = patientRow();
    const first = {
      id: crypto.randomUUID(),
      clientId,
      entity: 'patients',
      op: 'upsert',
      key: row.id,
      data: row,
      deps: [],
      createdAt: new Date().toISOString(),
    };
    const sent = await pushRaw(client, clientId, [first]);
    expect(sent.failure).toBeNull();
    // The first release's answer schema: id, status and, when refused, code and message.
    const [answer] = z.array(z.object({ id: z.string(), status: z.string() })).parse(sent.data);
    expect(answer).toMatchObject({ id: first.id, status: 'applied' });
    const again = await pushRaw(client, clientId, [first]);
    expect(again.failure).toBeNull();
    // Sent again (its answer lost): told a duplicate, which that release knew, and applied once.
    expect((again.data as { status: string }[])[0]?.status).toBe('duplicate');
    const pulled = await pull(client);
    expect(pulled.changes.patients.filter((p) => p.id === row.id)).toEqual([
      expect.objectContaining({ user_id: userId, full_name: row.full_name }),
    ]);
  });
});
