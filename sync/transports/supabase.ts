/**
 * The Supabase transport: `sync_push` (with or without the pull page in its answer) and `sync_pull`
 * over supabase-js `rpc()`. Failures are classified on HTTP status and PostgREST code — never on
 * message text (supabase-js reports a network failure as status 0 with an empty code). Answers are
 * validated with the protocol's zod schemas before the engine sees them.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { z } from 'zod/mini';
import { ERROR_KINDS, type ErrorKind, SyncTransportError } from '../errors.ts';
import { newAbortController } from '../platform.ts';
import { type Clock, systemClock } from '../ports.ts';
import {
  type Mutation,
  PULL_LIMITS,
  type PullResponse,
  type PushAndPullResponse,
  type PushResult,
  pullResponse,
  pushAndPullResponse,
  pushResponse,
} from '../protocol.ts';
import type { PullOptions, PullRequest, SyncTransport } from './transport.ts';

export type RpcClient = Pick<SupabaseClient, 'rpc'>;
type RpcSignal = Parameters<ReturnType<RpcClient['rpc']>['abortSignal']>[0];

export interface SupabaseTransportOptions {
  /** Abort a call after this long (the answer may still commit: the ledger makes the retry safe). */
  timeoutMs?: number;
  clock?: Clock;
  /** supabase-js hides response headers; this recorder (given to createClient as its fetch) keeps Retry-After. */
  retryAfter?: RetryAfterRecorder;
}

/** Maps a failed call to an error kind; exported for its table test. */
export function kindOfFailure(status: number, aborted: boolean): ErrorKind {
  if (status === 0) return aborted ? ERROR_KINDS.timeout : ERROR_KINDS.network;
  if (status === 401) return ERROR_KINDS.unauthorized;
  if (status === 403) return ERROR_KINDS.forbidden;
  if (status === 408) return ERROR_KINDS.timeout;
  if (status === 429) return ERROR_KINDS.rateLimited;
  if (status >= 500) return ERROR_KINDS.server;
  return ERROR_KINDS.badRequest;
}

/** The URL of a fetch's first argument: a string, a URL (`href`) or a Request (`url`). */
function urlOf(input: unknown): string {
  if (typeof input === 'string') return input;
  if (typeof input === 'object' && input !== null) {
    const { href, url } = input as { href?: unknown; url?: unknown };
    if (typeof href === 'string') return href;
    if (typeof url === 'string') return url;
  }
  return '';
}

/** Retry-After as seconds or an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Any fetch (the page's, a worker's, Node's): only the answer's headers are read here. */
export type FetchLike = (...args: never[]) => Promise<{ headers: { get(name: string): string | null } }>;

export interface RetryAfterRecorder<F extends FetchLike = FetchLike> {
  /** Pass as `createClient(url, key, { global: { fetch } })`. */
  fetch: F;
  /** The Retry-After of the last response for this RPC, once. */
  take(rpc: string): number | null;
}

/**
 * Wraps the platform fetch (injected: a page, a worker and Node each pass theirs) to remember the
 * Retry-After of RPC responses. Keyed by RPC name: a drain makes one call at a time.
 */
