import { describe, expect, it } from 'vitest';
import { patientRow } from '../../sync/testing/fixtures.ts';
import { MemoryStore } from '../../sync/testing/memory-store.ts';
import { patientIndex } from './kiosk-index.ts';
import { changeSweeper, type SweepStore, sweepPatients } from './kiosk-session.ts';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';

async function setup(name: string) {
  const store = new MemoryStore();
  const key = (await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])) as CryptoKey;
  return { store, index: patientIndex(name, key) };
}

/** A patient as a pull brings them: a server row, nothing in the outbox. */
async function pulled(store: MemoryStore, id: string, fullName: string) {
  await store.apply({
    serverRows: [
      { table: 'patients', key: id, row: { ...patientRow(id, { full_name: fullName }), version: 1 } },
    ],
  });
}

describe('kiosk sweep', () => {
  it('turns pulled patients into index entries and removes their rows, keeping the one at the tablet', async () => {
    const { store, index } = await setup('sweep-pulled');
    await pulled(store, A, 'Asha Devi');
    await pulled(store, B, 'Bina Rai');
    await sweepPatients({ store }, index, [B]);
    expect((await store.listRows('patients')).map((p) => p.id)).toEqual([B]);
    expect(await index.find({ kind: 'name', text: 'asha devi', birth: '1984-03-02' })).toEqual([
      { patientId: A, firstName: 'Asha', birthYear: '1984' },
    ]);
  });

  it('indexes a patient as a kiosk pull sends them: the match fields only', async () => {
    const { store, index } = await setup('sweep-kiosk-row');
    // sync_pull(kiosk => true): no address, emergency contact, owner or timestamps.
    const row = {
      id: A,
      full_name: 'Asha Devi',
      date_of_birth: '1984-03-02',
      phone: '+919812345678',
      sex: 'female',
      preferred_language: 'hi',
      version: 1,
    };
    await store.apply({ serverRows: [{ table: 'patients', key: A, row }] });
    await sweepPatients({ store }, index);
    expect(await store.listRows('patients')).toEqual([]);
    expect(await index.find({ kind: 'phone', text: '9812345678', birth: '1984' })).toEqual([
      { patientId: A, firstName: 'Asha', birthYear: '1984' },
    ]);
  });

  it('keeps a patient whose registration is unsent, and removes them once it is sent', async () => {
    const { store, index } = await setup('sweep-unsent');
    await store.write({ entity: 'patients', op: 'upsert', row: patientRow(C, { full_name: 'Chanda Devi' }) });
    expect(await sweepPatients({ store }, index)).toEqual([C]);
    expect(await store.listRows('patients')).toHaveLength(1);
    const [entry] = await store.listOutbox();
    await store.apply({ remove: [entry?.id ?? ''] });
    await sweepPatients({ store }, index);
    expect(await store.listRows('patients')).toEqual([]);
    expect(await index.find({ kind: 'phone', text: '9812345678', birth: '1984' })).toHaveLength(1);
  });

  it('does not purge again and again for a patient kept by an unsent write', async () => {
    const { store, index } = await setup('sweep-quiet');
    await store.write({ entity: 'patients', op: 'upsert', row: patientRow(C) });
    let purges = 0;
    const counting: SweepStore = {
      listRows: (table) => store.listRows(table),
      listOutbox: () => store.listOutbox(),
      purge: (filter) => {
        purges++;
        return store.purge(filter);
      },
    };
    const sweep = changeSweeper({ store: counting }, index);
    await sweep([]);
    await sweep([]);
    await sweep([]);
    expect(purges).toBe(1);
  });
});
