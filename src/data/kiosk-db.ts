/**
 * The kiosk's own small IndexedDB, `consult-kiosk`, apart from the sync database: leaving kiosk mode
 * deletes it whole, and no upgrade of the outbox touches it. It holds
 *  - `keys`: the device key that finds returning patients (a non-extractable CryptoKey, stored as is);
 *  - `entries`: their sealed match entries (kiosk-match.ts);
 *  - `sealed`: today's list as staff last loaded it, sealed under the PIN (kiosk-day-vault.ts), and
 *    what the patient side drops for it, sealed to a key pair only the PIN opens (kiosk-drop-box.ts).
 * One instance is shared by everything that uses it, so when leaving closes and deletes it, nothing
 * still running can open it again (Dexie reopens a database closed by another instance's delete).
 */
import { Dexie, type EntityTable } from 'dexie';
import type { MatchEntry } from './kiosk-match.ts';

export interface KeyRecord {
  name: string;
  key: CryptoKey;
}

/** A named value: base64 text, nothing readable (a salt, or a sealed box). */
export interface SealedRecord {
  name: string;
  value: string;
}

export class KioskDb extends Dexie {
  keys!: EntityTable<KeyRecord, 'name'>;
  entries!: EntityTable<MatchEntry, 'id'>;
  sealed!: EntityTable<SealedRecord, 'name'>;
  /**
   * `onUpgradeElsewhere`: another tab opened a newer version of this database (a new release). This
   * one closes so that it can upgrade, and its tab is to be told to reload (the "update ready" banner)
   * rather than fail at its next read with nothing said. A delete (leaving kiosk mode: no new
   * version) is not that: the configuration's change says what follows.
   */
  constructor(name: string, onUpgradeElsewhere?: () => void) {
    super(name);
    this.version(1).stores({ keys: '&name', entries: '&id, tag' });
    this.version(2).stores({ keys: '&name', entries: '&id, tag', sealed: '&name' });
    this.on('versionchange', (event) => {
      this.close();
      if (event.newVersion !== null) onUpgradeElsewhere?.();
      return false;
    });
  }
}

export { KIOSK_DB_NAME } from './kiosk-device.ts';
