/**
 * What the patient side of a kiosk leaves for "Today", sealed so that only the staff screens can read
 * it: the appointments the tablet writes (bookings, check-ins) and the names of the patients they are
 * for. Today reads these with no connection, so a walk-in booked at the tablet is on the offline list
 * even after the booking was sent (its unsent write, the only other copy, is gone then), and a
 * returning patient booked offline is named (by the first name the match showed).
 *
 * The patient side has no PIN, so it cannot use the PIN's key (kiosk-day-vault.ts). It seals to a
 * public key instead: an RSA-OAEP-2048 key pair made at a staff unlock, whose private half is kept
 * only wrapped under the PIN's key (AES-GCM). Each drop is AES-GCM under a fresh key, that key
 * sealed with RSA-OAEP. Anything on the page can add a drop; only the PIN opens them. Drops of the
 * day a server list was loaded after are removed once they are in that list (`clearUpTo`).
 */
import type { LocalMutation } from '../../sync/local-mutation.ts';
import { fromBase64, toBase64 } from '../lib/base64.ts';
import { newUuid } from '../lib/uuid.ts';
import { warnUnlessLeft } from './kiosk-day-vault.ts';
import type { KioskDb } from './kiosk-db.ts';

export interface Drop {
  /** When it was dropped (ISO): a list loaded from the server later already has it. */
  at: string;
  /** An appointment row as the tablet wrote it. */
  appointment?: Record<string, unknown>;
  /** A patient's name as the tablet knows it: the full name written, or the first name matched. */
  patient?: { id: string; name: string };
}

/** What of a write the list needs: an appointment row, or a patient's name; null for anything else. */
export function dropOf(m: LocalMutation, at: string): Drop | null {
  if (m.op !== 'upsert' || !m.data) return null;
  if (m.entity === 'appointments') return { at, appointment: m.data };
  const name = m.data.full_name;
  return m.entity === 'patients' && typeof name === 'string' ? { at, patient: { id: m.key, name } } : null;
}

const PUBLIC = 'drop-public';
const PRIVATE = 'drop-private';
const PREFIX = 'drop:';
const RSA = { name: 'RSA-OAEP', hash: 'SHA-256' } as const;

async function unwrapPrivate(db: KioskDb, pinKey: CryptoKey): Promise<CryptoKey | null> {
  const saved = await db.sealed.get(PRIVATE);
  if (!saved) return null;
  const bytes = fromBase64(saved.value);
  try {
    return await crypto.subtle.unwrapKey(
      'pkcs8',
      bytes.slice(12),
      pinKey,
      { name: 'AES-GCM', iv: bytes.slice(0, 12) },
      RSA,
      false,
      ['decrypt'],
    );
  } catch {
    // Wrapped under another PIN (a forgotten PIN was replaced): its drops are unreadable for good.
    return null;
  }
}

/** A fresh pair: the public half kept as is, the private half only wrapped under the PIN's key. */
async function newPair(db: KioskDb, pinKey: CryptoKey): Promise<CryptoKey> {
  const pair = await crypto.subtle.generateKey(
    { ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['encrypt', 'decrypt'],
  );
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const wrapped = new Uint8Array(
    await crypto.subtle.wrapKey('pkcs8', pair.privateKey, pinKey, { name: 'AES-GCM', iv }),
  );
  const publicJwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  await db.transaction('rw', db.sealed, async () => {
    await db.sealed.where('name').startsWith(PREFIX).delete();
    await db.sealed.bulkPut([
      { name: PUBLIC, value: JSON.stringify(publicJwk) },
      { name: PRIVATE, value: toBase64(concat(iv, wrapped)) },
    ]);
  });
  return crypto.subtle.unwrapKey('pkcs8', wrapped, pinKey, { name: 'AES-GCM', iv }, RSA, false, ['decrypt']);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** AES-GCM under a fresh key, that key sealed with RSA-OAEP to the staff's public key. */
async function sealDrop(db: KioskDb, drop: Drop): Promise<void> {
  const saved = await db.sealed.get(PUBLIC).catch(() => undefined);
  if (!saved) return;
  const publicKey = await crypto.subtle.importKey('jwk', JSON.parse(saved.value) as JsonWebKey, RSA, false, [
    'encrypt',
  ]);
  const aes = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const body = new TextEncoder().encode(JSON.stringify(drop));
  const sealedKey = await crypto.subtle.encrypt(RSA, publicKey, await crypto.subtle.exportKey('raw', aes));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, aes, body);
  const value = toBase64(concat(new Uint8Array(sealedKey), iv, new Uint8Array(sealed)));
  // The name orders drops by time and says nothing else.
  await db.sealed.put({ name: `${PREFIX}${drop.at}:${newUuid()}`, value }).catch(() => undefined);
}

export interface DropBox {
  /** Seals a drop to the staff; does nothing before the first staff unlock made the key pair. */
  add(drop: Drop): Promise<void>;
  /** At a staff unlock: the private key (made now if there is none, or it is another PIN's). */
  unlock(pinKey: CryptoKey): Promise<CryptoKey | null>;
  open(privateKey: CryptoKey): Promise<Drop[]>;
  /** Removes the drops made up to `at` (a list loaded from the server after them has them). */
  clearUpTo(at: string): Promise<void>;
}

export function dropBox(db: KioskDb): DropBox {
  return {
    async add(drop) {
      try {
        await sealDrop(db, drop);
      } catch (error) {
        // Not kept: offline, Today lacks this write once it is sent, until the list is read again.
        warnUnlessLeft('kiosk drop not kept', error);
      }
    },
    async unlock(pinKey) {
      try {
        return (await unwrapPrivate(db, pinKey)) ?? (await newPair(db, pinKey));
      } catch (error) {
        // Kiosk mode was left meanwhile (the database is closed for good): nothing to open.
        warnUnlessLeft('kiosk drop box not opened', error);
        return null;
      }
    },
    async open(privateKey) {
      const records = await db.sealed
        .where('name')
        .startsWith(PREFIX)
        .toArray()
        .catch(() => []);
      const drops: Drop[] = [];
      for (const r of records) {
        try {
          const bytes = fromBase64(r.value);
          const raw = await crypto.subtle.decrypt(RSA, privateKey, bytes.slice(0, 256));
          const aes = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt']);
          const plain = await crypto.subtle.decrypt(
            { name: 'AES-GCM', iv: bytes.slice(256, 268) },
            aes,
            bytes.slice(268),
          );
          drops.push(JSON.parse(new TextDecoder().decode(plain)) as Drop);
        } catch {
          // Sealed to a pair made before a new PIN: nobody can open it; skipped.
        }
      }
      return drops.sort((a, b) => a.at.localeCompare(b.at));
    },
    async clearUpTo(at) {
      await db.sealed
        .where('name')
        .between(PREFIX, `${PREFIX}${at}:\uffff`, true, true)
        .delete()
        .catch(() => undefined);
    },
  };
}
