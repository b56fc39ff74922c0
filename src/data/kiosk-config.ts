/**
 * The kiosk's configuration: which clinic this device serves, the staff PIN's hash, the PIN lockout,
 * the idle time and the default language. Nothing personal about patients is here.
 *
 * Kept in localStorage, not IndexedDB: it is read synchronously before the first render, so a kiosk
 * never flashes the patient app (or its data) on a reload or an offline start; it survives app
 * updates because no database upgrade touches it; and it holds a few hundred bytes. The one
 * exception is the lockout, which must survive a reload too, so it is written here on every wrong PIN.
 */
import { isLang, type Lang } from '../i18n/translate.ts';
import { NO_LOCKOUT, type PinHash, type PinLockout } from './kiosk-pin.ts';

export const KIOSK_CONFIG_KEY = 'consult.kiosk';
const KEY = KIOSK_CONFIG_KEY;

export const IDLE_SECONDS_DEFAULT = 90;
/** Below this a patient cannot read the form before it clears; above, the next person waits too long. */
export const IDLE_SECONDS_MIN = 15;
export const IDLE_SECONDS_MAX = 600;

export interface KioskConfig {
  clinicId: string;
  clinicName: string;
  staffUserId: string;
  staffEmail: string;
  pin: PinHash;
  lockout: PinLockout;
  idleSeconds: number;
  defaultLang: Lang;
}

/*
 * Checked by hand, not with zod: this is read before the first render on every device, and a zod
 * schema here put the whole of zod (a quarter of the first screen's JavaScript) in front of every
 * phone's first paint, though only a kiosk has a config to check.
 */
type Check = (value: unknown) => boolean;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const text: Check = (v) => typeof v === 'string';
const uuid: Check = (v) => typeof v === 'string' && UUID.test(v);
const finite: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const int =
  (min: number, max = Number.MAX_SAFE_INTEGER): Check =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const shape =
  (fields: Record<string, Check>): Check =>
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    Object.entries(fields).every(([key, check]) => check((v as Record<string, unknown>)[key]));

const isKioskConfig = shape({
  clinicId: uuid,
  clinicName: text,
  staffUserId: uuid,
  staffEmail: text,
  pin: shape({ salt: text, hash: text, iterations: int(1) }),
  lockout: shape({ failures: int(0), lockedUntil: finite }),
  idleSeconds: int(IDLE_SECONDS_MIN, IDLE_SECONDS_MAX),
  defaultLang: isLang,
}) as (value: unknown) => value is KioskConfig;

export function loadKioskConfig(storage: Storage | undefined = globalThis.localStorage): KioskConfig | null {
  try {
    const raw = storage?.getItem(KEY);
    if (!raw) return null;
    const parsed: unknown = JSON.parse(raw);
    return isKioskConfig(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Whether this device was made a kiosk but its configuration cannot be read (damaged, edited by
 * hand, or written by a version whose limits this one does not share). Such a device must not fall
 * back to the patient app: that would run with the clinic staff's session still signed in, pull the
 * clinic's appointments and show them to whoever stands at the tablet. The app shows a screen that
 * only lets staff set the tablet up again instead (`KioskUnreadable`).
 */
export function kioskConfigUnreadable(storage: Storage | undefined = globalThis.localStorage): boolean {
  try {
    const raw = storage?.getItem(KEY);
    return raw !== null && raw !== undefined && loadKioskConfig(storage) === null;
  } catch {
    // Storage itself refused to answer: nothing says this device is a kiosk.
    return false;
  }
}

export function saveKioskConfig(
  config: KioskConfig,
  storage: Storage | undefined = globalThis.localStorage,
): void {
  if (!isKioskConfig(config)) throw new Error('kiosk config: not a valid configuration');
  storage?.setItem(KEY, JSON.stringify(config));
}

export function clearKioskConfig(storage: Storage | undefined = globalThis.localStorage): void {
  storage?.removeItem(KEY);
}

export function newKioskConfig(input: {
  clinicId: string;
  clinicName: string;
  staffUserId: string;
  staffEmail: string;
  pin: PinHash;
  defaultLang: KioskConfig['defaultLang'];
}): KioskConfig {
  return { ...input, lockout: NO_LOCKOUT, idleSeconds: IDLE_SECONDS_DEFAULT };
}

export function withLockout(config: KioskConfig, lockout: PinLockout): KioskConfig {
  return { ...config, lockout };
}
