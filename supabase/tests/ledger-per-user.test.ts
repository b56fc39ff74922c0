/**
 * Each account has its own sync ledger (issue 8, part 5): with A's client_id and mutation ids,
 * another account can neither learn whether A sent them nor claim them before A does.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newUser } from './stack-clients.ts';
import { answer, patientRow, push, upsertPatient } from './sync-fixtures.ts';

describe('sync ledger per account', () => {
  it("does not let another account claim A's mutation id before A sends it", async () => {
    const a = await newUser('ledger-a');
    const b = await newUser('ledger-b');
    const clientA = randomUUID();
    const mutationA = upsertPatient(clientA, patientRow());
    // B sends its own write under A's client id and A's mutation id first.
    const squat = { ...upsertPatient(clientA, patientRow()), id: mutationA.id };
    answer(await push(b.client, clientA, [squat]), squat.id, 'applied');

    const applied = answer(await push(a.client, clientA, [mutationA]), mutationA.id, 'applied');
    expect(applied.row).toMatchObject({ id: mutationA.key, user_id: a.userId });
  });

  it("answers another account's replay of A's mutation id as that account's own write, not A's", async () => {
    const a = await newUser('probe-a');
    const b = await newUser('probe-b');
    const clientA = randomUUID();
    const mutationA = upsertPatient(clientA, patientRow());
    answer(await push(a.client, clientA, [mutationA]), mutationA.id, 'applied');

    // Before: `forbidden` ("already pushed by another user") told B that A had sent this id.
    const probe = { ...upsertPatient(clientA, patientRow()), id: mutationA.id };
    const own = answer(await push(b.client, clientA, [probe]), probe.id, 'applied');
    expect(own.row).toMatchObject({ id: probe.key, user_id: b.userId });
  });
});
