/**
 * The wire protocol between a device and the server, written once (zod) and validated where data
 * enters. Field names are snake_case where they are row columns (rows travel unchanged between
 * Postgres, the wire and IndexedDB) and camelCase for protocol envelopes.
 *
 * `POST /rpc/sync_push {client_id, mutations}` answers one `PushResult` per mutation, in the order
 * the mutations were sent. In SQL it is `sync_push(body json) returns jsonb`, one unnamed `json`
 * argument holding the whole request body: PostgREST passes it unparsed, so one mutation holding
 * U+0000 is rejected alone instead of failing the call, and the server counts the bytes the device
 * sent against PUSH_LIMITS.maxBytes. A mutation whose `clientId` differs from `client_id` is
 * rejected (`validation`, field `clientId`).
 * `sync_pull(since text default null, max_rows integer default 1000, max_bytes integer default
 * 262144, kiosk boolean default false) returns jsonb` answers a `PullResponse`: one page of at most
 * `max_rows` changes and about `max_bytes` of JSON, slots as compact runs; while `hasMore`, call
 * again with its cursor. `kiosk`: a clinic kiosk's page, with no appointment rows (their tombstones
 * still come; `PullOptions.kiosk`).
 * A push body may also carry `pull: {since, max_rows, max_bytes}`: then the answer is a
 * `PushAndPullResponse`, the batch's answers and the page after them, so a drain with nothing more
 * to pull is one call.
 */
import { z } from 'zod/mini';
import { plainRecord } from './plain-record.ts';
import { runProblem, type SlotRuns, slotRowsOf, slotRuns } from './slot-runs.ts';
import { object } from './zod-object.ts';

export const uuid = z.uuid();

/** The entities a device writes (each declared in entities.ts). */
export const ENTITY_NAMES = ['patients', 'appointments'] as const;
export const entityName = z.enum(ENTITY_NAMES);
export type EntityName = z.infer<typeof entityName>;
/** Read-only tables the server sends down with the entities. */
export const REFERENCE_TABLES = ['clinics', 'doctors', 'slots'] as const;
export type ReferenceTable = (typeof REFERENCE_TABLES)[number];
/** Every table a pull page carries. */
export const PULLED_TABLES = [...ENTITY_NAMES, ...REFERENCE_TABLES] as const;
export type PulledTable = (typeof PULLED_TABLES)[number];

export const mutationOp = z.enum(['upsert', 'delete']);
export type MutationOp = z.infer<typeof mutationOp>;

/**
 * Limits the server enforces on one `sync_push` call; the client cuts batches under them. A batch
 * over either limit fails as a whole, before anything is applied, with SQLSTATE `PT413` (PostgREST
 * answers HTTP 413): split it, don't retry it as is.
 */
export const PUSH_LIMITS = {
  /** Most mutations in one batch. */
  maxMutations: 1000,
  /** Most bytes of the JSON text of the mutations array (1,000 walk-ins of the longest rows fit). */
  maxBytes: 2_000_000,
} as const;

/**
 * One intended change. `data` is the full row as the device wants it (upsert) or null (delete).
 * `deps` are the ids of mutations this one depends on (earlier writes of the same row, pending writes
 * of referenced rows): the server answers `blocked` when one of them was rejected in the same batch.
 * `actor` is the auth user (or kiosk session) that made the write, kept for audit on shared devices.
 */
export const mutation = object({
  id: uuid,
  clientId: uuid,
  entity: entityName,
  op: mutationOp,
  key: uuid,
  data: z.nullable(plainRecord),
  deps: z._default(z.array(uuid), []),
  actor: z._default(z.nullable(z.string()), null),
  createdAt: z.string(),
  /**
   * The device's enqueue order (the outbox `seq`): increases with every write on one device. The
   * server remembers, per row, the (clientId, seq) of the last write applied; a mutation of the same
   * client with a smaller seq arriving later (a request given up on that still got through, after a
   * newer write of the row) is superseded: not applied, answered `applied` with the row as it is.
   * Optional for older clients, whose writes are last write wins.
   */
  seq: z.optional(z.int().check(z.nonnegative())),
  /**
   * A field-level edit (an upsert of a row the server already has): the fields the user changed,
   * each with the value the user saw before changing it. The server applies a field only while
   * the row still holds that value (or already holds the new one); otherwise the write that got
   * there first keeps it and the answer lists a `conflicts` entry. Fields not named are left as the
   * server has them, whatever `data` holds. Absent (a create, an older client): the whole row.
   */
  base: z.optional(plainRecord),
});
export type Mutation = z.infer<typeof mutation>;

/**
 * Stable rejection codes; the message beside them is for people.
 * - validation: the data breaks a rule (field says which); fix the field and retry.
 * - forbidden: the caller may not write this row (someone else's patient, another clinic).
 * - missing_parent: a referenced row (the patient) does not exist on the server and is not in the batch.
 * - slot_taken: another active appointment holds this doctor's slot; pick another slot.
 * - conflict: the row changed on the server in a way this write cannot follow (e.g. rescheduling a
 *   confirmed appointment); reload the row and decide again.
 * - no_slot: nothing free matched the request (an appointment by specialty, day and time of day; the
 *   message names them); pick another day/window or a specific slot.
 * - booking_limit: the patient already holds the most active bookings allowed (fewer for an account
 *   without sign-in); cancel one, or sign in.
 * - own_booking: the slot is held by another active appointment of the same patient (booked twice).
 * - transition: the appointment's status cannot move from what the server holds to the one written
 *   (sync/entities.ts APPOINTMENT_TRANSITIONS: e.g. a check-in after it was completed, a patient
 *   confirming, a cancel after the start); the message names from → to. Reload the row.
 */
