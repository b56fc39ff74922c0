import { describe, expect, it } from 'vitest';
import { idbAuthStorage } from './auth-storage.ts';

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
