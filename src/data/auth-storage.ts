/**
 * Where supabase-js keeps the session: IndexedDB, not localStorage, because the service worker (which
 * drains the outbox on Background Sync with the page closed) has no localStorage. Page and worker
 * read the same record, so a session created in the page is the one the worker sends with.
 * Its own small database: the session is not synced data and must not share the outbox's upgrades.
 */
import { Dexie, type EntityTable } from 'dexie';

interface AuthRecord {
  key: string;
  value: string;
}

class AuthDb extends Dexie {
  kv!: EntityTable<AuthRecord, 'key'>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ kv: '&key' });
  }
}

export interface AsyncStorage {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
}

/**
 * Releases before the worker's drain left supabase-js's default storage, localStorage, under the
 * same keys (`sb-<project>-auth-token`). Read there, the session is moved here once: without it, the
 * update signed every patient out, and an anonymous patient could never sign in to their account
 * (and send what it queued) again. The worker has no localStorage: it finds nothing to move.
 */
function legacyStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // Blocked storage: nothing an older release could have kept there either.
  }
}

const LEGACY_KEY = /^sb-.+-auth-token$/;

async function moveFromLocalStorage(db: AuthDb, key: string): Promise<string | null> {
  const legacy = legacyStorage();
  const value = legacy?.getItem(key) ?? null;
  if (value === null) return null;
  // Unless the session was written here meanwhile (a sign-in in another tab): the newer one stays.
  const kept = await db.transaction('rw', db.kv, async () => {
    const current = await db.kv.get(key);
    if (current) return current.value;
    await db.kv.put({ key, value });
    return value;
  });
  legacy?.removeItem(key);
  return kept;
}

/** Moves every session key an older release kept in localStorage (the page, at start-up). */
export async function moveLegacySessions(name = 'consult-auth'): Promise<void> {
  const legacy = legacyStorage();
  if (!legacy) return;
  const keys = Array.from({ length: legacy.length }, (_, i) => legacy.key(i)).filter(
    (k): k is string => k !== null && LEGACY_KEY.test(k),
  );
  if (keys.length === 0) return;
  const db = new AuthDb(name);
  try {
    for (const key of keys) await moveFromLocalStorage(db, key);
  } finally {
    db.close();
  }
}

export function idbAuthStorage(name = 'consult-auth'): AsyncStorage {
  const db = new AuthDb(name);
  return {
    getItem: async (key) => (await db.kv.get(key))?.value ?? (await moveFromLocalStorage(db, key)),
    setItem: async (key, value) => {
      await db.kv.put({ key, value });
    },
    removeItem: async (key) => {
      await db.kv.delete(key);
    },
  };
}

/** Every record supabase-js stored, parsed (the session among them), for a read before it loads. */
export async function storedAuthRecords(name = 'consult-auth'): Promise<unknown[]> {
  await moveLegacySessions(name).catch(() => undefined);
  const db = new AuthDb(name);
  try {
    const records = await db.kv.toArray();
    return records.flatMap((r) => {
      try {
        return [JSON.parse(r.value) as unknown];
      } catch {
        return [];
      }
    });
  } finally {
    db.close();
  }
}
