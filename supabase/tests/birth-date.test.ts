/**
 * Date of birth (issue 8, part 4): a date that is today somewhere on Earth is accepted, however
 * late it is in UTC; the day after it is in the future everywhere and is refused.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newUser, sql } from './stack-clients.ts';
import { answer, patientRow, push, upsertPatient } from './sync-fixtures.ts';

/** Today's date in Kiribati (UTC+14), where every calendar day starts first. */
async function todayInKiribati(): Promise<string> {
  const [row] = await sql<{ d: string }>(`select (now() at time zone 'Pacific/Kiritimati')::date::text as d`);
  return row!.d;
}

describe('date of birth', () => {
  it('has as its latest accepted date today in UTC+14', async () => {
    const [row] = await sql<{ d: string }>('select private.latest_birth_date()::text as d');
    expect(row?.d).toBe(await todayInKiribati());
  });

  it('accepts today in UTC+14 through sync_push, and refuses the day after', async () => {
    const today = await todayInKiribati();
    const user = await newUser('born-today');
    const clientId = randomUUID();
    const born = upsertPatient(clientId, patientRow({ date_of_birth: today }));
    const applied = answer(await push(user.client, clientId, [born]), born.id, 'applied');
    expect(applied.row).toMatchObject({ date_of_birth: today });

    const [next] = await sql<{ d: string }>(`select ($1::date + 1)::text as d`, [today]);
    const unborn = upsertPatient(clientId, { ...born.data, date_of_birth: next!.d });
    const refused = answer(await push(user.client, clientId, [unborn]), unborn.id, 'rejected');
    expect(refused).toMatchObject({ code: 'validation', field: 'date_of_birth' });
  });
});
