import { liveQuery } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { appointmentRow, patientRow } from '../testing/fixtures.ts';
import { ConsultDb } from './dexie-db.ts';
import { NativeRequests } from './dexie-native.ts';
import { DexieStore } from './dexie-store.ts';

const open: ConsultDb[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.delete();
});

function newDb(): ConsultDb {
  const db = new ConsultDb(`native-${crypto.randomUUID()}`);
  open.push(db);
  return db;
}

/** The first value of a liveQuery that `done` accepts (Dexie's cache is on, as in the app). */
function until<T>(query: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const subscription = liveQuery(query).subscribe({
      next: (value) => {
        if (!done(value)) return;
        subscription.unsubscribe();
        resolve(value);
      },
      error: reject,
    });
  });
}

describe('requests issued on IndexedDB under a Dexie transaction', () => {
  it('reach the screens: live queries of the rows, an index and the outbox see a fresh save', async () => {
    const db = newDb();
    const store = new DexieStore(db);
    const patient = patientRow(crypto.randomUUID());
    // Each query answers once before the save, so the save must invalidate Dexie's cached answer.
    const seen = await Promise.all([
      until(
        () => db.patients.toArray(),
        () => true,
      ),
      until(
        () => db.appointments.where('patient_id').equals(String(patient.id)).count(),
        () => true,
      ),
    ]);
    expect(seen).toEqual([[], 0]);
    const rows = until(
      () => db.patients.toArray(),
      (ps) => ps.length === 1,
    );
    const booked = until(
      () => db.appointments.where('patient_id').equals(String(patient.id)).count(),
      (n) => n === 1,
    );
    const queued = until(
      () => db.outbox.where('state').equals('pending').count(),
      (n) => n === 2,
    );
    await store.writeAll([
      { entity: 'patients', op: 'upsert', row: patient, fresh: true },
      {
        entity: 'appointments',
        op: 'upsert',
        row: appointmentRow(crypto.randomUUID(), String(patient.id)),
        fresh: true,
      },
    ]);
    expect((await rows).map((p) => p.id)).toEqual([patient.id]);
    expect(await booked).toBe(1);
    expect(await queued).toBe(2);
  });

  it('a failed add rejects with its own error, and its transaction writes nothing', async () => {
    const db = newDb();
    const stored = patientRow(crypto.randomUUID());
    await db.patients.add(stored);
    const other = patientRow(crypto.randomUUID());
    const failed = db.transaction('rw', db.patients, db.outbox, async () => {
      await new NativeRequests(db).add('patients', [other, { ...stored, full_name: 'Someone else' }]);
    });
    await expect(failed).rejects.toMatchObject({ name: 'ConstraintError' });
    expect(await db.patients.get(String(other.id))).toBeUndefined();
    expect((await db.patients.get(String(stored.id)))?.full_name).toBe(stored.full_name);
  });

  it('reads records in the order asked, undefined where none', async () => {
    const db = newDb();
    await db.meta.bulkPut([
      { key: 'a', value: 1 },
      { key: 'c', value: 3 },
    ]);
    const got = await db.transaction('r', db.meta, () => new NativeRequests(db).get('meta', ['c', 'b', 'a']));
    expect(got).toEqual([{ key: 'c', value: 3 }, undefined, { key: 'a', value: 1 }]);
  });

  it('reads by index key (compound and multi-entry), and a delete reaches live queries', async () => {
    const db = newDb();
    const store = new DexieStore(db);
    const patient = patientRow(crypto.randomUUID());
    const [first, booking] = await store.writeAll([
      { entity: 'patients', op: 'upsert', row: patient, fresh: true },
      {
        entity: 'appointments',
        op: 'upsert',
        row: appointmentRow(crypto.randomUUID(), String(patient.id)),
        fresh: true,
      },
    ]);
    const [byRow, byRef] = await db.transaction('r', db.outbox, () => {
      const native = new NativeRequests(db);
      return Promise.all([
        native.byIndex('outbox', '[entity+key]', [
          ['patients', String(patient.id)],
          ['appointments', 'none'],
        ]),
        native.byIndex('outbox', 'refKeys', [`patients:${patient.id}`]),
      ]);
    });
    expect(byRow.map((records) => records.map((m) => (m as { id: string }).id))).toEqual([[first?.id], []]);
    expect(byRef.map((records) => records.map((m) => (m as { id: string }).id))).toEqual([[booking?.id]]);
    const emptied = until(
      () => db.outbox.count(),
      (n) => n === 0,
    );
    await db.transaction('rw', db.outbox, () =>
      new NativeRequests(db).delete('outbox', [first?.id, booking?.id]),
    );
    expect(await emptied).toBe(0);
  });

  it('refuses to run outside a Dexie transaction', () => {
    expect(() => new NativeRequests(newDb())).toThrow(/no Dexie transaction/);
  });
});
