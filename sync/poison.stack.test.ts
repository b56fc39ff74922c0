/**
 * One poison write never jams the outbox, against the real local stack (issue 8, part 1): writes
 * queued in IndexedDB past the device's validation (as an old app version or a bug would have), one
 * with a lone surrogate, which PostgREST refuses with the whole request (400 PGRST102), and one with
 * U+0000, which today's sync_push answers per mutation. The engine splits the refused batch down to
 * the surrogate's write; both end rejected naming their field, what needs them blocked, the rest on
 * the server.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { gatewayStats, resetFaults, resetGatewayStats, sql } from '../supabase/tests/stack-clients.ts';
import { createClinic, newStaff } from '../supabase/tests/sync-fixtures.ts';
import { ConsultDb } from './stores/dexie-db.ts';
import { DexieStore } from './stores/dexie-store.ts';
import { SyncEngine } from './sync-engine.ts';
import { appointmentRow, patientRow } from './testing/fixtures.ts';
import { ManualClock } from './testing/manual-clock.ts';
import { SupabaseTransport } from './transports/supabase.ts';

const PUSH_PATH = '/rest/v1/rpc/sync_push';

afterEach(async () => {
  await resetFaults();
});

describe('a poison write on the local stack', () => {
  it('a lone surrogate (the whole call refused) and U+0000 (refused alone): each isolated, the rest arrive', async () => {
    const clinic = await createClinic(4);
    const staff = await newStaff(clinic.clinicId, 'poison');
    const db = new ConsultDb(`poison-${randomUUID()}`);
    const store = new DexieStore(db);
    const engine = new SyncEngine({
      store,
      transport: new SupabaseTransport(staff.client),
      clock: new ManualClock(),
    });
    const [p, q, r, s] = [0, 1, 2, 3].map(() => patientRow(randomUUID()));
    const write = (row: Record<string, unknown>, entity: 'patients' | 'appointments' = 'patients') =>
      store.write({ entity, op: 'upsert', row });
    const mp = await write(p!);
    const mq = await write(q!);
    const ma = await write(appointmentRow(randomUUID(), p!.id, {}, clinic.slots[0]), 'appointments');
    const mb = await write(appointmentRow(randomUUID(), q!.id, {}, clinic.slots[1]), 'appointments');
    const mr = await write(r!);
    const ms = await write(s!);
    // Straight into IndexedDB, past the device's validation.
    await db.outbox.update(mq.id, { data: { ...q, full_name: 'Asha \ud800' } });
    await db.outbox.update(ms.id, { data: { ...s, address: 'Ward 4\u0000' } });

    await resetGatewayStats();
    expect(await engine.drainOnce()).toMatchObject({ status: 'synced' });

    const patients = await sql<{ id: string }>('select id from patients where clinic_id = $1', [
      clinic.clinicId,
    ]);
    expect(patients.map((x) => x.id).sort()).toEqual([mp.key, mr.key].sort());
    const appointments = await sql<{ id: string }>(
      'select a.id from appointments a join patients p on p.id = a.patient_id where p.clinic_id = $1',
      [clinic.clinicId],
    );
    expect(appointments.map((x) => x.id)).toEqual([ma.key]);

    const left = await store.listOutbox();
    expect(left.map((m) => [m.id, m.state, m.blockedBy ?? null])).toEqual([
      [mq.id, 'rejected', null],
      [mb.id, 'blocked', mq.id],
      [ms.id, 'rejected', null],
    ]);
    expect(left[0]?.error).toMatchObject({ code: 'validation', field: 'full_name' });
    expect(left[0]?.error?.message).toContain('PGRST102');
    expect(left[2]?.error).toMatchObject({ code: 'validation', field: 'address' });
    // Split, not retried: a handful of calls for six writes, and none after.
    const calls = (await gatewayStats())[PUSH_PATH] ?? 0;
    expect(calls).toBeLessThanOrEqual(2 * 6);
    expect(await engine.syncNow()).toMatchObject({ status: 'synced', pushed: 0 });
    expect((await gatewayStats())[PUSH_PATH]).toBe(calls);
    await engine.stop();
    await db.delete();
  });
});
