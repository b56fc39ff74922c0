import { beforeEach, describe, expect, it, vi } from 'vitest';

// The store keeps what it read in module state: each test starts from a fresh module.
beforeEach(() => {
  vi.resetModules();
});

describe('a kiosk whose localStorage alone was cleared', () => {
  it('stays a kiosk (its configuration unreadable) while its database is there', async () => {
    const store = await import('./kiosk-config-store.ts');
    // No configuration in localStorage (Node has none): as after localStorage.clear().
    expect(store.getKioskConfig()).toBeNull();
    expect(store.isKioskDevice()).toBe(false);
    const heard = vi.fn();
    const stop = store.subscribeKioskConfig(heard);
    await store.checkKioskDatabase(async () => true);
    expect(store.isKioskConfigUnreadable()).toBe(true);
    expect(store.isKioskDevice()).toBe(true);
    expect(heard).toHaveBeenCalled();
    stop();
  });

  it('a phone, with no kiosk database, stays a phone', async () => {
    const store = await import('./kiosk-config-store.ts');
    await store.checkKioskDatabase(async () => false);
    expect(store.isKioskConfigUnreadable()).toBe(false);
    expect(store.isKioskDevice()).toBe(false);
  });

  it('a browser that cannot list its databases is taken as a phone, not broken', async () => {
    const store = await import('./kiosk-config-store.ts');
    await store.checkKioskDatabase(async () => {
      throw new Error('databases() refused');
    });
    expect(store.isKioskDevice()).toBe(false);
  });

  it('another tab clearing localStorage does not turn this tab into the patient app', async () => {
    const store = await import('./kiosk-config-store.ts');
    const { newKioskConfig } = await import('./kiosk-config.ts');
    // This tab runs the kiosk (Node has no localStorage: the store holds what it was given).
    store.setKioskConfig(
      newKioskConfig({
        clinicId: '0b6f6f0e-3c1a-4d35-9a57-6f7e0c1d2a11',
        clinicName: 'Sunrise Clinic',
        staffUserId: '5d1e7c3a-9b2f-4e8d-a6c4-2f3b1a0e9d77',
        staffEmail: 'staff@example.org',
        pin: { salt: 'c2FsdA==', hash: 'aGFzaA==', iterations: 1000 },
        defaultLang: 'en',
      }),
    );
    // The other tab's clear(): the configuration is gone, the kiosk's database is not.
    await store.kioskConfigChangedElsewhere(async () => true);
    expect(store.getKioskConfig()).toBeNull();
    expect(store.isKioskConfigUnreadable()).toBe(true);
    expect(store.isKioskDevice()).toBe(true);
  });

  it('another tab leaving kiosk mode (database deleted first) lets this tab be a phone again', async () => {
    const store = await import('./kiosk-config-store.ts');
    const { newKioskConfig } = await import('./kiosk-config.ts');
    store.setKioskConfig(
      newKioskConfig({
        clinicId: '0b6f6f0e-3c1a-4d35-9a57-6f7e0c1d2a11',
        clinicName: 'Sunrise Clinic',
        staffUserId: '5d1e7c3a-9b2f-4e8d-a6c4-2f3b1a0e9d77',
        staffEmail: 'staff@example.org',
        pin: { salt: 'c2FsdA==', hash: 'aGFzaA==', iterations: 1000 },
        defaultLang: 'en',
      }),
    );
    await store.kioskConfigChangedElsewhere(async () => false);
    expect(store.isKioskDevice()).toBe(false);
  });
});
