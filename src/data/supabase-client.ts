/**
 * The one Supabase client of the page. Defaults point at the embedded local stack (`npm start`), so a
 * fresh clone works with no configuration; a hosted project sets the two VITE_ variables at build.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { type AsyncStorage, idbAuthStorage } from './auth-storage.ts';

export const LOCAL_SUPABASE_URL = 'http://127.0.0.1:54321';
/** Supabase CLI's well-known local anon key (public by design; never a production key). */
export const LOCAL_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';

/** `fetch` lets the sync transport read Retry-After, which supabase-js does not expose. */
export function createSupabase(
  env: ImportMetaEnv = import.meta.env,
  fetch?: typeof globalThis.fetch,
  storage: AsyncStorage = idbAuthStorage(),
): SupabaseClient {
  return createClient(
    env.VITE_SUPABASE_URL || LOCAL_SUPABASE_URL,
    env.VITE_SUPABASE_ANON_KEY || LOCAL_ANON_KEY,
    {
      ...(fetch ? { global: { fetch } } : {}),
      auth: {
        persistSession: true,
        // IndexedDB, so the service worker's Background Sync drain sends with the same session.
        storage,
        autoRefreshToken: true,
        // Sign-in here never goes through a redirect, and a stray #access_token would confuse the router.
        detectSessionInUrl: false,
      },
    },
  );
}
