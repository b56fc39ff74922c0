import { afterEach, describe, expect, it } from 'vitest';
import { ConsultDb } from '../../sync/stores/dexie-db.ts';
import { DexieStore } from '../../sync/stores/dexie-store.ts';
import { afterEachWrite, writeEntities, writeEntity } from './entity-writes.ts';
import { saveProfile } from './patient-writes.ts';

const dbs: ConsultDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

function newStore(): DexieStore {
  const db = new ConsultDb(`entity-writes-${crypto.randomUUID()}`);
  dbs.push(db);
  return new DexieStore(db);
}

const patient = {
  id: crypto.randomUUID(),
  full_name: '  Asha Devi ',
  date_of_birth: '1990-04-01',
  sex: 'female',
  preferred_language: 'hi',
};

describe('writeEntity', () => {
  it('writes the row as the entity schema normalises it, with its outbox entry', async () => {
    const store = newStore();
    const result = await writeEntity(store, 'patients', patient);
    expect(result).toEqual({ ok: true, row: { ...patient, full_name: 'Asha Devi' } });
    expect(await store.getRow('patients', patient.id)).toMatchObject({ full_name: 'Asha Devi' });
    expect(await store.listOutbox()).toMatchObject([
      { entity: 'patients', key: patient.id, state: 'pending' },
    ]);
  });

  it("refuses field by field with the schema's own issues, and writes nothing", async () => {
    const store = newStore();
    const result = await writeEntity(store, 'patients', { ...patient, full_name: 'x'.repeat(121), sex: '' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['full_name', 'too_big'],
      ['sex', 'invalid_value'],
    ]);
    expect(await store.listOutbox()).toEqual([]);
    expect(await store.getRow('patients', patient.id)).toBeUndefined();
  });

  it("validates an appointment with the entity's slot-or-request rule", async () => {
    const result = await writeEntity(newStore(), 'appointments', {
      id: crypto.randomUUID(),
      patient_id: patient.id,
      doctor_id: null,
      slot_id: null,
      starts_at: null,
      ends_at: null,
      mode: 'video',
      reason: 'cough',
      status: 'requested',
    });
    expect(!result.ok && result.issues.map((i) => i.path.join('.'))).toEqual(['slot_id']);
  });
});

const booking = {
  id: crypto.randomUUID(),
  patient_id: patient.id,
  doctor_id: null,
  slot_id: null,
  starts_at: null,
  ends_at: null,
  requested_specialty: 'general medicine',
  preferred_date: '2031-01-01',
  preferred_window: 'morning',
  mode: 'video',
  reason: ' cough ',
  status: 'requested',
};

describe('writeEntities', () => {
  it('writes a profile and its booking together, the booking after the profile', async () => {
    const store = newStore();
    const result = await writeEntities(store, [
      { entity: 'patients', candidate: patient },
      { entity: 'appointments', candidate: booking },
    ]);
    expect(result.ok && result.rows.map((r) => [r.id, r.full_name ?? r.reason])).toEqual([
      [patient.id, 'Asha Devi'],
      [booking.id, 'cough'],
    ]);
    const [p, a] = await store.listOutbox();
    expect(a).toMatchObject({ entity: 'appointments', deps: [p?.id] });
  });

  it('refuses the batch at the first invalid write, writing nothing of it', async () => {
    const store = newStore();
    const result = await writeEntities(store, [
      { entity: 'patients', candidate: patient },
      { entity: 'appointments', candidate: { ...booking, reason: '' } },
    ]);
    expect(!result.ok && [result.index, result.issues.map((i) => i.path.join('.'))]).toEqual([1, ['reason']]);
    expect(await store.listOutbox()).toEqual([]);
    expect(await store.getRow('patients', patient.id)).toBeUndefined();
  });
});

describe('saving a profile the server refused', () => {
  it('puts the correction in place of the refused write, in one step', async () => {
    const store = newStore();
    const first = await store.write({ entity: 'patients', op: 'upsert', row: patient });
    const error = { code: 'validation' as const, message: 'bad phone', field: 'phone' };
    await store.apply({ patch: [{ id: first.id, state: 'rejected', error, attempted: true }] });

    const result = await saveProfile({ store }, { ...patient, phone: '+919800000000' });
    expect(result.ok).toBe(true);
    const outbox = await store.listOutbox();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ state: 'pending', data: { phone: '+919800000000' } });
    expect(outbox[0]?.id).not.toBe(first.id);
  });
});

describe('saving what the screen made the id of (fresh)', () => {
  it('writes a new profile and its booking with the booking behind the profile', async () => {
    const store = newStore();
    await writeEntity(store, 'patients', { ...patient, id: crypto.randomUUID() });
    const result = await writeEntities(store, [
      { entity: 'patients', candidate: patient, options: { fresh: true } },
      { entity: 'appointments', candidate: booking, options: { fresh: true } },
    ]);
    expect(result.ok).toBe(true);
    const [, profile, appointment] = await store.listOutbox();
    expect(appointment).toMatchObject({ key: booking.id, deps: [profile?.id], createsRow: true });
    expect(await store.getRow('appointments', booking.id)).toMatchObject({ reason: 'cough' });
  });

  it('a profile wrongly said to be new is still saved as the correction of its refused write', async () => {
    const store = newStore();
    const first = await store.write({ entity: 'patients', op: 'upsert', row: patient });
    const error = { code: 'validation' as const, message: 'bad phone', field: 'phone' };
    await store.apply({ patch: [{ id: first.id, state: 'rejected', error, attempted: true }] });
    const result = await saveProfile({ store }, { ...patient, phone: '+919800000000' }, null, {
      fresh: true,
    });
    expect(result.ok).toBe(true);
    const outbox = await store.listOutbox();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ state: 'pending', data: { phone: '+919800000000' } });
    expect(outbox[0]?.before).toBeNull();
  });
});

describe('afterEachWrite', () => {
  it('asks for persistent storage and a Background Sync after each write, and only then', async () => {
    const store = newStore();
    const calls: string[] = [];
    const off = afterEachWrite(store, {
      persist: async () => calls.push('persist'),
      backgroundSync: () => void calls.push('sync'),
    });
    await writeEntity(store, 'patients', patient);
    expect(calls).toEqual(['persist', 'sync']);
    await writeEntity(store, 'patients', { ...patient, sex: 'unknown' });
    await store.apply({ remove: (await store.listOutbox()).map((m) => m.id) });
    expect(calls).toEqual(['persist', 'sync']);
    off();
    await writeEntity(store, 'patients', { ...patient, full_name: 'Asha D.' });
    expect(calls).toEqual(['persist', 'sync']);
  });
});
