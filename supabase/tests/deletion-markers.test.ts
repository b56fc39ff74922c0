/**
 * Tombstones and delete markers belong to the owner of the deleted row (issue 8, part 5): another
 * account can neither re-stamp them (which let a late write bring a deleted row back), nor clear
 * them by creating a row under the deleted id, nor leave markers that nobody owns.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Mutation } from '../../sync/protocol.ts';
import { newUser, sql } from './stack-clients.ts';
import { answer, mutation, patientRow, push } from './sync-fixtures.ts';

const withSeq = (m: Mutation, seq: number): Mutation => ({ ...m, seq });

async function tombstone(id: string) {
  return sql<{
    owner_user_id: string | null;
    clinic_id: string | null;
    last_client_id: string | null;
    seq: string | null;
  }>(
    `select owner_user_id, clinic_id, last_client_id, last_client_seq::text as seq
     from public.sync_tombstones where entity = 'patients' and id = $1`,
    [id],
  );
}

describe('deletion markers', () => {
  it("refuses another account's delete of a deleted row, so a late write of the owner stays superseded", async () => {
    const a = await newUser('marker-a');
    const b = await newUser('marker-b');
    const clientA = randomUUID();
    const clientB = randomUUID();
    const patient = patientRow();
    const key = String(patient.id);
    const create = withSeq(mutation(clientA, { entity: 'patients', data: patient }), 10);
    const lateUpsert = withSeq(
      mutation(clientA, { entity: 'patients', data: { ...patient, address: 'Late' } }),
      15,
    );
    const remove = withSeq(mutation(clientA, { entity: 'patients', op: 'delete', key }), 20);
    answer(await push(a.client, clientA, [create]), create.id, 'applied');
    answer(await push(a.client, clientA, [remove]), remove.id, 'applied');

    const bDelete = withSeq(mutation(clientB, { entity: 'patients', op: 'delete', key }), 99);
    const refused = answer(await push(b.client, clientB, [bDelete]), bDelete.id, 'rejected');
    expect(refused.code).toBe('forbidden');
    expect(await tombstone(key)).toEqual([
      { owner_user_id: a.userId, clinic_id: null, last_client_id: clientA, seq: '20' },
    ]);

    const late = answer(await push(a.client, clientA, [lateUpsert]), lateUpsert.id, 'applied');
    expect(late.row).toBeNull();
    expect(await sql('select id from public.patients where id = $1', [key])).toEqual([]);
  });

  it("refuses a row created under someone else's deleted id, and keeps their tombstone", async () => {
    const a = await newUser('reuse-a');
    const b = await newUser('reuse-b');
    const clientA = randomUUID();
    const clientB = randomUUID();
    const patient = patientRow();
    const key = String(patient.id);
    const create = withSeq(mutation(clientA, { entity: 'patients', data: patient }), 1);
    const remove = withSeq(mutation(clientA, { entity: 'patients', op: 'delete', key }), 2);
    await push(a.client, clientA, [create, remove]);

    const reuse = withSeq(
      mutation(clientB, { entity: 'patients', data: { ...patient, full_name: 'Other' } }),
      1,
    );
    const refused = answer(await push(b.client, clientB, [reuse]), reuse.id, 'rejected');
    expect(refused).toMatchObject({ code: 'forbidden', field: 'id' });
    expect(await tombstone(key)).toHaveLength(1);
    expect(await sql('select id from public.patients where id = $1', [key])).toEqual([]);
  });

  it('lets the owner create their own row again under the deleted id, which clears the tombstone', async () => {
    const a = await newUser('again');
    const clientA = randomUUID();
    const patient = patientRow();
    const key = String(patient.id);
    await push(a.client, clientA, [
      withSeq(mutation(clientA, { entity: 'patients', data: patient }), 1),
      withSeq(mutation(clientA, { entity: 'patients', op: 'delete', key }), 2),
    ]);
    const again = withSeq(mutation(clientA, { entity: 'patients', data: patient }), 3);
    answer(await push(a.client, clientA, [again]), again.id, 'applied');
    expect(await tombstone(key)).toEqual([]);
  });

  it('gives the marker of an id that never reached the server to the account that deleted it', async () => {
    const a = await newUser('never');
    const clientA = randomUUID();
    const key = randomUUID();
    const remove = withSeq(mutation(clientA, { entity: 'patients', op: 'delete', key }), 5);
    answer(await push(a.client, clientA, [remove]), remove.id, 'applied');
    expect(await tombstone(key)).toEqual([
      { owner_user_id: a.userId, clinic_id: null, last_client_id: clientA, seq: '5' },
    ]);
    const ownerless = await sql<{ n: string }>(
      'select count(*)::text as n from public.sync_tombstones where owner_user_id is null and clinic_id is null',
    );
    expect(ownerless).toEqual([{ n: '0' }]);
  });
});
