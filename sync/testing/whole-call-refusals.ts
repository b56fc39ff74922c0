/**
 * How a server refuses a whole `sync_push` call for what one mutation carries, before any mutation is
 * answered: the errors the in-process model throws (`InProcessServer.refuseWholeCall`), worded as
 * `SyncTransport` reports PostgREST's (`sync_push: <status> <code> <message>`).
 */
import { ERROR_KINDS, SyncTransportError } from '../errors.ts';
import { utf8Length } from '../platform.ts';

/** The call as it reaches the server: its client id and the mutations, parsed from the JSON body. */
export interface PushCall {
  clientId: string;
  mutations: readonly unknown[];
}

/** An error to answer the whole call with, or null to let it through. */
export type WholeCallRefusal = (call: PushCall) => SyncTransportError | null;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every string in a JSON value, object keys included. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

function refusal(status: number, code: string, message: string): SyncTransportError {
  return new SyncTransportError(ERROR_KINDS.badRequest, `sync_push: ${status} ${code} ${message}`, status);
}

/**
 * PostgREST 12, today: a lone UTF-16 surrogate (`"\ud800"`) is not Unicode, and PostgREST refuses
 * the JSON body before any SQL runs. (U+0000 and null keys are answered per mutation since
 * 20261129000100_push_isolation.sql; the model answers them so through the entity schemas.)
 */
export const postgrestRefusal: WholeCallRefusal = (call) =>
  strings(call.mutations).some((s) => LONE_SURROGATE.test(s))
    ? refusal(400, 'PGRST102', 'Empty or invalid json')
    : null;

/**
 * The server before push isolation (and any server that regresses): U+0000 fails the jsonb cast of
 * the whole body (22P05), and a null `entity` or `key` fails building the ledger key (22004), each
 * answering the whole call 400; a lone surrogate as PostgREST does.
 */
export const beforeIsolationRefusal: WholeCallRefusal = (call) => {
  const lone = postgrestRefusal(call);
  if (lone) return lone;
  if (strings(call.mutations).some((s) => s.includes('\u0000')))
    return refusal(400, '22P05', 'unsupported Unicode escape sequence');
  const nullKey = call.mutations.some((m) => {
    const r = (typeof m === 'object' && m !== null ? m : {}) as Record<string, unknown>;
    return r.entity === null || r.key === null;
  });
  return nullKey ? refusal(400, '22004', 'argument 1: key must not be null') : null;
};

/** A proxy in front of the API that takes bodies up to `maxBytes` (UTF-8) and answers 413 beyond. */
export function bodyLimitRefusal(maxBytes: number): WholeCallRefusal {
  return (call) => {
    const body = JSON.stringify({ client_id: call.clientId, mutations: call.mutations });
    return utf8Length(body) > maxBytes ? refusal(413, 'PT413', `request body over ${maxBytes} bytes`) : null;
  };
}

/** Refuses with the first refusal that applies. */
export function refusals(...all: readonly WholeCallRefusal[]): WholeCallRefusal {
  return (call) => {
    for (const refuse of all) {
      const error = refuse(call);
      if (error) return error;
    }
    return null;
  };
}
