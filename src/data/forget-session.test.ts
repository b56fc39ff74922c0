/**
 * Signing out with no connection: a real supabase-js client whose server cannot be reached (the
 * device is offline) must still forget the session it keeps in IndexedDB.
 */
import { describe, expect, it, vi } from 'vitest';
import ws from 'ws';
import { idbAuthStorage } from './auth-storage.ts';
import { forgetSession } from './sign-out.ts';
import { createSupabase } from './supabase-client.ts';

const offline: typeof fetch = async () => {
  throw new TypeError('Failed to fetch');
};

function storedSession(): string {
  const in1h = Math.floor(Date.now() / 1000) + 3600;
  const claims = { sub: crypto.randomUUID(), role: 'authenticated', exp: in1h, aud: 'authenticated' };
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const access_token = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`;
  return JSON.stringify({
    access_token,
    refresh_token: 'refresh',
    token_type: 'bearer',
    expires_in: 3600,
    expires_at: in1h,
    user: {
      id: claims.sub,
      aud: 'authenticated',
      role: 'authenticated',
      app_metadata: {},
      user_metadata: {},
    },
  });
}

// Node 20 has no global WebSocket; supabase-js builds its realtime client eagerly.
vi.stubGlobal('WebSocket', globalThis.WebSocket ?? ws);

describe('forgetSession', () => {
  it('forgets the stored session when the server cannot be told (offline)', async () => {
    const storage = idbAuthStorage(`auth-${crypto.randomUUID()}`);
    const env = { VITE_SUPABASE_URL: 'http://127.0.0.1:9', VITE_SUPABASE_ANON_KEY: 'anon' } as ImportMetaEnv;
    const client = createSupabase(env, offline, storage);
    const { storageKey } = client.auth as unknown as { storageKey: string };
    await storage.setItem(storageKey, storedSession());
    expect((await client.auth.getSession()).data.session).not.toBeNull();
    // What supabase-js alone does offline: an error, and the session kept.
    const plain = await client.auth.signOut({ scope: 'local' });
    expect(plain.error).not.toBeNull();
    expect(await storage.getItem(storageKey)).not.toBeNull();

    await forgetSession(client);
    expect(await storage.getItem(storageKey)).toBeNull();
    expect((await client.auth.getSession()).data.session).toBeNull();
    client.auth.stopAutoRefresh();
  });
});
