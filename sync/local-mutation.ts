/**
 * A mutation as the device keeps it in the outbox: the wire `Mutation` plus local bookkeeping.
 * Stored records are parsed with `localMutation` when read, so a record written by an older version
 * (or corrupted) is caught at the IndexedDB boundary instead of deep in the planner.
 */
import { z } from 'zod/mini';
import { plainRecord } from './plain-record.ts';
import { type EntityName, type Mutation, mutation, rejectCode, uuid } from './protocol.ts';
import { object } from './zod-object.ts';

export type Row = Record<string, unknown>;

export const MUTATION_STATES = ['pending', 'sending', 'rejected', 'blocked'] as const;
export const mutationState = z.enum(MUTATION_STATES);
export type MutationState = z.infer<typeof mutationState>;

export const mutationError = object({
  code: rejectCode,
  message: z.string(),
  field: z.nullable(z.string()),
});
export type MutationError = z.infer<typeof mutationError>;

export const localMutation = z.extend(mutation, {
  state: mutationState,
  error: z.optional(mutationError),
  /** The rejected mutation this one waits behind (client-side hold or the server's `blocked`). */
  blockedBy: z.optional(uuid),
  /** Monotonic enqueue order on this device; never reused, even after the outbox empties. */
  seq: z.int().check(z.nonnegative()),
  actor: z._default(z.nullable(z.string()), null),
  /**
   * Ordering-only dependencies: a parent's delete goes after pending writes of its children, but
   * does not need them to succeed (discarding a child does not discard the parent's delete).
   * `deps` holds the hard ones: earlier writes of the same row, pending writes of referenced rows.
   */
  after: z._default(z.array(uuid), []),
  /** `entity:key` of every row this one references (from `data`, or from the row before a delete). */
  refKeys: z._default(z.array(z.string()), []),
  /** The local row before this write: what `discard` restores. */
  before: z._default(z.nullable(plainRecord), null),
  /** The row did not exist on the server when this row's chain of pending writes began. */
  createsRow: z.boolean(),
  /** Its own id went on the wire (it was the id a group was sent under): the server may hold it. */
  attempted: z._default(z.boolean(), false),
  /**
   * The seq this record goes on the wire with when it stands for writes later than its place in
   * the outbox: a rejected group collapsed into one record keeps its first member's `seq` (its place)
   * but carries its last member's data, and a member of it may already be on the server.
   */
  wireSeq: z.optional(z.int().check(z.nonnegative())),
});
export type LocalMutation = z.infer<typeof localMutation>;
/** An outbox record as stored: fields at their defaults may be absent (`storedForm`). */
export type StoredMutation = z.input<typeof localMutation>;

/**
 * The record a new entry is stored as: without the fields at their defaults (no deps, no `after`,
 * no references, no row before, not attempted, no actor), which `localMutation` fills in when it is
 * read. A smaller record is less for IndexedDB to clone, index and keep on every save; a record of
 * the whole shape (any older version's) reads the same.
 */
export function storedForm(m: LocalMutation): StoredMutation {
  const { deps, after, refKeys, before, attempted, actor, ...kept } = m;
  return {
    ...kept,
    ...(deps.length > 0 ? { deps } : {}),
    ...(after.length > 0 ? { after } : {}),
    ...(refKeys.length > 0 ? { refKeys } : {}),
    ...(before !== null ? { before } : {}),
    ...(attempted ? { attempted } : {}),
    ...(actor !== null ? { actor } : {}),
  };
}

export function refKey(entity: EntityName, key: string): string {
  return `${entity}:${key}`;
}

/** The protocol envelope of a local mutation; `deps` on the wire carries both kinds. */
export function toWire(m: LocalMutation, deps: readonly string[] = [...m.deps, ...m.after]): Mutation {
  return {
    id: m.id,
    clientId: m.clientId,
    entity: m.entity,
    op: m.op,
    key: m.key,
    data: m.data,
    deps: [...new Set(deps)],
    actor: m.actor,
    createdAt: m.createdAt,
    seq: m.wireSeq ?? m.seq,
    ...(m.base === undefined ? {} : { base: m.base }),
  };
}
