/**
 * The device's client id (meta `clientId`), the id every outbox entry is written under and every
 * push is sent under (the server refuses an entry whose clientId is not the push's). A stored id that
 * is missing or not a uuid (damaged, edited by hand) while entries are queued used to be replaced by
 * a new one, or sent as it was: the server then refused every queued write ("clientId … does not
 * match the client_id of this push", or the whole call for a client_id that is not a uuid), so
 * everything the user had saved needed attention. The id the queued entries carry is taken back.
 */
import type { RawTx } from './raw-tables.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The stored id, when it is one. */
export function storedClientId(value: unknown): string | null {
  return typeof value === 'string' && UUID.test(value) ? value : null;
}

/** The id the outbox's first entry was written under, if the outbox holds one with a valid id. */
export async function queuedClientId(tx: Pick<RawTx, 'mutationsAfter'>): Promise<string | null> {
  const [first] = await tx.mutationsAfter(-1, 1);
  return storedClientId((first as { clientId?: unknown } | undefined)?.clientId);
}
