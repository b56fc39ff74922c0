/**
 * One bad mutation never fails a whole sync_push (issue 8, part 1): each is parsed and checked on
 * its own, so it is answered `rejected` with a reason naming what is wrong, and the rest of the
 * batch applies. Before, a U+0000 in any text, a null entity or key, or an unexpected error answered
 * the whole call with HTTP 400 and jammed the device's outbox.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { newUser, sql, type TestUser } from './stack-clients.ts';
import { patientRow, pushRaw, upsertPatient } from './sync-fixtures.ts';

interface RawAnswer {
  id: string | null;
  status: string;
  code?: string;
  message?: string;
  field?: string | null;
}

/** Pushes `bad` between two good writes of the user's own profile; both must apply. */
async function pushBetweenGood(
  user: TestUser,
  clientId: string,
  bad: unknown,
): Promise<{ answers: RawAnswer[]; goodIds: string[] }> {
  // Two users cannot both own a profile; staff-less accounts own one patient each, so the good
  // writes are an upsert and an update of the same profile.
  const patient = patientRow();
  const first = upsertPatient(clientId, patient);
  const second = upsertPatient(clientId, { ...patient, address: 'Ward 5, Mahmudabad' });
  const { data, failure } = await pushRaw(user.client, clientId, [first, bad, second]);
  expect(failure).toBeNull();
  const rows = await sql<{ address: string }>('select address from public.patients where id = $1', [
    patient.id,
  ]);
  expect(rows).toEqual([{ address: 'Ward 5, Mahmudabad' }]);
  return { answers: data as RawAnswer[], goodIds: [first.id, second.id] };
}

function expectRejectedBetweenApplied(answers: RawAnswer[], goodIds: string[]): RawAnswer {
  expect(answers).toHaveLength(3);
  expect([answers[0]?.id, answers[0]?.status]).toEqual([goodIds[0], 'applied']);
  expect([answers[2]?.id, answers[2]?.status]).toEqual([goodIds[1], 'applied']);
  expect(answers[1]).toMatchObject({ status: 'rejected', code: 'validation' });
  return answers[1]!;
}

/** A second account's patient upsert, as a bad mutation's vehicle: it must be refused alone. */
function patientMutation(clientId: string, overrides: Record<string, unknown>): Record<string, unknown> {
  return { ...upsertPatient(clientId, patientRow()), ...overrides };
}

