/** The auth session as React state. */
import type { Session } from '@supabase/supabase-js';
import { useEffect, useState } from 'react';
import { useServices } from './services-context.tsx';

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
