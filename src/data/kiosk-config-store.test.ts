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
});
