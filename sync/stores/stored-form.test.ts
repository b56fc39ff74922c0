/**
 * Outbox entries are stored without the fields at their defaults (`storedForm`), and read whole:
 * an entry stored whole, as every version before wrote them, still reads and drains.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalMutation } from '../local-mutation.ts';
import { SyncEngine } from '../sync-engine.ts';
import { appointmentRow, CLINIC_ID, patientRow, REFERENCE_DATA } from '../testing/fixtures.ts';
import { InProcessServer } from '../testing/in-process-server.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { ConsultDb } from './dexie-db.ts';
import { DexieStore } from './dexie-store.ts';

const STAFF = '5a5a5a5a-0000-4000-8000-000000000001';
const open: ConsultDb[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.delete();
});

function newDb(): ConsultDb {
  const db = new ConsultDb(`stored-form-${crypto.randomUUID()}`);
  open.push(db);
  return db;
}

describe('outbox entries as stored', () => {
  it('a save stores its entries without the fields at their defaults, and reads them whole', async () => {
    const db = newDb();
    const store = new DexieStore(db);
    const patient = patientRow(crypto.randomUUID());
    const written = await store.writeAll([
      { entity: 'patients', op: 'upsert', row: patient, fresh: true },
      {
        entity: 'appointments',
        op: 'upsert',
        row: appointmentRow(crypto.randomUUID(), patient.id),
        fresh: true,
      },
    ]);
    const [first, second] = written;
    const stored = await db.outbox.bulkGet([first?.id ?? '', second?.id ?? '']);
    const absent = ['after', 'before', 'attempted', 'actor'];
    for (const record of stored) for (const field of absent) expect(record).not.toHaveProperty(field);
    expect(stored[0]).not.toHaveProperty('deps');
    expect(stored[0]).not.toHaveProperty('refKeys');
    expect(stored[1]).toMatchObject({ deps: [first?.id], refKeys: [`patients:${patient.id}`] });
    expect(await store.listOutbox()).toEqual(written);
  });

  it('an entry stored whole (the shape every earlier version wrote) reads the same and drains', async () => {
    const db = newDb();
    const clock = new ManualClock();
    const store = new DexieStore(db, { now: () => new Date(clock.now()) });
    const clientId = await store.getClientId();
    const patient = patientRow(crypto.randomUUID());
    const whole: LocalMutation = {
      id: crypto.randomUUID(),
      clientId,
      entity: 'patients',
      op: 'upsert',
      key: patient.id,
      data: patient,
      deps: [],
      actor: null,
      createdAt: new Date(clock.now()).toISOString(),
      state: 'pending',
      seq: 1,
      after: [],
      refKeys: [],
      before: null,
      createsRow: true,
      attempted: false,
    };
    await db.transaction('rw', db.patients, db.outbox, db.meta, async () => {
      await db.patients.add(patient);
      await db.outbox.add(whole);
      await db.meta.put({ key: 'nextSeq', value: 2 });
    });
    expect(await store.listOutbox()).toEqual([whole]);

    const server = new InProcessServer(REFERENCE_DATA, () => new Date(clock.now()));
    const transport = server.transport({ userId: STAFF, staffClinicId: CLINIC_ID }, () => null);
    const sync = new SyncEngine({ store, transport, clock, random: () => 0.5 });
    expect(await sync.drainOnce()).toMatchObject({ status: 'synced', pushed: 1 });
    expect(await store.listOutbox()).toEqual([]);
    expect(await store.getRow('patients', patient.id)).toMatchObject({ version: 1, clinic_id: CLINIC_ID });
  });
});
