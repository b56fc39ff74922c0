/**
 * Getting an account while this phone already holds someone's data. Two very different things hide
 * behind "create account" and "sign in":
 *
 * - upgrade: the anonymous user gets an email (or phone) and keeps their user id, so their patient
 *   row and appointments stay theirs; nothing on the device changes.
 * - switch: a session for another user replaces the current one. What the device holds belongs to the
 *   previous user: refused while any of it is unsent (it would be sent as the new user, or lost), and
 *   otherwise removed from this phone once the new session exists (it stays on the server with the
 *   account it belongs to; an anonymous account cannot be opened again).
 *
 * `planAccountChange` decides (pure, unit-tested); `switchAccount` and the upgrade calls act.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { LocalMutation } from '../../sync/local-mutation.ts';
import { saveAuthChoice } from '../lib/device-prefs.ts';
import type { Services } from './services.ts';
import { madeByAnother, type SessionUser, sessionUserNow } from './session-user.ts';
import { clearDeviceData } from './sign-out.ts';

export type CurrentUser = { kind: 'none' } | { kind: 'anonymous' } | { kind: 'user'; who: string };

export interface AccountIntent {
  /** `create`: a new email/phone; `sign-in`: an account that already exists. */
  action: 'create' | 'sign-in';
  /** The email or phone typed. */
  identifier: string;
}

export type AccountPlan =
  /** Nobody else's data is at stake (no session, or the same account again): sign in or up as usual. */
  | { kind: 'plain' }
  /** Anonymous → account: link the email/phone to the anonymous user; rows stay theirs. */
  | { kind: 'upgrade' }
  /** Another account while writes of the current one are unsent: refused, naming them. */
  | { kind: 'refuse-unsent'; unsent: readonly LocalMutation[] }
  /**
   * Another account: sign in, then remove the current user's rows from this phone. `confirm` when
   * there are rows to remove, so the patient is told first.
   */
  | { kind: 'switch'; confirm: boolean };

/** Emails compare case-insensitively; phones without spaces, dashes or a leading +. */
export function sameIdentifier(a: string, b: string): boolean {
  const norm = (s: string) =>
    s.includes('@') ? s.trim().toLowerCase() : s.replace(/[\s-]/g, '').replace(/^\+/, '');
  return norm(a) !== '' && norm(a) === norm(b);
}

export function planAccountChange(input: {
  current: CurrentUser;
  intent: AccountIntent;
  outbox: readonly LocalMutation[];
  /** Patient and appointment rows on the device. */
  localRows: number;
}): AccountPlan {
  const { current, intent, outbox, localRows } = input;
  if (current.kind === 'none') return { kind: 'plain' };
  if (current.kind === 'user' && sameIdentifier(current.who, intent.identifier)) return { kind: 'plain' };
  if (current.kind === 'anonymous' && intent.action === 'create') return { kind: 'upgrade' };
  if (outbox.length > 0) return { kind: 'refuse-unsent', unsent: outbox };
  return { kind: 'switch', confirm: localRows > 0 };
}

/**
 * The unsent writes a switch would put at stake: the session user's own. Another account's (left by
 * a lost session) are kept through a switch, never sent as anyone else's (own-writes.ts), and sent
 * when their account signs in again (own-refusals.ts). Counted, they refused that very sign-in:
 * "signing in to another account would lose it", when signing in to it is what sends them.
 */
export function writesAtStake(outbox: readonly LocalMutation[], user: SessionUser | null): LocalMutation[] {
  return user ? outbox.filter((m) => !madeByAnother(m.actor, user)) : [...outbox];
}

/** What the plan needs to know about the device and the session, read once. */
export async function readAccountSituation(
  services: Services,
  current: CurrentUser,
  intent: AccountIntent,
): Promise<AccountPlan> {
  const [outbox, patients, appointments] = await Promise.all([
    services.store.listOutbox(),
    services.store.listRows('patients'),
    services.store.listRows('appointments'),
  ]);
  return planAccountChange({
    current,
    intent,
    outbox: writesAtStake(outbox, sessionUserNow().user),
    localRows: patients.length + appointments.length,
  });
}

