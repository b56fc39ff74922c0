import { afterEach, describe, expect, it } from 'vitest';
import { patientFields } from './entities.ts';
import { parseStored } from './stored-row.ts';
import { ConsultDb } from './stores/dexie-db.ts';
import { DexieStore } from './stores/dexie-store.ts';
import fixture from './stores/fixtures/rows-before-hidden-text.json';

const open: ConsultDb[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.delete();
});

/** A device database holding `rows` as stored (not checked on the way in, as an older release wrote them). */
async function deviceWith(rows: { patients: unknown[]; appointments: unknown[] }) {
  const db = new ConsultDb(`stored-row-${crypto.randomUUID()}`);
  open.push(db);
  await db.patients.bulkPut(structuredClone(rows.patients) as never[]);
  await db.appointments.bulkPut(structuredClone(rows.appointments) as never[]);
  return { db, store: new DexieStore(db) };
}

describe('rows an older release stored', () => {
  it('are read, not set aside, when only a rule added since refuses them', async () => {
    const { db, store } = await deviceWith(fixture);
    expect(await store.listRows('patients')).toEqual(fixture.patients);
    expect(await store.listRows('appointments')).toEqual(fixture.appointments);
    expect(await store.listQuarantine()).toEqual([]);
    expect(await db.patients.count()).toBe(1);
    // The screens read them too (the profile, My appointments).
    expect(parseStored(patientFields, fixture.patients[0])).toEqual(fixture.patients[0]);
  });

  it('of a shape this version cannot read are still set aside', async () => {
    const [appointment] = fixture.appointments;
    const [patient] = fixture.patients;
    const { db, store } = await deviceWith({
      patients: [{ ...patient, id: 'not-a-uuid' }],
      appointments: [{ ...appointment, status: 'pending' }],
    });
    expect(await store.listRows('patients')).toEqual([]);
    expect(await store.listRows('appointments')).toEqual([]);
    expect((await store.listQuarantine()).map((q) => q.table).sort()).toEqual(['appointments', 'patients']);
    expect(await db.appointments.count()).toBe(0);
    expect(parseStored(patientFields, { ...patient, sex: 3 })).toBeUndefined();
  });
});