describe('sync_push: one bad mutation is rejected alone', () => {
  it('rejects a text value holding U+0000, naming the field, and applies the rest', async () => {
    const user = await newUser('nul');
    const clientId = randomUUID();
    const bad = upsertPatient(clientId, patientRow({ full_name: 'Sunita\u0000Devi' }));
    const { answers, goodIds } = await pushBetweenGood(user, clientId, bad);
    const rejected = expectRejectedBetweenApplied(answers, goodIds);
    expect(rejected).toMatchObject({ id: bad.id, field: 'full_name' });
    expect(rejected.message).toContain('U+0000');
  });

  it('stores a backslash followed by "u0000" as typed: only a real U+0000 is refused', async () => {
    const user = await newUser('backslash');
    const clientId = randomUUID();
    const patient = patientRow({ address: 'C:\\u0000 \\\u0041' });
    const { data, failure } = await pushRaw(user.client, clientId, [upsertPatient(clientId, patient)]);
    expect(failure).toBeNull();
    expect(data).toMatchObject([{ status: 'applied', row: { address: 'C:\\u0000 \\A' } }]);
  });

  it('rejects U+0000 in the envelope (the key) too', async () => {
    const user = await newUser('nul-key');
    const clientId = randomUUID();
    const bad = patientMutation(clientId, { key: '\u0000' });
    const { answers, goodIds } = await pushBetweenGood(user, clientId, bad);
    const rejected = expectRejectedBetweenApplied(answers, goodIds);
    expect(rejected).toMatchObject({ id: bad.id, field: 'key' });
  });

  for (const [what, overrides, field, words] of [
    ['a null entity', { entity: null }, 'entity', 'entity is required'],
    ['a missing entity', { entity: undefined }, 'entity', 'entity is required'],
    ['a null key', { key: null }, 'key', 'key is required'],
    ['a missing key', { key: undefined }, 'key', 'key is required'],
    ['a null data', { data: null }, 'data', 'an upsert needs data'],
    ['a missing data', { data: undefined }, 'data', 'an upsert needs data'],
  ] as const) {
    it(`rejects ${what} and applies the rest`, async () => {
      const user = await newUser('envelope');
      const clientId = randomUUID();
      const bad = patientMutation(clientId, overrides);
      const { answers, goodIds } = await pushBetweenGood(user, clientId, bad);
      const rejected = expectRejectedBetweenApplied(answers, goodIds);
      expect(rejected).toMatchObject({ id: bad.id, field });
      expect(rejected.message).toContain(words);
    });
  }

  for (const [what, overrides] of [
    ['a null id', { id: null }],
    ['a missing id', { id: undefined }],
  ] as const) {
    it(`rejects ${what} with a clear reason and applies the rest`, async () => {
      const user = await newUser('no-id');
      const clientId = randomUUID();
      const bad = patientMutation(clientId, overrides);
      const { answers, goodIds } = await pushBetweenGood(user, clientId, bad);
      const rejected = expectRejectedBetweenApplied(answers, goodIds);
      expect(rejected).toMatchObject({ id: null, field: 'id', message: 'id is required' });
    });
  }

  it('answers a batch of malformed values mutation by mutation, never failing the call', async () => {
    const user = await newUser('malformed');
    const clientId = randomUUID();
    const uuidish = () => ({ id: randomUUID(), clientId, key: randomUUID() });
    const batch = [
      1,
      'x',
      null,
      [],
      { deps: 5 },
      { deps: [{}] },
      { ...uuidish(), entity: 'appointments', op: 'upsert', data: { patient_id: {} } },
      { id: 7, entity: 7, key: 7, op: 7, data: 7, seq: 'a', clientId: 7 },
      { ...uuidish(), entity: 'patients', op: 'delete', seq: -1 },
      { ...uuidish(), entity: 'patients', op: 'upsert', data: { full_name: 'x'.repeat(100_000) } },
    ];
    const { data, failure } = await pushRaw(user.client, clientId, batch);
    expect(failure).toBeNull();
    const answers = data as RawAnswer[];
    expect(answers.map((a) => a.status)).toEqual(batch.map(() => 'rejected'));
    expect(answers.map((a) => a.field ?? null)).toEqual([
      null,
      null,
      null,
      null,
      'id',
      'id',
      'patient_id',
      'id',
      'seq',
      'full_name',
    ]);
  });

  describe('an error the server did not foresee', () => {
    afterEach(async () => {
      await sql('drop trigger if exists patients_00_test_fault on public.patients');
      await sql('drop function if exists public.test_fault()');
    });

    it('rejects only the mutation that raised it, with its message', async () => {
      // A stand-in for a server bug: any row named "Boom" raises a plain exception (P0001).
      await sql(`create function public.test_fault() returns trigger language plpgsql as $$
        begin
          if new.full_name = 'Boom' then raise exception 'test fault for %', new.id; end if;
          return new;
        end $$`);
      await sql(`create trigger patients_00_test_fault before insert or update on public.patients
        for each row execute function public.test_fault()`);
      const user = await newUser('fault');
      const clientId = randomUUID();
      const bad = upsertPatient(clientId, patientRow({ full_name: 'Boom' }));
      const { answers, goodIds } = await pushBetweenGood(user, clientId, bad);
      const rejected = expectRejectedBetweenApplied(answers, goodIds);
      expect(rejected.id).toBe(bad.id);
      expect(rejected.message).toContain('test fault for');
    });
  });
});
