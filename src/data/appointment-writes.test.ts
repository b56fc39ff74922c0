import { afterEach, describe, expect, it } from 'vitest';
import { ConsultDb } from '../../sync/stores/dexie-db.ts';
import { DexieStore } from '../../sync/stores/dexie-store.ts';
import { bookAppointment, cancelAppointment, rebookAppointment } from './appointment-writes.ts';
import type { Slot } from './reference-rows.ts';

const dbs: ConsultDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

function newStore(): DexieStore {
  const db = new ConsultDb(`appointment-writes-${crypto.randomUUID()}`);
  dbs.push(db);
  return new DexieStore(db);
}

const patientId = crypto.randomUUID();
const doctorId = crypto.randomUUID();
const slot = (startsAt: string): Slot => ({
  id: crypto.randomUUID(),
  doctor_id: doctorId,
  starts_at: startsAt,
  ends_at: startsAt.replace(':00:00', ':15:00'),
  mode: 'video',
  available: true,
});

describe('appointment writes', () => {
  it('books the slot with its mode and times, and refuses an empty reason without writing', async () => {
    const store = newStore();
    const chosen = slot('2030-01-02T10:00:00Z');
    const refused = await bookAppointment({ store }, { patientId, slot: chosen, reason: '  ' });
    expect(!refused.ok && refused.issues.map((i) => i.path.join('.'))).toEqual(['reason']);
    expect(await store.listOutbox()).toEqual([]);

    const booked = await bookAppointment({ store }, { patientId, slot: chosen, reason: 'cough' });
    expect(booked).toMatchObject({
      ok: true,
      row: { slot_id: chosen.id, doctor_id: doctorId, mode: 'video', starts_at: chosen.starts_at },
    });
    expect(await store.listOutbox()).toHaveLength(1);
  });

  it('cancels as a queued write, leaving out the server-only join_url', async () => {
    const store = newStore();
    const booked = await bookAppointment(
      { store },
      { patientId, slot: slot('2030-01-02T10:00:00Z'), reason: 'x' },
    );
    if (!booked.ok) throw new Error('the booking was refused');
    const row = { ...booked.row, status: 'confirmed' as const, join_url: 'https://meet.example/r' };
    const cancelled = await cancelAppointment({ store }, row);
    expect(cancelled.ok && cancelled.row).toMatchObject({ status: 'cancelled' });
    expect(cancelled.ok && 'join_url' in cancelled.row).toBe(false);
    expect((await store.listOutbox()).at(-1)?.data).not.toHaveProperty('join_url');
  });

  it('cancels only the status, over the row as stored now: a stale screen puts nothing back', async () => {
    const store = newStore();
    const chosen = slot('2030-01-03T10:00:00Z');
    const synced = {
      id: crypto.randomUUID(),
      patient_id: patientId,
      doctor_id: doctorId,
      slot_id: chosen.id,
      starts_at: chosen.starts_at,
      ends_at: chosen.ends_at,
      mode: 'video' as const,
      reason: 'cough',
      status: 'requested' as const,
      join_url: null,
      version: 1,
    };
    await store.apply({ serverRows: [{ table: 'appointments', key: synced.id, row: synced }] });
    // Another device changed the reason; this screen still shows the old one.
    const newer = { ...synced, reason: 'cough and fever', version: 2 };
    await store.apply({ serverRows: [{ table: 'appointments', key: synced.id, row: newer }] });
    const cancelled = await cancelAppointment({ store }, synced);
    expect(cancelled.ok && cancelled.row).toMatchObject({ status: 'cancelled', reason: 'cough and fever' });
    expect((await store.listOutbox()).at(-1)?.base).toEqual({ status: 'requested' });
  });

  it('rebooks a refused booking with another slot in place of the refused write, keeping the id', async () => {
    const store = newStore();
    const booked = await bookAppointment(
      { store },
      { patientId, slot: slot('2030-01-02T10:00:00Z'), reason: 'x' },
    );
    if (!booked.ok) throw new Error('the booking was refused');
    const [first] = await store.listOutbox();
    const error = { code: 'slot_taken' as const, message: 'taken', field: 'slot_id' };
    await store.apply({ patch: [{ id: first?.id ?? '', state: 'rejected', error, attempted: true }] });

    const other = slot('2030-01-02T11:00:00Z');
    const rebooked = await rebookAppointment({ store }, booked.row, other);
    expect(rebooked).toMatchObject({ ok: true, row: { id: booked.row.id, slot_id: other.id } });
    const outbox = await store.listOutbox();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ state: 'pending', key: booked.row.id, data: { slot_id: other.id } });
  });
});
