/**
 * Field-level writes (protocol `Mutation.base`): an edit carries the fields the user changed and,
 * for each, the value the user started from. Pure helpers shared by the store (what an edit
 * changed), the planner (coalescing field by field) and the in-process server (applying a base).
 */
import type { EntityDefinition } from './entities.ts';
import { SyncValidationError } from './errors.ts';
import { fieldIssues } from './issue-text.ts';
import type { Row } from './local-mutation.ts';
import type { FieldConflict } from './protocol.ts';

/**
 * Columns only the server sets: never "changed by the user", whatever the form's copy holds.
 * (`id` is the key: an edit never changes it.)
 */
const SERVER_FIELDS = new Set([
  'id',
  'created_at',
  'updated_at',
  'version',
  'user_id',
  'registered_by',
  'clinic_id',
  'join_url',
]);

/**
 * Fields whose concurrent changes a state machine on the server decides, not "first write wins": an
 * appointment's status (completed wins over a late check-in, a check-in after a no-show is taken,
 * a cancel after check-in is refused — supabase/migrations/*_appointment_states.sql). A stale status
 * write is passed through to it and answered `applied` or `rejected` (`transition`) by it.
 */
export const STATE_MACHINE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  appointments: ['status'],
};

/** Equality of column values as JSON carries them; a missing value is null (the wire drops undefined). */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Timestamps: the server writes 2030-01-07T09:00:00+00:00 for what a device wrote as …09:00:00.000Z. */
const INSTANT_FIELDS = new Set(['starts_at', 'ends_at']);

/** Equality of one field's values as the server judges it (`private.same_field_value`). */
export function sameFieldValue(field: string, a: unknown, b: unknown): boolean {
  if (sameValue(a, b)) return true;
  if (!INSTANT_FIELDS.has(field) || typeof a !== 'string' || typeof b !== 'string') return false;
  const x = Date.parse(a);
  return !Number.isNaN(x) && x === Date.parse(b);
}

/** The device-written fields in which `candidate` differs from `start` (the row the edit began from). */
export function changedFields(candidate: Row, start: Row): string[] {
  const keys = new Set([...Object.keys(candidate), ...Object.keys(start)]);
  return [...keys].filter(
    (k) => !SERVER_FIELDS.has(k) && k in candidate && !sameFieldValue(k, candidate[k], start[k]),
  );
}

/** The values of `fields` in `row` (missing ones as null, as the wire carries them). */
export function pick(row: Row, fields: readonly string[]): Row {
  return Object.fromEntries(fields.map((f) => [f, row[f] ?? null]));
}

/**
 * The base of several edits of one row merged: per field, the earliest edit's base (what the user
 * saw before the first of them). Undefined when any of them is a whole-row write (a create, an
 * older client's write): the merged write is then whole-row too.
 */
export function mergeBases(bases: readonly (Row | undefined)[]): Row | undefined {
  let merged: Row = {};
  for (const base of bases) {
    if (base === undefined) return undefined;
    merged = { ...base, ...merged };
  }
  return merged;
}

/** One edit of a row, as the planner merges it: its row and, if field-level, its base. */
export interface FieldEdit {
  data: Row | null;
  base?: Row | undefined;
}

/**
 * Consecutive upserts of one row as one: data is the earlier data overlaid with each later edit's
 * changed fields (a whole-row edit replaces it), base the earliest base of each field.
 */
export function coalesceEdits(edits: readonly FieldEdit[]): { data: Row | null; base: Row | undefined } {
  let data: Row | null = null;
  for (const e of edits) {
    if (e.data === null) data = null;
    else if (e.base === undefined || data === null) data = { ...e.data };
    else Object.assign(data, pick(e.data, Object.keys(e.base)));
  }
  return { data, base: mergeBases(edits.map((e) => e.base)) };
}

/**
 * What the server does with a field-level write (`sync_push` in
 * supabase/migrations/*_field_level_writes.sql): each field in `base` is applied when the row still
 * holds the base value (or already holds the new one); otherwise the first write to arrive keeps it
 * and this write's value is reported as a conflict. Fields not in `base` keep the row's values.
 * `passThrough` fields are always applied: another rule decides them (STATE_MACHINE_FIELDS).
 */
export function applyBase(
  current: Row,
  data: Row,
  base: Row,
  passThrough: readonly string[] = [],
): { row: Row; conflicts: FieldConflict[] } {
  const row: Row = { ...current };
  const conflicts: FieldConflict[] = [];
  for (const field of Object.keys(base).sort()) {
    if (SERVER_FIELDS.has(field)) continue;
    const theirs = current[field] ?? null;
    const yours = data[field] ?? null;
    if (
      passThrough.includes(field) ||
      sameFieldValue(field, theirs, base[field]) ||
      sameFieldValue(field, theirs, yours)
    )
      row[field] = yours;
    else conflicts.push({ field, yours, theirs });
  }
  return { row, conflicts };
}

/**
 * An edit of a stored row: the fields in which `candidate` differs from `start` (what the form
 * showed), written over `stored`. The result is checked again: the stored row may have changed in
 * a way the edited fields no longer fit.
 */
export function editOf(
  def: Pick<EntityDefinition<unknown>, 'schema'>,
  stored: Row,
  candidate: Row,
  start: Row,
): { row: Row; base: Row } {
  const fields = changedFields(candidate, start);
  const row = { ...stored, ...pick(candidate, fields) };
  const parsed = def.schema.safeParse(row);
  if (!parsed.success) {
    const issues = fieldIssues(parsed.error.issues);
    throw new SyncValidationError(
      issues.map((i) => `${i.path}: ${i.message}`).join('; '),
      issues[0]?.path || null,
      issues,
    );
  }
  return { row, base: pick(start, fields) };
}