export const REJECT_CODES = [
  'validation',
  'forbidden',
  'missing_parent',
  'slot_taken',
  'conflict',
  'no_slot',
  'booking_limit',
  'own_booking',
  'transition',
] as const;
export const rejectCode = z.enum(REJECT_CODES);
export type RejectCode = z.infer<typeof rejectCode>;

/** A field of a field-level edit the server did not apply: another write changed it first. */
export const fieldConflict = object({
  field: z.string(),
  /** The value this write wanted. */
  yours: z.unknown(),
  /** The value the server keeps. */
  theirs: z.unknown(),
});
export type FieldConflict = z.infer<typeof fieldConflict>;

/** Refusals fixed by picking another time: the slot is held, by someone else or by the same patient. */
export const SLOT_CONFLICTS: readonly RejectCode[] = ['slot_taken', 'own_booking'];
export function isSlotConflict(code: string | null | undefined): boolean {
  return SLOT_CONFLICTS.some((c) => c === code);
}

export const appliedResult = object({
  id: uuid,
  status: z.literal('applied'),
  /**
   * The canonical row after the write (null after a delete). For a superseded write (see
   * `mutation.seq`) the row as the later write left it (null if that deleted it).
   */
  row: z.nullable(plainRecord),
  /** Fields of a field-level edit (`mutation.base`) not applied because another write got there first. */
  conflicts: z.optional(z.array(fieldConflict)),
});

export const rejectedResult = object({
  id: uuid,
  status: z.literal('rejected'),
  code: rejectCode,
  message: z.string(),
  /** The offending field, when one field is to blame. */
  field: z.optional(z.nullable(z.string())),
});

export const blockedResult = object({
  id: uuid,
  status: z.literal('blocked'),
  /** The rejected mutation this one waits behind. */
  blockedBy: uuid,
  message: z.string(),
});

/**
 * A mutation the ledger already holds: `first` is, byte for byte, the answer given the first time.
 * A refusal is kept too: a late copy of a refused write (a request given up on that arrives after the
 * user discarded it, when the slot has come free) must not apply behind the user's back.
 */
export const duplicateResult = object({
  id: uuid,
  status: z.literal('duplicate'),
  first: z.discriminatedUnion('status', [appliedResult, rejectedResult]),
});

export const pushResult = z.discriminatedUnion('status', [
  appliedResult,
  rejectedResult,
  blockedResult,
  duplicateResult,
]);
export type PushResult = z.infer<typeof pushResult>;
export const pushResponse = z.array(pushResult);

/**
 * A row deleted on the server, or a booking that left the caller's clinic's view (moved to another
 * clinic's doctor): either way the device drops its copy.
 */
export const tombstone = object({ entity: entityName, id: uuid });

/**
 * How big one `sync_pull` page may be asked to be. The server refuses anything outside (22023).
 * Bytes are the JSON text of the answer as the server estimates it: a page stops before the row
 * that would go over, and always holds at least one row (a row bigger than the budget still comes).
 */
export const PULL_LIMITS = {
  /** What a client asks for unless told otherwise (and the server's default). */
  defaultRows: 1000,
  maxRows: 10_000,
  /** The server's default byte budget (262,144). */
  defaultBytes: 256 * 1024,
  minBytes: 1024,
  maxBytes: 8 * 1024 * 1024,
} as const;

const changedRows = z.array(plainRecord);

/**
 * `changes.slots`: compact runs (sync/slot-runs.ts) from this server, a plain array of rows from
 * an older one; either way the device gets rows, the same rows it always stored.
 */
const slotChanges = z.union([
  changedRows,
  z.pipe(
    slotRuns,
    z.transform((compact: SlotRuns, ctx) => {
      for (const run of compact.runs) {
        const problem = runProblem(run);
        if (problem) {
          ctx.issues.push({ code: 'custom', message: `slot run: ${problem}`, input: run });
          return z.NEVER;
        }
      }
      return slotRowsOf(compact);
    }),
  ),
]);

const pulledChanges = {
  ...Object.fromEntries(PULLED_TABLES.map((t) => [t, changedRows])),
  slots: slotChanges,
};

/** The one parser of a pull page, wherever it arrives (a `sync_pull` answer, or inside a push answer). */
export const pullResponse = object({
  /**
   * Opaque cursor for the next call; pass null the first time. It is exact: a page may stop inside
   * the changes of one transaction, and the next page goes on right after the last row given.
   */
  cursor: z.string(),
  /** More changes wait past this page: pull again with `cursor`. Absent from older servers. */
  hasMore: z._default(z.boolean(), false),
  /** Rows of each table the caller may see, changed after the previous cursor (slots as runs). */
  changes: object(
    pulledChanges as Record<Exclude<PulledTable, 'slots'>, typeof changedRows> & {
      slots: typeof slotChanges;
    },
  ),
  deleted: z.array(tombstone),
});
export type PullResponse = z.infer<typeof pullResponse>;

/**
 * `sync_push` with `"pull": {"since", "max_rows"}` in its body: the batch's answers and, in the same
 * call, exactly what `sync_pull(since, max_rows)` answers once the batch is applied. The page is
 * parsed by `pullResponse`, the one parser of a pull page. Without `pull` the answer is the bare
 * array; so is it from a server older than the page (it ignores the key): `pull` is then null, and
 * the page comes by `sync_pull`.
 */
export const pushAndPullResponse = z.union([
  object({ results: pushResponse, pull: pullResponse }),
  z.pipe(
    pushResponse,
    z.transform((results: PushResult[]) => ({ results, pull: null })),
  ),
]);
export type PushAndPullResponse = z.infer<typeof pushAndPullResponse>;

/** A page as it travels (slots may be runs); `PullResponse` is the page as the device uses it. */
export type PullWire = z.input<typeof pullResponse>;