export function retryAfterRecorder<F extends FetchLike>(
  baseFetch: F,
  clock: Clock = systemClock,
): RetryAfterRecorder<F> {
  const seen = new Map<string, number>();
  // Called with whatever the client passes its fetch: forwarded as is.
  const call = baseFetch as unknown as (...args: unknown[]) => ReturnType<F>;
  const wrapped = async (...args: unknown[]) => {
    const response = await call(...args);
    const url = urlOf(args[0]);
    const rpc = /\/rpc\/([^/?#]+)/.exec(url)?.[1];
    const ms = parseRetryAfter(response.headers.get('retry-after'), clock.now());
    if (rpc && ms !== null) seen.set(rpc, ms);
    else if (rpc) seen.delete(rpc);
    return response;
  };
  return {
    fetch: wrapped as unknown as F,
    take: (rpc) => {
      const ms = seen.get(rpc) ?? null;
      seen.delete(rpc);
      return ms;
    },
  };
}

/** `sync_pull`'s arguments, also the `pull` of a push body: one mapping of the options to the wire. */
function pullArgs(
  since: string | null,
  options: PullOptions,
): { since: string | null; max_rows: number; max_bytes?: number; kiosk?: true } {
  // Always named: a caller that passes nothing still gets pages of a known size.
  const rows = { since, max_rows: options.maxRows ?? PULL_LIMITS.defaultRows };
  // Named only when asked for: a server older than byte-sized pages has no such parameter.
  const sized = options.maxBytes === undefined ? rows : { ...rows, max_bytes: options.maxBytes };
  // Likewise: only a kiosk asks, and a push body's `pull` never carries it (`PullOptions.kiosk`).
  return options.kiosk ? { ...sized, kiosk: true } : sized;
}

export class SupabaseTransport implements SyncTransport {
  private readonly timeoutMs: number;
  private readonly clock: Clock;

  constructor(
    private readonly client: RpcClient,
    private readonly options: SupabaseTransportOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.clock = options.clock ?? systemClock;
  }

  push(clientId: string, mutations: readonly Mutation[]): Promise<PushResult[]> {
    return this.call('sync_push', { client_id: clientId, mutations }, pushResponse);
  }

  pull(cursor: string | null, options: PullOptions = {}): Promise<PullResponse> {
    return this.call('sync_pull', pullArgs(cursor, options), pullResponse);
  }

  pushAndPull(
    clientId: string,
    mutations: readonly Mutation[],
    request: PullRequest,
  ): Promise<PushAndPullResponse> {
    const body = { client_id: clientId, mutations, pull: pullArgs(request.since, request) };
    return this.call('sync_push', body, pushAndPullResponse);
  }

  private async call<T>(rpc: string, args: Record<string, unknown>, schema: z.ZodMiniType<T>): Promise<T> {
    const controller = newAbortController();
    const timer = this.clock.setTimeout(() => controller.abort(), this.timeoutMs);
    let answer: { data: unknown; error: { code?: string; message?: string } | null; status: number };
    try {
      // The platform's own AbortSignal, typed structurally in platform.ts.
      answer = await this.client.rpc(rpc, args).abortSignal(controller.signal as RpcSignal);
    } catch (e) {
      // supabase-js resolves with { error } for fetch failures; a throw is an abort or a bug below us.
      const aborted = controller.signal.aborted;
      throw new SyncTransportError(
        aborted ? ERROR_KINDS.timeout : ERROR_KINDS.network,
        `${rpc}: ${String(e)}`,
        0,
      );
    } finally {
      this.clock.clearTimeout(timer);
    }
    const retryAfterMs = this.options.retryAfter?.take(rpc) ?? null;
    if (answer.error) {
      const kind = kindOfFailure(answer.status, controller.signal.aborted);
      const code = answer.error.code ? ` ${answer.error.code}` : '';
      throw new SyncTransportError(
        kind,
        `${rpc}: ${answer.status}${code} ${answer.error.message ?? ''}`.trim(),
        answer.status,
        retryAfterMs,
      );
    }
    const parsed = schema.safeParse(answer.data);
    if (!parsed.success)
      throw new SyncTransportError(
        ERROR_KINDS.badResponse,
        `${rpc}: unexpected answer: ${parsed.error.message}`,
        answer.status,
      );
    return parsed.data;
  }
}

/** The engine's `refreshSession` for a supabase-js client: true when a fresh session is in place. */
export function supabaseSessionRefresher(client: Pick<SupabaseClient, 'auth'>): () => Promise<boolean> {
  return async () => {
    const { data, error } = await client.auth.refreshSession();
    return !error && data.session !== null;
  };
}