export type ChangeOutcome =
  | { ok: true; confirmEmail?: boolean }
  | { ok: false; reason: 'unsent'; count: number; message: string }
  | { ok: false; reason: 'exists' | 'unsupported' | 'error'; message: string };

type AuthError = { message: string; code?: string | undefined; status?: number | undefined } | null;

/** The server's way of saying "this email/phone already belongs to an account". */
export function isAlreadyRegistered(error: NonNullable<AuthError>): boolean {
  if (error.code && ['email_exists', 'phone_exists', 'user_already_exists'].includes(error.code)) return true;
  return /already (been )?registered|already exists|duplicate key|unique constraint/i.test(error.message);
}

function failed(error: NonNullable<AuthError>): ChangeOutcome {
  return {
    ok: false,
    reason: isAlreadyRegistered(error) ? 'exists' : 'error',
    // The local stand-in answers some failures with an empty body ("{}").
    message:
      error.message && error.message !== '{}' ? error.message : `server error ${error.status ?? ''}`.trim(),
  };
}

async function authOf(services: Services): Promise<SupabaseClient['auth']> {
  return (await services.supabase()).auth;
}

/**
 * Anonymous → email account: the same user id, so the patient row and appointments stay theirs.
 * A server that confirms emails first leaves the user anonymous until the link is followed.
 */
export async function upgradeWithEmail(
  services: Services,
  email: string,
  password: string,
): Promise<ChangeOutcome> {
  const auth = await authOf(services);
  const { data, error } = await auth.updateUser({ email, password });
  if (error) return failed(error);
  // New claims (is_anonymous false) in the access token too, not only in the user record.
  await auth.refreshSession().catch(() => undefined);
  saveAuthChoice('account');
  services.engine.syncNow();
  return data.user?.is_anonymous ? { ok: true, confirmEmail: true } : { ok: true };
}

/** Anonymous → phone: the server texts a code to confirm the number (`verifyPhoneUpgrade`). */
export async function startPhoneUpgrade(services: Services, phone: string): Promise<ChangeOutcome> {
  const { data, error } = await (await authOf(services)).updateUser({ phone });
  if (error) return failed(error);
  const user = data.user;
  const pending = user?.new_phone ?? user?.phone ?? '';
  // A server that ignored the phone (the local auth stand-in links emails only) sent no code.
  if (!sameIdentifier(pending, phone))
    return { ok: false, reason: 'unsupported', message: 'adding a phone number is not available' };
  return { ok: true };
}

export async function verifyPhoneUpgrade(
  services: Services,
  phone: string,
  token: string,
): Promise<ChangeOutcome> {
  const { error } = await (await authOf(services)).verifyOtp({ phone, token, type: 'phone_change' });
  if (error) return failed(error);
  saveAuthChoice('account');
  services.engine.syncNow();
  return { ok: true };
}

/**
 * Signs in to another account and, once that worked and the user really changed, removes the
 * previous user's rows and resets the pull cursor. The engine is stopped meanwhile, so no drain
 * sends or pulls across the change; a failed sign-in changes nothing.
 */
export async function switchAccount(
  services: Services,
  signIn: (auth: SupabaseClient['auth']) => Promise<{ error: AuthError }>,
): Promise<ChangeOutcome> {
  const auth = await authOf(services);
  const before = (await auth.getSession()).data.session?.user.id ?? null;
  await services.engine.stop();
  try {
    // Checked again with the engine stopped: a write may have landed since the plan.
    const outbox = writesAtStake(await services.store.listOutbox(), sessionUserNow().user);
    if (outbox.length > 0)
      return {
        ok: false,
        reason: 'unsent',
        count: outbox.length,
        message: `${outbox.length} unsent change(s)`,
      };
    const { error } = await signIn(auth);
    if (error) return failed(error);
    const after = (await auth.getSession()).data.session?.user.id ?? null;
    if (after !== before) await clearDeviceData(services);
    saveAuthChoice('account');
    return { ok: true };
  } finally {
    services.engine.start();
    services.engine.syncNow();
  }
}
