/**
 * Finding a returning patient on a kiosk without keeping their details on it. For each patient the
 * device keeps, per way of finding them (phone + year of birth, name + date of birth), one entry:
 *
 *  - `tag`  = HMAC-SHA256(device key, "tag" + the normalised matching fields), to look the entry up;
 *  - `box`  = AES-GCM of { patient id, first name, year of birth }, under a key that is itself
 *             HMAC(device key, "seal" + the matching fields).
 *
 * So the entry can only be found, and opened, by someone who types that patient's matching fields on
 * this device: the stored entries name nobody, cannot be listed into people, and show only what the
 * match screen shows (first name and year of birth). The device key is a non-extractable WebCrypto
 * key (kiosk-index.ts), never leaving the device.
 */

import { withoutHiddenCharacters } from '../../sync/free-text.ts';
import { fromBase64, toBase64 } from '../lib/base64.ts';

export interface MatchablePatient {
  id: string;
  full_name: string;
  date_of_birth: string;
  phone?: string | null | undefined;
  /** When the patient was registered: the server's row says; a walk-in registered here, the tablet. */
  created_at?: string | null | undefined;
}

export interface MatchQuery {
  kind: 'phone' | 'name';
  /** The phone number, or the full name. */
  text: string;
  /** `phone`: the year of birth (YYYY); `name`: the date of birth (YYYY-MM-DD). */
  birth: string;
}

/** What the match shows to confirm, and what booking needs. */
export interface MatchedPatient {
  patientId: string;
  firstName: string;
  birthYear: string;
  /**
   * When this patient was registered (ISO), to tell apart two registrations of one name, phone and
   * year (a walk-in registered twice): the buttons were identical. Absent in entries sealed before.
   */
  registeredAt?: string;
}

export interface MatchEntry {
  /** Unique per patient and lookup: re-indexing the same patient replaces its entry. */
  id: string;
  tag: string;
  /** base64 of IV (12 bytes) + AES-GCM ciphertext. */
  box: string;
}

/** The last ten digits: "+91 98123-45678", "09812345678" and "9812345678" are one number. */
export function normalisePhoneForMatch(phone: string): string {
  return phone.replace(/[^0-9]/g, '').slice(-10);
}

/** Case, accents' composed forms, extra spaces and dots ("Dr.") do not make a different name. */
export function normaliseName(name: string): string {
  return name.normalize('NFKC').toLocaleLowerCase('en').replace(/[.,]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The lookup string of a query, or null when it is too short to find anyone by. */
export function lookupOf(query: MatchQuery): string | null {
  if (query.kind === 'phone') {
    const phone = normalisePhoneForMatch(query.text);
    return phone.length >= 7 && /^\d{4}$/.test(query.birth) ? `phone|${phone}|${query.birth}` : null;
  }
  const name = normaliseName(query.text);
  return name !== '' && /^\d{4}-\d{2}-\d{2}$/.test(query.birth) ? `name|${name}|${query.birth}` : null;
}

/** Every lookup a patient can be found by: name + date of birth always, phone + year when known. */
export function lookupsOf(p: MatchablePatient): string[] {
  const year = p.date_of_birth.slice(0, 4);
  const out = [lookupOf({ kind: 'name', text: p.full_name, birth: p.date_of_birth })];
  if (p.phone) out.push(lookupOf({ kind: 'phone', text: p.phone, birth: year }));
  return out.filter((l): l is string => l !== null);
}

/** What "Is this you?" shows: a pulled row stored before the hidden-character rules shows as it is. */
export function firstNameOf(fullName: string): string {
  return withoutHiddenCharacters(fullName).trim().split(/\s+/)[0] ?? '';
}

const enc = new TextEncoder();

async function hmac(key: CryptoKey, purpose: string, text: string): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(`${purpose}\u0000${text}`)));
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function sealKey(key: CryptoKey, lookup: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', await hmac(key, 'seal', lookup), 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
}

export async function tagOf(key: CryptoKey, lookup: string): Promise<string> {
  return hex(await hmac(key, 'tag', lookup));
}

/**
 * `previous` reads the entry stored under an id: a patient indexed again without `created_at` (the
 * sweep of a walk-in registered here, whose row has none until the server's comes) keeps the
 * registration time its entry was sealed with, instead of losing it.
 */
export async function entriesFor(
  key: CryptoKey,
  p: MatchablePatient,
  previous: (id: string) => Promise<MatchEntry | undefined> = async () => undefined,
): Promise<MatchEntry[]> {
  return Promise.all(
    lookupsOf(p).map(async (lookup) => {
      const id = hex(await hmac(key, 'entry', `${lookup}\u0000${p.id}`));
      const old = p.created_at ? undefined : await previous(id);
      const kept = old ? (await openEntries(key, lookup, [old]))[0]?.registeredAt : undefined;
      const registeredAt = p.created_at ?? kept;
      const shown: MatchedPatient = {
        patientId: p.id,
        firstName: firstNameOf(p.full_name),
        birthYear: p.date_of_birth.slice(0, 4),
        ...(registeredAt ? { registeredAt } : {}),
      };
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = new Uint8Array(
        await crypto.subtle.encrypt(
          { name: 'AES-GCM', iv },
          await sealKey(key, lookup),
          enc.encode(JSON.stringify(shown)),
        ),
      );
      const box = new Uint8Array(iv.length + sealed.length);
      box.set(iv);
      box.set(sealed, iv.length);
      return {
        id,
        tag: await tagOf(key, lookup),
        box: toBase64(box),
      };
    }),
  );
}

/** Opens the entries found under a query's tag; an entry that does not open is skipped. */
export async function openEntries(
  key: CryptoKey,
  lookup: string,
  entries: readonly MatchEntry[],
): Promise<MatchedPatient[]> {
  const aes = await sealKey(key, lookup);
  const out: MatchedPatient[] = [];
  for (const e of entries) {
    const box = fromBase64(e.box);
    try {
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: box.slice(0, 12) },
        aes,
        box.slice(12),
      );
      const parsed: unknown = JSON.parse(new TextDecoder().decode(plain));
      const m = parsed as Partial<MatchedPatient>;
      if (
        typeof m.patientId === 'string' &&
        typeof m.firstName === 'string' &&
        typeof m.birthYear === 'string'
      )
        out.push({
          patientId: m.patientId,
          firstName: m.firstName,
          birthYear: m.birthYear,
          ...(typeof m.registeredAt === 'string' ? { registeredAt: m.registeredAt } : {}),
        });
    } catch {
      // Not this lookup's entry (a tag collision cannot be opened): nothing to show.
    }
  }
  return out;
}

export function newDeviceKey(): Promise<CryptoKey> {
  // Not extractable: page code can use it on this device but never read it out.
  return crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']) as Promise<CryptoKey>;
}
