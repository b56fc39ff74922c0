/**
 * No lost updates (issue 8, part 2), on the real stack: two devices of one user (two tabs, or a
 * phone and a kiosk) edit the same patient through the engine, each from the row its form showed.
 * Different fields both survive; the same field keeps the first write to reach the server, and the
 * device whose edit lost holds a conflict notice for that field.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../sync/local-mutation.ts';
import { SyncEngine } from '../../sync/sync-engine.ts';
import { patientRow } from '../../sync/testing/fixtures.ts';
import { ManualClock } from '../../sync/testing/manual-clock.ts';
import { MemoryStore } from '../../sync/testing/memory-store.ts';
import { SupabaseTransport } from '../../sync/transports/supabase.ts';
import { newUser, sql, type TestUser } from './stack-clients.ts';

function device(user: TestUser) {
  const store = new MemoryStore();
  const engine = new SyncEngine({
    store,
    transport: new SupabaseTransport(user.client),
    clock: new ManualClock(),
  });
  return { store, engine };
}

/** A user with one synced patient, and two devices that both hold it (their forms show it). */
async function twoDevicesOnOnePatient(label: string) {
  const user = await newUser(label);
  const a = device(user);
  const b = device(user);
  const patient = patientRow(randomUUID());
  await a.store.write({ entity: 'patients', op: 'upsert', row: patient });
  expect(await a.engine.drainOnce()).toMatchObject({ status: 'synced', pushed: 1 });
  expect(await b.engine.drainOnce()).toMatchObject({ status: 'synced' });
  const shown = (await b.store.getRow('patients', patient.id)) as Row;
  expect(shown).toMatchObject({ id: patient.id, version: 1 });
  return { a, b, shown };
}

async function serverRow(id: string): Promise<Row | undefined> {
  const [row] = await sql('select phone, address, full_name, version from patients where id = $1', [id]);
  return row;
}

describe('field-level writes through the engine', () => {
  it('two devices changing different fields of one patient: both changes survive', async () => {
    const { a, b, shown } = await twoDevicesOnOnePatient('fields-different');
    await a.store.write({
      entity: 'patients',
      op: 'upsert',
      row: { ...shown, phone: '+919800000001' },
      base: shown,
    });
    expect(await a.engine.drainOnce()).toMatchObject({ status: 'synced', pushed: 1 });
    // Device B's form still shows the old phone; it changes only the address.
    await b.store.write({
      entity: 'patients',
      op: 'upsert',
      row: { ...shown, address: 'Ward 9, Rampur' },
      base: shown,
    });
    expect(await b.engine.drainOnce()).toMatchObject({ status: 'synced', pushed: 1 });

    expect(await serverRow(String(shown.id))).toEqual({
      phone: '+919800000001',
      address: 'Ward 9, Rampur',
      full_name: shown.full_name,
      version: 3,
    });
    expect(await b.store.getRow('patients', String(shown.id))).toMatchObject({
      phone: '+919800000001',
      address: 'Ward 9, Rampur',
    });
    expect(await b.store.listConflicts('patients', String(shown.id))).toEqual([]);
  });

  it('two devices changing the same field: the first to arrive wins, the other is told', async () => {
    const { a, b, shown } = await twoDevicesOnOnePatient('fields-same');
    const id = String(shown.id);
    await a.store.write({
      entity: 'patients',
      op: 'upsert',
      row: { ...shown, phone: '+919800000001' },
      base: shown,
    });
    expect(await a.engine.drainOnce()).toMatchObject({ status: 'synced', pushed: 1 });
    await b.store.write({
      entity: 'patients',
      op: 'upsert',
      row: { ...shown, phone: '+919800000002', address: 'Ward 9, Rampur' },
      base: shown,
    });
    expect(await b.engine.drainOnce()).toMatchObject({ status: 'synced', pushed: 1 });

    // B's address applies; its phone does not.
    expect(await serverRow(id)).toMatchObject({
      phone: '+919800000001',
      address: 'Ward 9, Rampur',
      version: 3,
    });
    expect(await b.store.getRow('patients', id)).toMatchObject({ phone: '+919800000001' });
    expect(await b.store.listConflicts('patients', id)).toEqual([
      expect.objectContaining({ field: 'phone', yours: '+919800000002', theirs: '+919800000001' }),
    ]);
    expect(await a.store.listConflicts('patients', id)).toEqual([]);
  });
});
