/**
 * "Needs attention (N)" counts every outbox entry in state `rejected` or `blocked`
 * (`attentionCount`, from the store's state index), and leads to My appointments. That screen shows
 * an entry through its row: an appointment it lists, or the own profile's notice. An entry of any
 * other row (a walk-in's or a second profile's, an appointment the device no longer holds, a delete),
 * or one this version cannot read, was counted and shown nowhere but `#/qa`, with nothing to
 * discard it by: the header said "Needs attention" for good. These are what the screen lists
 * besides, from the same index the count reads, so every counted entry is on the screen it leads to.
 */

import { type LocalMutation, localMutation, type MutationError } from '../../sync/local-mutation.ts';
import type { ItemSyncState } from './item-sync-state.ts';

/** The states the header counts as needing attention (`attentionCount`): the index values read. */
export const ATTENTION_STATES = ['rejected', 'blocked'] as const;

export type UnlistedAttention =
  /** An entry this version reads: its row, what it does, and why it cannot be sent. */
  | { kind: 'entry'; id: string; entry: LocalMutation; error: MutationError | null }
  /** A record in the outbox that does not read as an entry (damaged, or an unknown shape). */
  | { kind: 'unreadable'; id: string | null };

export interface ListedRows {
  /** Ids of the appointments My appointments lists (each shows its own entries' state). */
  appointmentIds: ReadonlySet<string>;
  /** The own profile, when its notice on My appointments shows (an `attention` without `blockedBy`). */
  ownPatient: { id: string; sync: ItemSyncState | null } | null;
}

function listed(m: LocalMutation, rows: ListedRows): boolean {
  if (m.entity === 'appointments') return rows.appointmentIds.has(m.key);
  const own = rows.ownPatient;
  return own !== null && own.id === m.key && own.sync?.kind === 'attention' && !own.sync.blockedBy;
}

function idOf(record: unknown): string | null {
  if (typeof record !== 'object' || record === null) return null;
  const id = (record as { id?: unknown }).id;
  return typeof id === 'string' ? id : null;
}

/**
 * The counted records no row on the screen shows, in the order given. A blocked entry carries its
 * cause's error when the cause is among `records` (a blocked entry's cause is a rejected one).
 */
export function unlistedAttention(records: readonly unknown[], rows: ListedRows): UnlistedAttention[] {
  const parsed = records.map((r) => {
    const p = localMutation.safeParse(r);
    return p.success ? p.data : null;
  });
  const errors = new Map<string, MutationError>();
  for (const m of parsed) if (m?.error) errors.set(m.id, m.error);
  const out: UnlistedAttention[] = [];
  parsed.forEach((m, i) => {
    if (m === null) out.push({ kind: 'unreadable', id: idOf(records[i]) });
    else if (!listed(m, rows)) {
      const error = m.error ?? (m.blockedBy ? errors.get(m.blockedBy) : undefined) ?? null;
      out.push({ kind: 'entry', id: m.id, entry: m, error });
    }
  });
  return out;
}
