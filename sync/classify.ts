/**
 * The one place that decides what an outcome means for the outbox (DESIGN.md, "Client handling").
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
      return { type: 'commit', row: r.first.row };
    case 'rejected':
      return { type: 'reject', error: { code: r.code, message: r.message, field: r.field ?? null } };
    case 'blocked':
      return { type: 'block', blockedBy: r.blockedBy };
    default:
      return unreachable(r);
  }
}

function classifyError(e: TransportErrorShape): SyncAction {
  const kind = e.kind;
  switch (kind) {
    case 'network':
    case 'timeout':
    case 'server':
    case 'rate_limited':
    case 'bad_request':
    case 'bad_response':
      return { type: 'retry-later', kind, message: e.message, retryAfterMs: e.retryAfterMs };
    case 'unauthorized':
      return { type: 'refresh-session', message: e.message };
    case 'forbidden':
      return { type: 'pause', kind, message: e.message };
    default:
      return unreachable(kind);
  }
}

function unreachable(x: never): never {
  throw new Error(`unclassified outcome: ${JSON.stringify(x)}`);
}
