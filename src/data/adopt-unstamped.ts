/**
 * Writes queued by a release before `Mutation.actor` existed carry no account, and an unstamped
 * write goes with whoever sends it (session-user.ts). Seen across the update: a patient queued their
 * profile and bookings offline on the old release, their session was then lost, and the first
 * account signed in after the update sent them as its own. So once per device, at the first start
 * of a release that stamps writes, the unstamped ones are given the account they were made under:
 * the session the device holds, or, with none, the one account whose own profile the device pulled
 * (an older release kept no record of its last user). Not on a kiosk: its writes are the clinic's.
 */
import type { ConsultDb } from '../../sync/stores/dexie-db.ts';
import { actorOf, knownLastUser, rememberLastUser, type SessionUser } from './session-user.ts';

/** Set in the device database's meta once the outbox was looked at (nothing is looked at again). */
export const ADOPTED_KEY = 'unstampedAdopted';

/**
 * The account behind the device's pulled own profile (a server row: only the server sets
 * `user_id`; a walk-in has a clinic), if there is exactly one.
 */
async function pulledOwner(db: ConsultDb): Promise<string | null> {
  const ids = new Set<string>();
  await db.patients.each((row) => {
    const clinic = (row as { clinic_id?: unknown }).clinic_id;
    if (typeof row.user_id === 'string' && (clinic === null || clinic === undefined)) ids.add(row.user_id);
  });
  const [only] = ids;
  return ids.size === 1 && only !== undefined ? only : null;
}

/**
 * Who made the unstamped writes. Inferred from a pulled row the account's kind is unknown: stamped
 * as anonymous, whose writes go on with the same id signed in again and with a later anonymous
 * session (an anonymous account cannot be signed in to again), and are refused under another
 * account that has an email or phone.
 */
async function ownerOf(db: ConsultDb, session: SessionUser | null): Promise<SessionUser | null> {
  if (session) return session;
  if (knownLastUser() !== null) return null; // This device already ran a release that stamps.
  const id = await pulledOwner(db);
  return id === null ? null : { id, anonymous: true };
}

/** Stamps the unstamped queued writes once; how many were stamped. */
export async function adoptUnstampedWrites(
  db: ConsultDb,
  session: SessionUser | null,
  kiosk: boolean,
): Promise<number> {
  if ((await db.meta.get(ADOPTED_KEY)) !== undefined) return 0;
  const owner = kiosk ? null : await ownerOf(db, session);
  // One transaction with the drain's own: a drain reads and writes its entries in transactions of
  // its own, so it sees each entry before or after its stamp, never half of it.
  return db.transaction('rw', db.outbox, db.meta, async () => {
    if ((await db.meta.get(ADOPTED_KEY)) !== undefined) return 0;
    let stamped = 0;
    if (owner !== null) {
      const actor = actorOf(owner);
      stamped = await db.outbox
        .filter((m) => typeof m === 'object' && m !== null && m.actor == null)
        .modify((m) => {
          m.actor = actor;
        });
      // The next sign-in of another account then clears what the device pulled for this one.
      if (!session) rememberLastUser(owner.id);
    }
    await db.meta.put({ key: ADOPTED_KEY, value: new Date().toISOString() });
    return stamped;
  });
}
