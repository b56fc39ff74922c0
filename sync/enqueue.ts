/**
 * Dependencies derived at enqueue time, from the entity declarations (entities.ts) and the outbox as
 * it is inside the write's transaction. Pure, so both stores derive exactly the same.
 */
import { ENTITIES } from './entities.ts';
import { mergeBases } from './field-changes.ts';
import { type LocalMutation, type Row, refKey } from './local-mutation.ts';
import type { EntityName, MutationOp } from './protocol.ts';

export interface EnqueueContext {
  id: string;
  clientId: string;
  seq: number;
  createdAt: string;
  actor: string | null;
  entity: EntityName;
  op: MutationOp;
  key: string;
  /** The row to write (upsert) or null (delete). */
  data: Row | null;
  /** The local row before this write, if any. */
  before: Row | undefined;
  /** A field-level edit's changed fields and the values the user started from (see `Mutation.base`). */
  base?: Row | undefined;
  /** Outbox entries of the same row. */
  sameKey: readonly LocalMutation[];
  /** Outbox entries of the rows `data` references (upserts only). */
  referenced: readonly LocalMutation[];
  /** Outbox entries of rows that reference this one (deletes only). */
  referencing: readonly LocalMutation[];
}

/** `entity:key` of each row a row references, per the entity's declared references. */
export function referencedKeys(entity: EntityName, row: Row | null | undefined): string[] {
  if (!row) return [];
  const out: string[] = [];
  for (const ref of ENTITIES[entity].references) {
    const value = row[ref.field];
    if (typeof value === 'string') out.push(refKey(ref.entity, value));
  }
  return out;
}

/** The latest entry per row: it already depends on the earlier ones of its row. */
function latestPerRow(entries: readonly LocalMutation[]): LocalMutation[] {
  const latest = new Map<string, LocalMutation>();
  for (const m of entries) {
    const k = refKey(m.entity, m.key);
    const seen = latest.get(k);
    if (!seen || seen.seq < m.seq) latest.set(k, m);
  }
  return [...latest.values()];
}

export function buildMutation(ctx: EnqueueContext): LocalMutation {
  const sameKey = [...ctx.sameKey].sort((a, b) => a.seq - b.seq);
  const head = sameKey[0];
  const last = sameKey[sameKey.length - 1];
  const deps = new Set<string>();
  if (last) deps.add(last.id);
  // An upsert needs its parents on the server first; a delete does not.
  if (ctx.op === 'upsert') for (const m of latestPerRow(ctx.referenced)) deps.add(m.id);
  // A parent's delete goes after its children's pending writes (else the FK refuses it), but only
  // as an ordering: those writes failing or being discarded does not void the delete.
  const after =
    ctx.op === 'delete' ? latestPerRow(ctx.referencing.filter((m) => m.id !== ctx.id)).map((m) => m.id) : [];
  return {
    id: ctx.id,
    clientId: ctx.clientId,
    entity: ctx.entity,
    op: ctx.op,
    key: ctx.key,
    data: ctx.op === 'upsert' ? ctx.data : null,
    ...(ctx.op === 'upsert' && ctx.base !== undefined ? { base: ctx.base } : {}),
    deps: [...deps],
    actor: ctx.actor,
    createdAt: ctx.createdAt,
    state: 'pending',
    seq: ctx.seq,
    after: after.filter((id) => !deps.has(id)),
    refKeys: referencedKeys(ctx.entity, ctx.op === 'upsert' ? ctx.data : ctx.before),
    before: ctx.before ?? null,
    // A row with no local copy and no pending chain is new; a chain keeps the answer of its start.
    createsRow: head ? head.createsRow : ctx.before === undefined,
    attempted: false,
  };
}

/**
 * What a write with `replacesRejected` takes the place of: the row's entries from its first
 * rejected one on (the refusal and what of the row waits behind it). The new write carries the
 * whole row as it is now, so none of them has anything left to send.
 */
export function refusedTail(sameKey: readonly LocalMutation[]): LocalMutation[] {
  const sorted = [...sameKey].sort((a, b) => a.seq - b.seq);
  const first = sorted.findIndex((m) => m.state === 'rejected');
  return first === -1 ? [] : sorted.slice(first);
}

/**
 * The new write standing in for `replaced` (built without them): it keeps the row as it was before
 * the refused chain (what a discard restores) and whether that chain creates the row. Only a
 * `rejected` answer proves the server did not apply an entry that went on the wire. A field-level
 * write also carries the fields the replaced edits changed (their values are in the row it
 * writes), with their bases; if any of them was a whole-row write, so is this one.
 */
export function replacing(m: LocalMutation, replaced: readonly LocalMutation[]): LocalMutation {
  const first = replaced[0];
  if (!first) return m;
  const onServer = replaced.some((r) => r.attempted && r.state !== 'rejected');
  const { base: _base, ...rest } = m;
  const base =
    m.op === 'upsert'
      ? mergeBases([...replaced.map((r) => (r.op === 'upsert' ? r.base : undefined)), m.base])
      : undefined;
  return {
    ...rest,
    ...(base === undefined ? {} : { base }),
    before: first.before,
    createsRow: first.createsRow && !onServer,
  };
}
