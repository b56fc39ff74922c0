/**
 * Where one row stands on its way to the clinic, from the outbox: the answer the appointment list
 * and the profile show next to every item. Derived here only (`rowSyncStates`).
 */
import { ENTITIES } from '../../sync/entities.ts';
import type { LocalMutation, MutationError } from '../../sync/local-mutation.ts';
import type { EntityName } from '../../sync/protocol.ts';

export type ItemSyncState =
  /** Nothing queued for the row: the server holds what the phone shows. */
  | { kind: 'synced' }
  /** Queued on the device, waiting for a connection or the next drain. */
  | { kind: 'saved'; mutationIds: string[] }
  | { kind: 'sending'; mutationIds: string[] }
  /**
   * The server refused the write (or one it depends on). `mutationId` is the entry to fix or
   * discard; `blockedBy` is set when the refusal belongs to another row (e.g. the profile).
   */
  | { kind: 'attention'; mutationId: string; error: MutationError | null; blockedBy: LocalMutation | null };

export function itemSyncState(
  entries: readonly LocalMutation[],
  outbox: readonly LocalMutation[],
): ItemSyncState {
  if (entries.length === 0) return { kind: 'synced' };
  const rejected = entries.find((m) => m.state === 'rejected');
  if (rejected)
    return { kind: 'attention', mutationId: rejected.id, error: rejected.error ?? null, blockedBy: null };
  const blocked = entries.find((m) => m.state === 'blocked');
  if (blocked) {
    const cause = outbox.find((m) => m.id === blocked.blockedBy) ?? null;
    return { kind: 'attention', mutationId: blocked.id, error: cause?.error ?? null, blockedBy: cause };
  }
  const ids = entries.map((m) => m.id);
  if (entries.some((m) => m.state === 'sending')) return { kind: 'sending', mutationIds: ids };
  return { kind: 'saved', mutationIds: ids };
}

/** Outbox entries grouped by `entity:key`, in enqueue order. */
export function groupByRow(outbox: readonly LocalMutation[]): Map<string, LocalMutation[]> {
  const groups = new Map<string, LocalMutation[]>();
  for (const m of [...outbox].sort((a, b) => a.seq - b.seq)) {
    const k = `${m.entity}:${m.key}`;
    const list = groups.get(k);
    if (list) list.push(m);
    else groups.set(k, [m]);
  }
  return groups;
}

/**
 * Each row's state from one read of the outbox. A row whose own writes wait behind a refused write of
 * a row it references (a booking behind its refused profile) shows that refusal: it cannot be sent
 * either, and the fix is there.
 */
export function rowSyncStates(
  outbox: readonly LocalMutation[],
): (entity: EntityName, row: { id: string } & Record<string, unknown>) => ItemSyncState {
  const groups = groupByRow(outbox);
  const of = (entity: EntityName, key: string) => itemSyncState(groups.get(`${entity}:${key}`) ?? [], outbox);
  return (entity, row) => {
    const own = of(entity, row.id);
    if (own.kind === 'attention' || own.kind === 'synced') return own;
    for (const ref of ENTITIES[entity].references) {
      const parentKey = row[ref.field];
      if (typeof parentKey !== 'string') continue;
      const parent = of(ref.entity, parentKey);
      if (parent.kind === 'attention') return parent;
    }
    return own;
  };
}
