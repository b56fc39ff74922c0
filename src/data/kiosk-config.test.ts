import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../testing/memory-storage.ts';
import {
  clearKioskConfig,
  type KioskConfig,
  kioskConfigUnreadable,
  loadKioskConfig,
  newKioskConfig,
  saveKioskConfig,
} from './kiosk-config.ts';

const CONFIG: KioskConfig = newKioskConfig({
  clinicId: '0b6f6f0e-3c1a-4d35-9a57-6f7e0c1d2a11',
  clinicName: 'Sunrise Clinic',
  staffUserId: '5d1e7c3a-9b2f-4e8d-a6c4-2f3b1a0e9d77',
  staffEmail: 'staff@example.org',
  pin: { salt: 'c2FsdA==', hash: 'aGFzaA==', iterations: 600_000 },
  defaultLang: 'hi',
});

describe('kiosk config', () => {
  it('reads back what was saved', () => {
    const storage = memoryStorage();
    saveKioskConfig(CONFIG, storage);
    expect(loadKioskConfig(storage)).toEqual(CONFIG);
  });

  it('is none on a device that never was a kiosk, or whose entry is not JSON', () => {
    const storage = memoryStorage();
    expect(loadKioskConfig(storage)).toBeNull();
    storage.setItem('consult.kiosk', '{not json');
    expect(loadKioskConfig(storage)).toBeNull();
  });

  const broken: Record<string, unknown> = {
    'a clinic id that is no uuid': { ...CONFIG, clinicId: 'clinic-1' },
    'no staff email': { ...CONFIG, staffEmail: undefined },
    'a PIN hash without iterations': { ...CONFIG, pin: { ...CONFIG.pin, iterations: 0 } },
    'a negative failure count': { ...CONFIG, lockout: { failures: -1, lockedUntil: 0 } },
    'a lockout time that is not a number': { ...CONFIG, lockout: { failures: 0, lockedUntil: '0' } },
    'an idle time below the minimum': { ...CONFIG, idleSeconds: 5 },
    'an idle time that is not whole': { ...CONFIG, idleSeconds: 90.5 },
    'a language the app does not have': { ...CONFIG, defaultLang: 'fr' },
    'not an object': 'kiosk',
  };
  for (const [what, value] of Object.entries(broken))
    it(`is none when the stored one has ${what}`, () => {
      const storage = memoryStorage();
      storage.setItem('consult.kiosk', JSON.stringify(value));
      expect(loadKioskConfig(storage)).toBeNull();
    });

  it('refuses to save a broken one', () => {
    const storage = memoryStorage();
    expect(() => saveKioskConfig({ ...CONFIG, idleSeconds: 1 }, storage)).toThrow();
    expect(storage.getItem('consult.kiosk')).toBeNull();
  });

  it('is unreadable, not absent, when a kiosk was set up but its entry cannot be read', () => {
    const storage = memoryStorage();
    // Never a kiosk, or left properly: the patient app may open.
    expect(kioskConfigUnreadable(storage)).toBe(false);
    saveKioskConfig(CONFIG, storage);
    expect(kioskConfigUnreadable(storage)).toBe(false);
    clearKioskConfig(storage);
    expect(kioskConfigUnreadable(storage)).toBe(false);
    // Damaged, or out of this version's limits: still a kiosk, never the patient app.
    for (const raw of ['{not json', '', 'null', JSON.stringify({ ...CONFIG, idleSeconds: 5 })]) {
      storage.setItem('consult.kiosk', raw);
      expect(kioskConfigUnreadable(storage), raw).toBe(true);
    }
  });

  it('is not unreadable where storage itself throws', () => {
    const storage = memoryStorage();
    storage.getItem = () => {
      throw new Error('SecurityError');
    };
    expect(kioskConfigUnreadable(storage)).toBe(false);
  });
});
