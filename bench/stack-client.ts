/**
 * Talking to a running bench stack from any process: supabase-js clients, and the gateway's request
 * counts. The bench process uses it (bench-stack.ts), and so does a child process that must measure
 * only its own work (drain-node-child.ts), given the stack's address and the staff member's sign-in.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';

/** What a drain needs of the stack: a signed-in client, and the requests it made. */
export interface DrainServer {
  /** A fresh supabase-js client signed in as the kiosk staff member. */
  staffClient(): Promise<SupabaseClient>;
  /** Requests the gateway saw under /rest/v1 since the last reset. */
  restRequests(): Promise<number>;
  resetStats(): Promise<void>;
}

export interface StackAddress {
  url: string;
  anonKey: string;
}

export function newBenchClient({ url, anonKey }: StackAddress): SupabaseClient {
  return createClient(url, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: ws as unknown as typeof WebSocket },
  });
}

/** The gateway's QA endpoint `what` (its request counts, its faults). */
export function qaCall(stack: StackAddress, method: string, what: string, body?: unknown): Promise<Response> {
  return fetch(`${stack.url}/__qa/${what}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export function drainServer(stack: StackAddress, login: { email: string; password: string }): DrainServer {
  return {
    staffClient: async () => {
      const client = newBenchClient(stack);
      const { error } = await client.auth.signInWithPassword(login);
      if (error) throw new Error(`bench sign-in failed: ${error.message}`);
      return client;
    },
    restRequests: async () => {
      const stats = (await (await qaCall(stack, 'GET', 'stats')).json()) as {
        requests: Record<string, number>;
      };
      return Object.entries(stats.requests)
        .filter(([p]) => p.startsWith('/rest/v1/'))
        .reduce((sum, [, n]) => sum + n, 0);
    },
    resetStats: async () => {
      await qaCall(stack, 'DELETE', 'stats');
    },
  };
}
