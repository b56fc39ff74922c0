/**
 * Where a kiosk keeps what finds a returning patient (kiosk-match.ts): the kiosk's own IndexedDB
 * (kiosk-db.ts), so leaving kiosk mode deletes it whole. It holds the device key (a non-extractable
 * CryptoKey, which IndexedDB stores as is) and the entries: tags and sealed boxes, nothing readable.
 */
import { Dexie } from 'dexie';
import { KIOSK_DB_NAME, KioskDb } from './kiosk-db.ts';
import {
  entriesFor,
  lookupOf,
  type MatchablePatient,
  type MatchedPatient,
  type MatchQuery,
  newDeviceKey,
  openEntries,
  tagOf,
} from './kiosk-match.ts';

export interface PatientIndex {
  add(patients: readonly MatchablePatient[]): Promise<void>;
  find(query: MatchQuery): Promise<MatchedPatient[]>;
  /**
   * Deletes the kiosk database (leaving kiosk mode): the key, every entry, and the sealed day kept
   * in the same database. This index does nothing afterwards.
   */
  wipe(): Promise<void>;
}

/**
 * `source`: the database, shared with the day vault (kiosk-day-vault.ts), or its name.
 * `key` is for tests (Node's IndexedDB stand-in cannot store a CryptoKey).
 */
export function patientIndex(source: KioskDb | string = KIOSK_DB_NAME, key?: CryptoKey): PatientIndex {
  const db = typeof source === 'string' ? new KioskDb(source) : source;
  const name = db.name;
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
      const previous = (id: string) => db.entries.get(id);
      const entries = (await Promise.all(patients.map((p) => entriesFor(k, p, previous)))).flat();
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
