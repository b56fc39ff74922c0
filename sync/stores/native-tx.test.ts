import { spawnSync } from 'node:child_process';
import { liveQuery } from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appointmentRow, patientRow } from '../testing/fixtures.ts';
import { ConsultDb } from './dexie-db.ts';
import { DexieStore } from './dexie-store.ts';
import { DEXIE_CHANGE_CHANNEL, nativeTransaction } from './native-tx.ts';

const open: ConsultDb[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  for (const db of open.splice(0)) await db.delete();
});

async function openDb(): Promise<ConsultDb> {
  const db = new ConsultDb(`native-tx-${crypto.randomUUID()}`);
  open.push(db);
  await db.open();
  return db;
}

function booking(): [ReturnType<typeof patientRow>, ReturnType<typeof appointmentRow>] {
  const patient = patientRow(crypto.randomUUID());
  return [patient, appointmentRow(crypto.randomUUID(), String(patient.id))];
}

describe("a save in IndexedDB's own transaction", () => {
  it('is how an open database saves: no Dexie transaction, and a live query sees the rows', async () => {
    const db = await openDb();
    const store = new DexieStore(db);
    const [patient, appointment] = booking();
    const seen = new Promise<unknown[]>((resolve, reject) => {
      const subscription = liveQuery(() => db.patients.toArray()).subscribe({
        next: (rows) => {
          if (rows.length === 0) return;
          subscription.unsubscribe();
          resolve(rows);
        },
        error: reject,
      });
    });
    const dexie = vi.spyOn(db, 'transaction');
    await store.writeAll([
      { entity: 'patients', op: 'upsert', row: patient, fresh: true },
      { entity: 'appointments', op: 'upsert', row: appointment, fresh: true },
    ]);
    expect(dexie).not.toHaveBeenCalled();
    expect(((await seen) as { id: string }[]).map((p) => p.id)).toEqual([patient.id]);
    expect(await db.outbox.count()).toBe(2);
  });

  it("tells the other contexts (tabs, the service worker) on Dexie's channel", async () => {
    const db = await openDb();
    const other = new BroadcastChannel(DEXIE_CHANGE_CHANNEL);
    const heard = new Promise<Record<string, unknown>>((resolve) => {
      other.onmessage = (event: MessageEvent) => resolve(event.data as Record<string, unknown>);
    });
    const [patient] = booking();
    await new DexieStore(db).write({ entity: 'patients', op: 'upsert', row: patient, fresh: true });
    const parts = Object.keys(await heard);
    other.close();
    expect(parts).toContain(`idb://${db.name}/patients/`);
    expect(parts).toContain(`idb://${db.name}/outbox/`);
  });

  it('keeps no Node process alive once it has announced a save', () => {
    const module = new URL('./native-tx.ts', import.meta.url).href;
    const script = `import { announce } from ${JSON.stringify(module)}; announce({});`;
    // A process the channel kept alive is killed at the timeout, and has no exit status.
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 20_000,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 30_000);

  it("without channels, uses Dexie's DOM event of the same name", async () => {
    const db = await openDb();
    const events: Event[] = [];
    vi.stubGlobal('BroadcastChannel', undefined);
    vi.stubGlobal('dispatchEvent', (event: Event) => events.push(event));
    const [patient] = booking();
    await new DexieStore(db).write({ entity: 'patients', op: 'upsert', row: patient, fresh: true });
    vi.unstubAllGlobals();
    expect(events.map((e) => e.type)).toEqual([DEXIE_CHANGE_CHANNEL]);
    expect(Object.keys((events[0] as CustomEvent).detail)).toContain(`idb://${db.name}/outbox/`);
  });

  it('keeps nothing when its scope fails, and rejects with the scope’s error', async () => {
    const db = await openDb();
    const [patient] = booking();
    const failed = nativeTransaction(db, ['patients', 'meta'], async (tx) => {
      await tx.addRows('patients', [patient]);
      await tx.putMeta('nextSeq', 7);
      throw new Error('refused after writing');
    });
    await expect(failed).rejects.toThrow('refused after writing');
    expect(await db.patients.count()).toBe(0);
    expect(await db.meta.get('nextSeq')).toBeUndefined();
  });

  it('a failed add rejects with its ConstraintError and keeps nothing; the store then saves again reading', async () => {
    const db = await openDb();
    const [patient, appointment] = booking();
    await db.patients.add(patient);
    const failed = nativeTransaction(db, ['patients', 'appointments'], async (tx) => {
      await Promise.all([tx.addRows('appointments', [appointment]), tx.addRows('patients', [patient])]);
    });
    await expect(failed).rejects.toMatchObject({ name: 'ConstraintError' });
    expect(await db.appointments.count()).toBe(0);
    // A "fresh" id that was stored after all: the store's second try puts the row.
    const store = new DexieStore(db);
    await store.write({
      entity: 'patients',
      op: 'upsert',
      row: { ...patient, full_name: 'Asha Verma' },
      fresh: true,
    });
    expect((await db.patients.get(String(patient.id)))?.full_name).toBe('Asha Verma');
  });

  it('answers the store’s other requests as Dexie did: ranges, indexes, counts, conflicts', async () => {
    const db = await openDb();
    const store = new DexieStore(db);
    const [patient, appointment] = booking();
    await store.writeAll([
      { entity: 'patients', op: 'upsert', row: patient, fresh: true },
      { entity: 'appointments', op: 'upsert', row: appointment, fresh: true },
    ]);
    await db.conflicts.bulkPut([
      { entity: 'patients', key: String(patient.id), field: 'phone', yours: '1', theirs: '2', at: 'now' },
      { entity: 'patients', key: String(patient.id), field: 'address', yours: 'a', theirs: 'b', at: 'now' },
    ]);
    const got = await nativeTransaction(
      db,
      ['outbox', 'appointments', 'conflicts', 'patients'],
      async (tx) => {
        const after = (await tx.mutationsAfter(1, 10)) as { seq: number }[];
        const byKey = await tx.mutationsByKey('patients', String(patient.id));
        const byRef = await tx.mutationsByRefKey(`patients:${patient.id}`);
        const pending = await tx.countMutations('pending');
        const ofPatient = await tx.appointmentsOfPatient(String(patient.id));
        await tx.deleteConflicts('patients', String(patient.id), ['phone']);
        const left = (await tx.listConflicts('patients', String(patient.id))) as { field: string }[];
        const row = await tx.getRow('patients', String(patient.id));
        return {
          after: after.map((m) => m.seq),
          byKey: byKey.length,
          byRef: byRef.length,
          pending,
          ofPatient: ofPatient.length,
          left: left.map((c) => c.field),
          row: (row as { id: string }).id,
        };
      },
    );
    expect(got).toEqual({
      after: [2],
      byKey: 1,
      byRef: 1,
      pending: 2,
      ofPatient: 1,
      left: ['address'],
      row: patient.id,
    });
  });
});
