/** The auth session as React state, and the deferred anonymous sign-in. */
import type { Session } from '@supabase/supabase-js';
import { useEffect, useState } from 'react';
import { loadAuthChoice } from '../lib/device-prefs.ts';
import { signInAnonymouslyIfNeeded } from './auth.ts';
import { useServices } from './services-context.tsx';
import { useOnline } from './use-online.ts';

/** undefined until the stored session has been read. */
export function useSession(): Session | null | undefined {
  const { supabase } = useServices();
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    let unsubscribe = () => {};
    void supabase().then(async (client) => {
      if (!live) return;
      const { data } = client.auth.onAuthStateChange((_event, next) => {
        if (live) setSession(next);
      });
      unsubscribe = () => data.subscription.unsubscribe();
      const { data: current } = await client.auth.getSession();
      if (live) setSession(current.session);
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, [supabase]);
  return session;
}

/**
 * A patient who chose "continue without an account" gets an anonymous session the first time the
 * device is online with none; the queued writes then go out. Waits `delayMs` so that loading
 * supabase-js never competes with the first screen.
 */
export function useAnonymousSignIn(delayMs = 1000): void {
  const services = useServices();
  const online = useOnline();
  useEffect(() => {
    if (!online || loadAuthChoice() !== 'anonymous') return;
    const timer = setTimeout(() => {
      void signInAnonymouslyIfNeeded(services).catch(() => undefined);
    }, delayMs);
    return () => clearTimeout(timer);
  }, [services, online, delayMs]);
}
