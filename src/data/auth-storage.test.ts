import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryStorage } from '../testing/memory-storage.ts';
import { idbAuthStorage, storedAuthRecords } from './auth-storage.ts';

/** supabase-js's session as a release before the worker's drain left it in localStorage. */
const OLD_SESSION = JSON.stringify({
  access_token: 'a',
  refresh_token: 'r',
  user: { id: 'aaaaaaaa-0000-4000-8000-000000000001', is_anonymous: true },
});

afterEach(() => vi.unstubAllGlobals());

describe('idbAuthStorage', () => {
  it('keeps a value across two handles on the same database, as page and service worker share it', async () => {
    const page = idbAuthStorage('auth-storage-test');
    const worker = idbAuthStorage('auth-storage-test');
    expect(await worker.getItem('sb-session')).toBeNull();
    await page.setItem('sb-session', '{"access_token":"a"}');
    expect(await worker.getItem('sb-session')).toBe('{"access_token":"a"}');
    await worker.removeItem('sb-session');
    expect(await page.getItem('sb-session')).toBeNull();
  });
});

describe('a session an older release kept in localStorage', () => {
  it('is read by supabase-js after the update, moved here once (the worker then has it too)', async () => {
    const legacy = memoryStorage({ 'sb-127-auth-token': OLD_SESSION, 'consult.lang': 'hi' });
    vi.stubGlobal('localStorage', legacy);
    const page = idbAuthStorage('auth-legacy-1');
    expect(await page.getItem('sb-127-auth-token')).toBe(OLD_SESSION);
    expect(legacy.getItem('sb-127-auth-token')).toBeNull();
    expect(legacy.getItem('consult.lang')).toBe('hi');
    vi.unstubAllGlobals();
    expect(await idbAuthStorage('auth-legacy-1').getItem('sb-127-auth-token')).toBe(OLD_SESSION);
  });

  it('is the stored session read at start-up, before supabase-js loads', async () => {
    vi.stubGlobal('localStorage', memoryStorage({ 'sb-127-auth-token': OLD_SESSION }));
    expect(await storedAuthRecords('auth-legacy-2')).toEqual([JSON.parse(OLD_SESSION)]);
  });

  it('does not replace a session signed in since', async () => {
    const page = idbAuthStorage('auth-legacy-3');
    await page.setItem('sb-127-auth-token', '{"access_token":"new"}');
    const legacy = memoryStorage({ 'sb-127-auth-token': OLD_SESSION });
    vi.stubGlobal('localStorage', legacy);
    expect(await storedAuthRecords('auth-legacy-3')).toEqual([{ access_token: 'new' }]);
    expect(await page.getItem('sb-127-auth-token')).toBe('{"access_token":"new"}');
    expect(legacy.length).toBe(0);
  });
});
