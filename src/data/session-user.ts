/**
 * Who the writes on this phone belong to. Each write is stamped with the account whose session the
 * device held when it was made (`Mutation.actor`), and `own-writes.ts` sends it only under that
 * account. Seen without it: a patient's session was lost (signed out elsewhere, a refresh token
 * revoked) with their offline profile queued; the header said "sign in to send", someone else
 * signed in on the phone, and the first patient's profile was sent as the second one's own.
 *
 * The user is read from the session supabase-js keeps (`consult-auth`) at start-up, so writes made
 * offline before supabase-js loads are stamped too, then followed through the client's auth events.
 * Kiosk writes are the clinic's, whichever staff member's session sends them: never stamped.
 */
import { isKioskDevice } from './kiosk-config-store.ts';

export interface SessionUser {
  id: string;
  anonymous: boolean;
}

const ANONYMOUS = 'anonymous:';

/** What a write made under `user` carries as its actor. */
export function actorOf(user: SessionUser): string {
  return user.anonymous ? `${ANONYMOUS}${user.id}` : user.id;
}

/** The user of a supabase-js session (as stored, or as an auth event gives it); null without one. */
export function sessionUserOf(session: unknown): SessionUser | null {
  const user = (session as { user?: { id?: unknown; is_anonymous?: unknown } } | null)?.user;
  if (typeof user?.id !== 'string') return null;
  return { id: user.id, anonymous: user.is_anonymous === true };
}

/** The user of the session a call made now goes with (read as supabase-js sends it); null without one. */
export async function signedInUser(auth: {
  getSession(): Promise<{ data: { session: unknown } }>;
}): Promise<SessionUser | null> {
  return sessionUserOf((await auth.getSession()).data.session);
}

/**
 * Whether a write stamped `actor` must not be sent under `user`'s session. Unstamped writes (made
 * before any session, or on a kiosk) go with whoever sends them, as before. An anonymous user's
 * writes go with a later anonymous session: that session is lost for good (it cannot be signed in
 * to again) and nobody chose another account, so it is the same person carrying on.
 */
export function madeByAnother(actor: string | null | undefined, user: SessionUser): boolean {
  if (actor == null) return false;
  const anonymousActor = actor.startsWith(ANONYMOUS);
  // The same user, an anonymous one who has since taken an email or phone (same id) included.
  if ((anonymousActor ? actor.slice(ANONYMOUS.length) : actor) === user.id) return false;
  return !(user.anonymous && anonymousActor);
}

let current: SessionUser | null = null;
/** An auth event has said who is signed in: it, not the stored session read at start-up, is current. */
let followed = false;
const listeners = new Set<() => void>();

/** Who the session is, and whether that is known yet (the stored session read, or an auth event). */
export interface SessionUserState {
  user: SessionUser | null;
  known: boolean;
}
let state: SessionUserState = { user: null, known: false };

function setCurrent(user: SessionUser | null): void {
  current = user;
  if (state.known && user?.id === state.user?.id && user?.anonymous === state.user?.anonymous) return;
  state = { user, known: true };
  for (const listener of listeners) listener();
}

/**
 * Who the device's session is now, for the screens to tell the user's own queued changes from
 * another account's (use-session-user.ts); `subscribeSessionUser` follows it. Until `known`, a
 * screen shows no one's rows as the user's: it cannot tell whose they are.
 */
export function sessionUserNow(): SessionUserState {
  return state;
}

export function subscribeSessionUser(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The actor to stamp a write made now with (null on a kiosk, or with no session known). */
export function currentActor(): string | null {
  return current && !isKioskDevice() ? actorOf(current) : null;
}

/** Starts from the stored session, unless an auth event already said who is signed in. */
export async function loadStoredSessionUser(read: () => Promise<unknown[]>): Promise<void> {
  const records = await read().catch(() => []);
  if (followed) return;
  for (const record of records) {
    const user = sessionUserOf(record);
    if (user) {
      setCurrent(user);
      return;
    }
  }
  setCurrent(null);
}

const LAST_USER_KEY = 'consult.lastUser';

/** The user whose session this device last held, kept across a lost session (localStorage). */
export function knownLastUser(): string | null {
  try {
    return globalThis.localStorage?.getItem(LAST_USER_KEY) ?? null;
  } catch {
    return null; // Blocked storage: nothing to compare with, as on a new device.
  }
}

export function rememberLastUser(id: string): void {
  try {
    globalThis.localStorage?.setItem(LAST_USER_KEY, id);
  } catch {
    // See knownLastUser().
  }
}

/**
 * Follows the client's sign-ins and sign-outs (supabase-js's `onAuthStateChange`). `onOtherUser`
 * runs when a session begins for another user than the one this device last held, however the last
 * one ended (signed out elsewhere, a refresh token revoked): what the device pulled for that user
 * must go (its unsent writes stay, and are not sent as the new user's: own-writes.ts). Before, the
 * next user saw the last one's profile as their own, and their first pull went on from the last
 * user's cursor, so their own earlier rows never came. Not on a kiosk, whose device data is the
 * clinic's whoever of its staff signs in.
 */
export function followSessionUser(
  auth: { onAuthStateChange(callback: (event: string, session: unknown) => void): unknown },
  onOtherUser: () => Promise<unknown> = async () => undefined,
): void {
  auth.onAuthStateChange((_event, session) => {
    followed = true;
    const user = sessionUserOf(session);
    setCurrent(user);
    if (!user) return;
    const last = knownLastUser();
    rememberLastUser(user.id);
    if (last !== null && last !== user.id && !isKioskDevice()) void onOtherUser().catch(() => undefined);
  });
}
