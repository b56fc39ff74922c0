/**
 * The one way the screens write a synced row. The candidate is validated once, with the entity's own
 * schema (sync/entities.ts: the server's rules), and a refusal comes back field by field as a
 * `WriteResult`; a valid row goes to the store in one transaction with its outbox entry (the store
 * does not parse it again: `parseEntityRow`). Nothing
 * here calls the network: the engine sends the entry when it can.
 *
 * What follows every write (asking the browser to keep the data, and for a Background Sync) hangs
 * off the store's write event, once, in `afterEachWrite`, not in each writer.
 */
import type { z } from 'zod/mini';
import type { Appointment, Patient } from '../../sync/entities.ts';
import type { Row } from '../../sync/local-mutation.ts';
import type { EntityName } from '../../sync/protocol.ts';
import { parseEntityRow } from '../../sync/stores/prepare-write.ts';
import type { SyncStore, WriteInput } from '../../sync/stores/sync-store.ts';
import { currentActor } from './session-user.ts';
import type { WriteResult } from './write-result.ts';

/** The row type of each entity, as its schema parses it. */
export interface EntityRows {
  patients: Patient;
  appointments: Appointment;
}

export interface EntityWriteOptions {
  /**
   * The write corrects a row the server refused: it takes the place of the refused entries (and
   * what of the row waits behind them) in the same transaction, so it does not wait behind them.
   */
  replacesRejected?: boolean;
  /**
   * An edit: the row as the screen showed it before the user changed anything. The store then
   * writes only the fields the user changed, over the row as it is stored now (another tab or a
   * pull may have changed the others), and sends them field-level (sync/field-changes.ts), so a
   * stale screen never puts back values it did not touch.
   */
  base?: Record<string, unknown> | null;
  /**
   * The screen made this row's id for this save (a new profile, a new booking): the store then
   * reads nothing of it before writing (see `WriteInput.fresh`). A wrong claim costs a second try.
   */
  fresh?: boolean;
}

function toInput(
  entity: EntityName,
  row: Row,
  { replacesRejected = false, base = null, fresh = false }: EntityWriteOptions,
): WriteInput {
  // Whose write this is: it is sent only under that account (session-user.ts, own-writes.ts).
  const actor = currentActor();
  return {
    entity,
    op: 'upsert',
    row,
    replacesRejected,
    ...(actor ? { actor } : {}),
    ...(base ? { base } : {}),
    ...(fresh ? { fresh } : {}),
  };
}

export async function writeEntity<E extends EntityName>(
  store: Pick<SyncStore, 'write'>,
  entity: E,
  candidate: unknown,
  options: EntityWriteOptions = {},
): Promise<WriteResult<EntityRows[E]>> {
  // ENTITIES types each schema as either entity's; the name picks the one for this entity.
  const parsed = parseEntityRow(entity, candidate) as z.util.SafeParseResult<EntityRows[E]>;
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  const written = await store.write(toInput(entity, parsed.data, options));
  // The row as written: for an edit, the stored row with the user's changes.
  return { ok: true, row: (written.data ?? parsed.data) as EntityRows[E] };
}

export interface EntityWrite {
  entity: EntityName;
  candidate: unknown;
  options?: EntityWriteOptions;
}

export type BatchWriteResult =
  | { ok: true; rows: Row[] }
  /** `index`: the write refused; nothing of the batch was written. */
  | { ok: false; index: number; issues: readonly z.core.$ZodIssue[] };

/**
 * Writes the patient makes with one tap (a new profile and its first booking) as one transaction:
 * each candidate is validated first, and either all land in the outbox, in order, or none.
 */
export async function writeEntities(
  store: Pick<SyncStore, 'writeAll'>,
  writes: readonly EntityWrite[],
): Promise<BatchWriteResult> {
  const rows: Row[] = [];
  for (const [index, w] of writes.entries()) {
    const parsed = parseEntityRow(w.entity, w.candidate);
    if (!parsed.success) return { ok: false, index, issues: parsed.error.issues };
    rows.push(parsed.data as Row);
  }
  const written = await store.writeAll(
    writes.map((w, i) => toInput(w.entity, rows[i] ?? {}, w.options ?? {})),
  );
  // The rows as written: for an edit, the stored row with the user's changes.
  return { ok: true, rows: written.map((m, i) => m.data ?? rows[i] ?? {}) };
}

export interface WriteEffects {
  /** Ask the browser not to evict the data: a phone low on space could delete unsent bookings. */
  persist(): Promise<unknown>;
  /** Ask the service worker to drain even if the page closes before the connection returns. */
  backgroundSync(): void;
}

/** Runs the effects after every local write to `store`; returns the unsubscribe function. */
export function afterEachWrite(store: Pick<SyncStore, 'subscribe'>, effects: WriteEffects): () => void {
  return store.subscribe((event) => {
    if (event.type !== 'write') return;
    void effects.persist();
    effects.backgroundSync();
  });
}
