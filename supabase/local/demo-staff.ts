/**
 * A demo staff account for the local stack, so a kiosk can be set up with `npm start` out of the box:
 * a receptionist of Sitapur District Hospital OPD (the first seeded clinic). Created at every stack
 * start if missing, here and not in supabase/seed.sql: on hosted Supabase, auth users are made by
 * GoTrue (sign-up or the dashboard), never by an insert into auth.users, so the seed cannot hold one.
 */
import pg from 'pg';
import { hashPassword } from './auth-users.ts';

export const DEMO_STAFF = {
  email: 'reception@sitapur.demo',
  password: 'kiosk-demo-1',
  clinicId: 'c1a1c000-0000-4000-8000-000000000001',
} as const;

/** Idempotent: an existing user or staff row is left as it is. Returns the staff user's id. */
export async function ensureDemoStaff(dbUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const existing = await client.query<{ id: string }>('select id from auth.users where email = $1', [
      DEMO_STAFF.email,
    ]);
    let id = existing.rows[0]?.id;
    if (!id) {
      const created = await client.query<{ id: string }>(
        `insert into auth.users (email, encrypted_password, email_confirmed_at)
         values ($1, $2, now()) returning id`,
        [DEMO_STAFF.email, await hashPassword(DEMO_STAFF.password)],
      );
      id = created.rows[0]?.id;
    }
    if (!id) throw new Error('could not create the demo staff user');
    await client.query(
      'insert into public.staff (user_id, clinic_id) values ($1, $2) on conflict (user_id) do nothing',
      [id, DEMO_STAFF.clinicId],
    );
    return id;
  } finally {
    await client.end();
  }
}
