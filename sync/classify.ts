/**
 * The one place that decides what an outcome means for the outbox (docs/architecture.md, "Client handling").
 * Every push result and every thrown error goes through `classify`; the exhaustive switch makes a new
 * result status or error kind a compile error until someone decides what it means.
 */
import { type ErrorKind, type TransportErrorShape, toTransportError } from './errors.ts';
import type { MutationError, Row } from './local-mutation.ts';
import type { PushResult } from './protocol.ts';

export type SyncAction =
  /** The server holds the write: drop it from the outbox and merge the canonical row. */
  | { type: 'commit'; row: Row | null }
  /** Keep it, marked rejected with the server's reason, for the user to fix or discard. */
  | { type: 'reject'; error: MutationError }
  /** Keep it, marked blocked behind the rejected mutation. */
  | { type: 'block'; blockedBy: string }
  /**
   * The server refused the whole batch for what it holds (400, 409, 413, 422, or an answer that does
   * not parse or match): send it again in halves; a lone mutation refused so is rejected with `error`.
   */
  | { type: 'split'; kind: ErrorKind; error: MutationError }
  /** Keep everything and try again later (backoff with full jitter; at least `retryAfterMs`). */
  | { type: 'retry-later'; kind: ErrorKind; message: string; retryAfterMs: number | null }
  /** Refresh the session once, then retry; without a session pause for sign-in. */
  | { type: 'refresh-session'; message: string }
  /** Keep everything and stop until the user signs in (again). */
  | { type: 'pause'; kind: ErrorKind; message: string };

export type Outcome = { result: PushResult } | { error: unknown };

export function classify(outcome: Outcome): SyncAction {
  if ('result' in outcome) return classifyResult(outcome.result);
  return classifyError(toTransportError(outcome.error));
}

function classifyResult(r: PushResult): SyncAction {
  switch (r.status) {
    case 'applied':
      return { type: 'commit', row: r.row };
    case 'duplicate':
      return classifyResult(r.first);
    case 'rejected':
      return { type: 'reject', error: { code: r.code, message: r.message, field: r.field ?? null } };
    case 'blocked':
      return { type: 'block', blockedBy: r.blockedBy };
    default:
      return unreachable(r);
  }
}

/**
 * Statuses that refuse the request body itself: malformed or unstorable JSON (PGRST102, 22P05, a null
 * object key), a conflict only found at commit (a deferred foreign key), too large (PT413). Other
 * 4xx (404 function not found, 405, 406) say the server or the deployment is wrong, whatever the
 * batch: splitting would only reject good writes, so they back off and retry as before.
 */
const REFUSED_BODY = new Set([400, 409, 413, 422]);

function classifyError(e: TransportErrorShape): SyncAction {
  const kind = e.kind;
  const retryLater = { type: 'retry-later', kind, message: e.message, retryAfterMs: e.retryAfterMs } as const;
  switch (kind) {
    case 'network':
    case 'timeout':
    case 'rate_limited':
    case 'captive_portal':
      return retryLater;
    case 'server':
      // 511 Network Authentication Required: a hotspot's login, said in HTTP.
      return e.status === 511 ? portal(e) : retryLater;
    case 'bad_request':
      // A "refusal" with a 2xx status is an answer that was not JSON at all: a login page, not PostgREST.
      if (e.status !== null && e.status >= 200 && e.status < 300) return portal(e);
      return e.status !== null && REFUSED_BODY.has(e.status) ? split(e) : retryLater;
    case 'bad_response':
      // Split only an answer the server gave to this batch (2xx, read, and wrong). Without one (a bug
      // below the engine, status null; a sign-in's unreadable answer, status 0) it is not the batch's doing.
      return e.status !== null && e.status >= 200 && e.status < 300 ? split(e) : retryLater;
    case 'unauthorized':
      return { type: 'refresh-session', message: e.message };
    case 'forbidden':
      return { type: 'pause', kind, message: e.message };
    default:
      return unreachable(kind);
  }
}

/** The network is not really there (a Wi-Fi login page answered): keep everything, back off, retry. */
function portal(e: TransportErrorShape): SyncAction {
  const message = `the network answered with a web page, not the server (${e.message.slice(0, 200)})`;
  return { type: 'retry-later', kind: 'captive_portal', message, retryAfterMs: e.retryAfterMs };
}

/**
 * Split, and what a lone mutation refused this way is rejected with. A refusal that is not the
 * batch's fault (a server bug that answers every call 400) also ends, after about two calls per
 * mutation, with every mutation rejected with the server's words. That is the right trade: the
 * device cannot tell a bad batch from a bad server by one answer, retrying the same batch forever
 * jams every later write behind it, and a rejection loses nothing: the write stays on the device,
 * "needs attention" with the reason, and the user retries it once the server is fixed.
 */
function split(e: TransportErrorShape): SyncAction {
  const message =
    e.status === 413
      ? `too large to send; shorten the text and retry (${e.message})`
      : e.kind === 'bad_response'
        ? `the server's answer could not be read (${e.message})`
        : `the server refused it (${e.message})`;
  return { type: 'split', kind: e.kind, error: { code: 'validation', message, field: null } };
}

function unreachable(x: never): never {
  throw new Error(`unclassified outcome: ${JSON.stringify(x)}`);
}
