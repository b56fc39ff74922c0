/**
 * Today's list on the tablet, for when the connection goes: the list as staff last loaded it, sealed
 * under a key derived from the staff PIN, in the kiosk database (kiosk-db.ts).
 *
 * - The key: PBKDF2-SHA256(PIN, the vault's own random salt, as many iterations as the PIN hash),
 *   made into a non-extractable AES-GCM key when staff unlock, held in memory only while the staff
 *   screens are open. Its salt differs from the PIN hash's, so the stored hash is not the key.
 * - The box: AES-GCM(key, { clinic, day, items }) with a fresh 12-byte IV per save.
 *
 * So the patient side, which never has the PIN, cannot open it; a stolen tablet gives it up only to
 * someone who first finds the PIN by trying all of them against the slow hash. A new PIN (forgotten
 * PIN) cannot open the old box: it reads as nothing until the list is next loaded online.
 * Leaving kiosk mode deletes the database, and this with it.
 */
import { fromBase64, toBase64 } from '../lib/base64.ts';
import type { KioskDb } from './kiosk-db.ts';
import { PIN_ITERATIONS } from './kiosk-pin.ts';
import type { TodayItem } from './kiosk-today.ts';

export interface SealedDay {
  clinicId: string;
  /** The clinic day (YYYY-MM-DD, India) the list is of. */
  day: string;
  /** When it was loaded from the server (ISO), to say how old it is. */
  loadedAt: string;
  items: TodayItem[];
}

export interface DayVault {
  /** Derives the sealing key from the PIN just checked (a few hundred ms); null if it cannot. */
  keyFor(pin: string): Promise<CryptoKey | null>;
  /** Whether it was kept. */
  save(key: CryptoKey, day: SealedDay): Promise<boolean>;
  /** The sealed day, or null: none saved, another key (a new PIN), or not for this clinic and day. */
  open(key: CryptoKey, clinicId: string, day: string): Promise<SealedDay | null>;
}

const SALT = 'day-salt';

/** After kiosk mode is left the database is closed for good: failing then is expected, not news. */
export function warnUnlessLeft(what: string, error: unknown): void {
  if ((error as { name?: unknown } | null)?.name !== 'DatabaseClosedError') console.warn(what, error);
}
const BOX = 'day';

export async function dayKey(
  pin: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, [
    'deriveKey',
  ]);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    // Not extractable: usable while the staff screens are open, never readable out of memory. It
    // also wraps the private key of what the patient side drops for staff (kiosk-drop-box.ts).
    false,
    ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
  );
}

export async function seal(key: CryptoKey, day: SealedDay): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(day));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plain));
  const box = new Uint8Array(iv.length + sealed.length);
  box.set(iv);
  box.set(sealed, iv.length);
  return toBase64(box);
}

/** The day in `box`, or null when this key does not open it (a tampered box does not either). */
export async function unseal(key: CryptoKey, box: string): Promise<SealedDay | null> {
  try {
    const bytes = fromBase64(box);
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.slice(0, 12) },
      key,
      bytes.slice(12),
    );
    const day = JSON.parse(new TextDecoder().decode(plain)) as Partial<SealedDay>;
    if (typeof day.clinicId !== 'string' || typeof day.day !== 'string' || !Array.isArray(day.items))
      return null;
    return { clinicId: day.clinicId, day: day.day, loadedAt: String(day.loadedAt), items: day.items };
  } catch {
    // Another PIN's key, or not a box at all: there is no day to show.
    return null;
  }
}

/**
 * The vault in the kiosk database. After kiosk mode is left the database is closed and deleted, and
 * every call here fails inside Dexie; they answer "nothing" instead, and never recreate it.
 */
export function dayVault(db: KioskDb, iterations: number = PIN_ITERATIONS): DayVault {
  return {
    async keyFor(pin) {
      try {
        const salt = await db.transaction('rw', db.sealed, async () => {
          const saved = await db.sealed.get(SALT);
          if (saved) return fromBase64(saved.value);
          const fresh = crypto.getRandomValues(new Uint8Array(16));
          await db.sealed.put({ name: SALT, value: toBase64(fresh) });
          return fresh;
        });
        return await dayKey(pin, salt, iterations);
      } catch (error) {
        warnUnlessLeft('kiosk day key not derived', error);
        return null;
      }
    },
    async save(key, day) {
      const value = await seal(key, day);
      return db.sealed.put({ name: BOX, value }).then(
        () => true,
        (error: unknown) => {
          warnUnlessLeft('kiosk day not kept', error);
          return false;
        },
      );
    },
    async open(key, clinicId, day) {
      const saved = await db.sealed.get(BOX).catch(() => undefined);
      if (!saved) return null;
      const found = await unseal(key, saved.value);
      return found && found.clinicId === clinicId && found.day === day ? found : null;
    },
  };
}
