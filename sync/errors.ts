/**
 * Error kinds of the sync engine. Each is a string constant with the recovery it calls for; the one
 * classifier (`classify.ts`) maps them to actions. Errors can cross a worker boundary (structured
 * clone drops the prototype), so they are recognised by `name` and `kind`, never by `instanceof`.
 */

export const ERROR_KINDS = {
  /** Device offline or the connection dropped (fetch failed, status 0): retry with backoff; `online` retries now. */
  network: 'network',
  /** No answer in time (408, or our own deadline); the server may have committed: retry, the ledger makes it harmless. */
  timeout: 'timeout',
  /** The server failed (5xx): retry with exponential backoff and full jitter, honouring Retry-After. */
  server: 'server',
  /** Too many requests (429): wait for Retry-After (or backoff), then retry. */
  rateLimited: 'rate_limited',
  /** The session is missing or expired (401): refresh the session once and retry; otherwise pause and ask to sign in. */
  unauthorized: 'unauthorized',
  /** The caller may not call sync at all (403 on the call): pause, keep everything, ask to sign in with another account. */
  forbidden: 'forbidden',
  /**
   * The server refused the call (other 4xx). 400, 409, 413 and 422 refuse the batch for what it
   * holds: split it and resend the halves, down to the one mutation to reject. 404, 405 and the like
   * say the server is not what the app expects: keep everything, retry with backoff, report.
   */
  badRequest: 'bad_request',
  /**
   * The answer did not match the protocol (zod failed, results missing): split the batch as for a
   * refusal (the ledger makes resending what did apply harmless). Without an answer (a bug of ours
   * below the engine) retry with backoff, report.
   */
  badResponse: 'bad_response',
  /**
   * The network answered instead of the server: a Wi-Fi login page (a hotel's or station's hotspot
   * answers 200 with HTML, or 511). Set by the classifier, never by a transport: the network is not
   * really there, so retry with backoff as for `network`, and tell the user what it looks like.
   */
  captivePortal: 'captive_portal',
} as const;
export type ErrorKind = (typeof ERROR_KINDS)[keyof typeof ERROR_KINDS];
export const ALL_ERROR_KINDS: readonly ErrorKind[] = Object.values(ERROR_KINDS);

export const TRANSPORT_ERROR_NAME = 'SyncTransportError';

/** What a transport throws. Plain data besides the Error, so it survives postMessage. */
export class SyncTransportError extends Error {
  override readonly name = TRANSPORT_ERROR_NAME;
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly status: number | null = null,
    /** From Retry-After, in milliseconds, when the server sent one. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

export interface TransportErrorShape {
  name: typeof TRANSPORT_ERROR_NAME;
  kind: ErrorKind;
  message: string;
  status: number | null;
  retryAfterMs: number | null;
}

/** Recognises a transport error by name (also a structured-cloned one from a worker). */
export function isTransportError(e: unknown): e is TransportErrorShape {
  if (typeof e !== 'object' || e === null) return false;
  const r = e as Record<string, unknown>;
  return r.name === TRANSPORT_ERROR_NAME && ALL_ERROR_KINDS.includes(r.kind as ErrorKind);
}

/**
 * Anything thrown during a drain as a transport error shape. An unknown error is a bug in our code or
 * a library's; treating it as `bad_response` keeps the outbox intact and retries with backoff.
 */
export function toTransportError(e: unknown): TransportErrorShape {
  if (isTransportError(e)) return e;
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return {
    name: TRANSPORT_ERROR_NAME,
    kind: ERROR_KINDS.badResponse,
    message,
    status: null,
    retryAfterMs: null,
  };
}

export const VALIDATION_ERROR_NAME = 'SyncValidationError';

/** A local write that breaks the entity's rules; nothing was written. `field` names the first bad field. */
export class SyncValidationError extends Error {
  override readonly name = VALIDATION_ERROR_NAME;
  constructor(
    message: string,
    readonly field: string | null,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(message);
  }
}

export function isValidationError(e: unknown): e is SyncValidationError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === VALIDATION_ERROR_NAME;
}

export const CYCLE_ERROR_NAME = 'PlanCycleError';

/** The outbox's dependencies form a cycle: these mutations cannot be ordered. */
export class PlanCycleError extends Error {
  override readonly name = CYCLE_ERROR_NAME;
  constructor(readonly ids: readonly string[]) {
    super(`dependency cycle among ${ids.length} mutations: ${ids.slice(0, 5).join(', ')}`);
  }
}

export function isPlanCycleError(e: unknown): e is PlanCycleError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === CYCLE_ERROR_NAME;
}
