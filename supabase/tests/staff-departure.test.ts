/**
 * A staff member taken off a clinic leaves no kiosk working as them (migration 20261206500000).
 * Before, the tablet still signed in as them went on sending walk-ins, and sync_push, which decides
 * ownership from the session, made each one a patient row of the former staff member's own account.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { anonClient, sql } from './stack-clients.ts';
import { createClinic, newStaff, patientRow, push, pushRaw, upsertPatient } from './sync-fixtures.ts';

async function ownedBy(userId: string): Promise<number> {
  const [row] = await sql<{ n: string }>('select count(*) as n from public.patients where user_id = $1', [
    userId,
  ]);
  return Number(row?.n ?? 0);
}

describe('a staff member taken off their clinic', () => {
  it.each([
    ['removed from the clinic', 'delete from public.staff where user_id = $1'],
    ['moved to another clinic', 'update public.staff set clinic_id = $2 where user_id = $1'],
  ])('when %s, their kiosk session sends no walk-in as their own profile', async (_what, change) => {
    const clinic = await createClinic(0);
    const other = await createClinic(0);
    const staff = await newStaff(clinic.clinicId, 'leaving-staff');
    const kiosk = randomUUID();
    const before = await push(staff.client, kiosk, [upsertPatient(kiosk, patientRow())]);
    expect(before[0]).toMatchObject({ status: 'applied' });

    await sql(change, change.includes('$2') ? [staff.userId, other.clinicId] : [staff.userId]);
    const walkIn = patientRow({ full_name: 'Meera Pathak' });
    const after = await pushRaw(staff.client, kiosk, [upsertPatient(kiosk, walkIn)]);
    expect(after.failure?.status).toBe(401);
    expect(await ownedBy(staff.userId)).toBe(0);
    const [stored] = await sql('select 1 from public.patients where id = $1', [walkIn.id]);
    expect(stored).toBeUndefined();
  });

  it('can sign in again afterwards: a session begun after leaving works', async () => {
    const clinic = await createClinic(0);
    const staff = await newStaff(clinic.clinicId, 'rejoining');
    await sql('delete from public.staff where user_id = $1', [staff.userId]);
    const again = anonClient();
    const { error } = await again.auth.signInWithPassword({
      email: staff.email,
      password: 'correct-horse-battery',
    });
    expect(error).toBeNull();
    const own = randomUUID();
    const results = await push(again, own, [upsertPatient(own, patientRow())]);
    expect(results[0]).toMatchObject({ status: 'applied' });
    expect(await ownedBy(staff.userId)).toBe(1);
  });
});
