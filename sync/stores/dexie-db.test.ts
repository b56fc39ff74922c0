import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { appointmentRow, patientRow } from '../testing/fixtures.ts';
import { ConsultDb, type OutboxV1, SCHEMA_V1, SCHEMA_V2 } from './dexie-db.ts';
import { DexieStore } from './dexie-store.ts';

const names: string[] = [];
afterEach(async () => {
  for (const name of names.splice(0)) await Dexie.delete(name);
});

const P = '11111111-1111-4111-8111-111111111111';
const A = '22222222-2222-4222-8222-222222222222';
const CLIENT = '33333333-3333-4333-8333-333333333333';
const M = [
  '44444444-4444-4444-8444-444444444401',
  '44444444-4444-4444-8444-444444444402',
  '44444444-4444-4444-8444-444444444403',
];

/** A database exactly as the v1 release left it on a device. */
async function createV1(
  name: string,
  outbox: OutboxV1[],
  extra: (db: Dexie) => Promise<void> = async () => {},
) {
  const v1 = new Dexie(name);
  v1.version(1).stores(SCHEMA_V1);
  await v1.open();
  await v1.table('patients').put(patientRow(P));
  await v1.table('appointments').put(appointmentRow(A, P));
  await v1.table('outbox').bulkPut(outbox);
  await extra(v1);
  v1.close();
}

describe('ConsultDb v1 → v2', () => {
  it('migrates the v1 outbox: seq from createdAt, states, derived dependencies', async () => {
    const name = `migrate-${crypto.randomUUID()}`;
    names.push(name);
    const base = { clientId: CLIENT, actor: null } as const;
    await createV1(name, [
      // Stored out of order on purpose: v1 ordered by createdAt.
      {
        ...base,
        id: M[1] as string,
        entity: 'appointments',
        op: 'upsert',
        key: A,
        data: appointmentRow(A, P),
        createdAt: '2030-01-01T00:00:02Z',
        status: 'queued',
      },
      {
        ...base,
        id: M[0] as string,
        entity: 'patients',
        op: 'upsert',
        key: P,
        data: patientRow(P),
        createdAt: '2030-01-01T00:00:01Z',
        status: 'queued',
      },
      {
        ...base,
        id: M[2] as string,
        entity: 'patients',
        op: 'upsert',
        key: P,
        data: patientRow(P, { full_name: 'X' }),
        createdAt: '2030-01-01T00:00:03Z',
        status: 'failed',
        lastError: 'name too short',
      },
    ]);
    const db = new ConsultDb(name);
    const store = new DexieStore(db);
    const outbox = await store.listOutbox();
    expect(outbox.map((m) => [m.id, m.seq, m.state])).toEqual([
      [M[0], 1, 'pending'],
      [M[1], 2, 'pending'],
      [M[2], 3, 'rejected'],
    ]);
    expect(outbox[1]?.deps).toEqual([M[0]]);
    expect(outbox[2]?.deps).toEqual([M[0]]);
    expect(outbox[2]?.error).toMatchObject({ message: 'name too short' });
    expect(outbox.every((m) => m.attempted && !m.createsRow)).toBe(true);
    expect(await store.getRow('appointments', A)).toMatchObject({ patient_id: P });
    // New writes continue after the migrated seqs.
    const next = await store.write({
      entity: 'patients',
      op: 'upsert',
      row: patientRow(P, { full_name: 'Y' }),
    });
    expect(next.seq).toBe(4);
    expect(next.deps).toEqual([M[2]]);
    db.close();
  });

  it('quarantines v1 records that do not parse as v2, without failing the upgrade', async () => {
    const name = `migrate-bad-${crypto.randomUUID()}`;
    names.push(name);
    await createV1(name, [], async (v1) => {
      await v1.table('outbox').put({
        id: 'not-a-uuid',
        entity: 'patients',
        op: 'upsert',
        key: P,
        data: {},
        createdAt: 'x',
        status: 'queued',
        clientId: CLIENT,
      });
      await v1.table('patients').put({ id: 'broken', date_of_birth: 'yesterday' });
    });
    const db = new ConsultDb(name);
    const store = new DexieStore(db);
    expect(await store.listOutbox()).toEqual([]);
    expect(await store.listRows('patients')).toEqual([patientRow(P)]);
    expect((await store.listQuarantine()).map((q) => [q.table, q.key])).toEqual([
      ['outbox', 'not-a-uuid'],
      ['patients', 'broken'],
    ]);
    db.close();
  });

  it('closes on versionchange and tells the app', async () => {
    const name = `vc-${crypto.randomUUID()}`;
    names.push(name);
    let told = 0;
    const db = new ConsultDb(name, { onVersionChange: () => told++ });
    await db.open();
    const newer = new Dexie(name);
    newer.version(30).stores({ meta: '&key' });
    await newer.open();
    expect(told).toBe(1);
    expect(db.isOpen()).toBe(false);
    newer.close();
  });
});

describe('ConsultDb v2 → v3', () => {
  it('keeps the rows and the outbox a v2 device holds, and adds the conflicts table', async () => {
    const name = `migrate-v3-${crypto.randomUUID()}`;
    names.push(name);
    const v2 = new Dexie(name);
    v2.version(1).stores(SCHEMA_V1);
    v2.version(2).stores(SCHEMA_V2);
    await v2.open();
    await v2.table('patients').put(patientRow(P));
    v2.close();
    const store = new DexieStore(new ConsultDb(name));
    expect(await store.getRow('patients', P)).toMatchObject({ id: P });
    expect(
      await store.write({
        entity: 'patients',
        op: 'upsert',
        row: { ...patientRow(P), address: 'Ward 3' },
        base: patientRow(P),
      }),
    ).toMatchObject({
      base: { address: patientRow(P).address },
    });
    await store.apply({
      conflicts: [
        { entity: 'patients', key: P, field: 'phone', yours: '1', theirs: '2', at: '2030-01-01T00:00:00Z' },
      ],
    });
    expect(await store.listConflicts('patients', P)).toHaveLength(1);
    store.db.close();
  });
});
