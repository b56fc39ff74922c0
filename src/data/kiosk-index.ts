/**
 * Where a kiosk keeps what finds a returning patient (kiosk-match.ts): its own small IndexedDB, not
 * the sync database, so leaving kiosk mode deletes it whole and no upgrade of the outbox touches it.
 * It holds the device key (a non-extractable CryptoKey, which IndexedDB stores as is) and the
 * entries: tags and sealed boxes, nothing readable.
 */
import { Dexie, type EntityTable } from 'dexie';
import {
  entriesFor,
  lookupOf,
  type MatchablePatient,
  type MatchEntry,
  type MatchedPatient,
  type MatchQuery,
  newDeviceKey,
  openEntries,
  tagOf,
} from './kiosk-match.ts';

interface KeyRecord {
  name: string;
  key: CryptoKey;
}

class KioskDb extends Dexie {
  keys!: EntityTable<KeyRecord, 'name'>;
  entries!: EntityTable<MatchEntry, 'id'>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ keys: '&name', entries: '&id, tag' });
  }
}

export const KIOSK_DB_NAME = 'consult-kiosk';

export interface PatientIndex {
  add(patients: readonly MatchablePatient[]): Promise<void>;
  find(query: MatchQuery): Promise<MatchedPatient[]>;
  /** Deletes the key and every entry (leaving kiosk mode); this index does nothing afterwards. */
  wipe(): Promise<void>;
}

/** `key` is for tests (Node's IndexedDB stand-in cannot store a CryptoKey). */
export function patientIndex(name = KIOSK_DB_NAME, key?: CryptoKey): PatientIndex {
  const db = new KioskDb(name);
  let deviceKey: Promise<CryptoKey> | null = key ? Promise.resolve(key) : null;
  // After a wipe nothing may bring the database back: a sweep still running would recreate it.
  let wiped = false;
  const getKey = () => {
    deviceKey ??= db.transaction('rw', db.keys, async () => {
      const saved = await db.keys.get('match');
      if (saved) return saved.key;
      const fresh = await newDeviceKey();
      await db.keys.put({ name: 'match', key: fresh });
      return fresh;
    });
    return deviceKey;
  };
  return {
    async add(patients) {
      if (wiped || patients.length === 0) return;
      const k = await getKey();
      const entries = (await Promise.all(patients.map((p) => entriesFor(k, p)))).flat();
      await db.entries.bulkPut(entries);
    },
    async find(query) {
      const lookup = lookupOf(query);
      if (wiped || !lookup) return [];
      const k = await getKey();
      const found = await db.entries
        .where('tag')
        .equals(await tagOf(k, lookup))
        .toArray();
      return openEntries(k, lookup, found);
    },
    async wipe() {
      wiped = true;
      deviceKey = null;
      db.close();
      await Dexie.delete(name);
    },
  };
}
