/**
 * The local gateway's QA endpoints, as the testing screen calls them. Only the local stack (`npm
 * start`) serves `/__qa/`; a hosted Supabase answers something else, so every answer is validated
 * and anything unexpected reads as "not the local stack" rather than as settings.
 */
import { z } from 'zod/mini';
import { type FaultSettings, faultSettings } from '../../../supabase/local/fault-settings.ts';

/** The Supabase URL the app talks to when none is configured (as src/data/supabase-client.ts). */
const LOCAL_SUPABASE_URL = 'http://127.0.0.1:54321';

/** The QA base URL: `/__qa` on the origin of the Supabase URL the app was built with. */
export function qaBaseUrl(supabaseUrl: string | undefined): string | null {
  try {
    return `${new URL(supabaseUrl || LOCAL_SUPABASE_URL).origin}/__qa`;
  } catch {
    return null;
  }
}

const stats = z.object({ requests: z.record(z.string(), z.number()) });
export type GatewayStats = Readonly<Record<string, number>>;

export type GatewayAnswer<T> =
  | { kind: 'ok'; value: T }
  /** 400: the gateway refused the values; `body` names the fields. */
  | { kind: 'refused'; body: unknown }
  /** No answer, or not the gateway's (another server, a network error, a timeout). */
  | { kind: 'unreachable'; detail: string };

export interface GatewayClient {
  getFaults(): Promise<GatewayAnswer<FaultSettings>>;
  putFaults(patch: Readonly<Record<string, unknown>>): Promise<GatewayAnswer<FaultSettings>>;
  resetFaults(): Promise<GatewayAnswer<FaultSettings>>;
  getStats(): Promise<GatewayAnswer<GatewayStats>>;
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

const TIMEOUT_MS = 8000;

export function gatewayClient(base: string, fetchFn: FetchLike = (i, init) => fetch(i, init)): GatewayClient {
  async function call<T>(
    method: 'GET' | 'PUT' | 'DELETE',
    path: string,
    schema: z.ZodMiniType<T>,
    body?: unknown,
  ): Promise<GatewayAnswer<T>> {
    let response: Response;
    try {
      response = await fetchFn(`${base}/${path}`, {
        method,
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      return { kind: 'unreachable', detail: error instanceof Error ? error.message : String(error) };
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      return { kind: 'unreachable', detail: `HTTP ${response.status}, not JSON` };
    }
    if (response.status === 400) return { kind: 'refused', body: json };
    if (!response.ok) return { kind: 'unreachable', detail: `HTTP ${response.status}` };
    const parsed = schema.safeParse(json);
    return parsed.success
      ? { kind: 'ok', value: parsed.data }
      : { kind: 'unreachable', detail: 'unexpected answer' };
  }

  return {
    getFaults: () => call('GET', 'faults', faultSettings),
    putFaults: (patch) => call('PUT', 'faults', faultSettings, patch),
    resetFaults: () => call('DELETE', 'faults', faultSettings),
    getStats: async () => {
      const answer = await call('GET', 'stats', stats);
      return answer.kind === 'ok' ? { kind: 'ok', value: answer.value.requests } : answer;
    },
  };
}
