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

export function idbAuthStorage(name = 'consult-auth'): AsyncStorage {
  const db = new AuthDb(name);
  return {
    getItem: async (key) => (await db.kv.get(key))?.value ?? null,
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
