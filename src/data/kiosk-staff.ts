/**
 * Staff sign-in for a kiosk: email and password, online, then the clinic the account is staff of
 * (the `staff` row, readable by its own user). An account that is not staff of any clinic is signed
 * out again at once: it must not become the identity the kiosk writes under.
 */
import { signInWithEmail } from './auth.ts';
import type { Services } from './services.ts';
import { forgetSession } from './sign-out.ts';

export interface StaffIdentity {
  userId: string;
  email: string;
  clinicId: string;
  clinicName: string;
}

export type StaffSignIn =
  | { ok: true; staff: StaffIdentity }
  | {
      ok: false;
      reason: 'credentials' | 'notStaff' | 'otherClinic' | 'failed' | 'unsent';
      message: string;
    };

/** `clinicId`: when set (a forgotten PIN), only staff of that clinic are accepted. */
export async function signInStaff(
  services: Services,
  email: string,
  password: string,
  clinicId?: string,
): Promise<StaffSignIn> {
  // A new kiosk, not a forgotten PIN: writes still queued here were made by whoever used the device
  // before (a patient's offline profile), and the staff session would send them as the clinic's (the
  // server makes such a profile a walk-in of the clinic). They go first, under their own account.
  if (clinicId === undefined) {
    const unsent = await queuedWrites(services);
    if (unsent > 0) return { ok: false, reason: 'unsent', message: String(unsent) };
  }
  const signedIn = await signInWithEmail(services, email.trim(), password);
  if (!signedIn.ok) return { ok: false, reason: 'credentials', message: signedIn.message };
  const client = await services.supabase();
  const notStaff = async (reason: 'notStaff' | 'otherClinic', message: string): Promise<StaffSignIn> => {
    await forgetSession(client);
    return { ok: false, reason, message };
  };
  const { data: userData, error: userError } = await client.auth.getUser();
  const user = userData.user;
  if (userError || !user) return { ok: false, reason: 'failed', message: userError?.message ?? 'no user' };
  const staff = await client.from('staff').select('clinic_id').eq('user_id', user.id).maybeSingle();
  if (staff.error) return { ok: false, reason: 'failed', message: staff.error.message };
  const staffClinic = (staff.data as { clinic_id?: unknown } | null)?.clinic_id;
  if (typeof staffClinic !== 'string') return notStaff('notStaff', user.email ?? user.id);
  if (clinicId && staffClinic !== clinicId) return notStaff('otherClinic', user.email ?? user.id);
  const clinic = await client.from('clinics').select('name').eq('id', staffClinic).maybeSingle();
  const name = (clinic.data as { name?: unknown } | null)?.name;
  return {
    ok: true,
    staff: {
      userId: user.id,
      email: user.email ?? email,
      clinicId: staffClinic,
      clinicName: typeof name === 'string' ? name : staffClinic,
    },
  };
}

/** Writes in the outbox, whatever their state: each would be sent under the next session. */
async function queuedWrites(services: Services): Promise<number> {
  const counts = await services.store.countOutbox();
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/**
 * Whether the session on the device now is a clinic staff member's (their own `staff` row is
 * readable): a kiosk setup reloaded before the PIN was chosen finds one. False offline or on error.
 */
export async function hasStaffSession(services: Services): Promise<boolean> {
  const client = await services.supabase();
  const { data } = await client.auth.getSession();
  const userId = data.session?.user.id;
  if (!userId) return false;
  const staff = await client.from('staff').select('clinic_id').eq('user_id', userId).maybeSingle();
  return !staff.error && staff.data !== null;
}
