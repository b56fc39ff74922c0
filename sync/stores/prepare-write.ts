/**
 * A save's rows checked against their entity's schema, before its transaction opens. The screens
 * check a candidate first (to show the refusal field by field); a row they checked with the same
 * schema, and that cannot have changed since, is not parsed a second time: the parse is a fair
 * share of a save's own work (about 0.1 ms a row in Chromium on a loaded machine).
 */
import type { z } from 'zod/mini';
import { ENTITIES } from '../entities.ts';
import { SyncValidationError } from '../errors.ts';
import { fieldIssues } from '../issue-text.ts';
import type { Row } from '../local-mutation.ts';
import type { EntityName } from '../protocol.ts';
import type { WriteInput } from './sync-store.ts';

/** Rows `parseEntityRow` produced (frozen, so unchanged since), with the entity that checked them. */
const checked = new WeakMap<object, EntityName>();

/**
 * `safeParse` with the entity's schema; the row it returns is frozen and a save of it skips the
 * second parse. Keep it as returned: a copy is parsed again.
 */
export function parseEntityRow(entity: EntityName, candidate: unknown): z.util.SafeParseResult<unknown> {
  const parsed = ENTITIES[entity].schema.safeParse(candidate);
  if (parsed.success && typeof parsed.data === 'object' && parsed.data !== null)
    checked.set(Object.freeze(parsed.data), entity);
  return parsed;
}

/** A write whose row passed its entity's schema: ready for the transaction. */
export interface PreparedWrite {
  input: WriteInput;
  key: string;
  /** The row to write (normalised by the schema), or null for a delete. */
  data: Row | null;
}

/** Validates outside any transaction; throws `SyncValidationError` field by field. */
export function prepareWrite(input: WriteInput): PreparedWrite {
  if (input.op === 'delete') return { input, key: input.key, data: null };
  if (checked.get(input.row) === input.entity)
    return { input, key: String(input.row.id), data: { ...input.row } };
  const parsed = ENTITIES[input.entity].schema.safeParse(input.row);
  if (!parsed.success) {
    const issues = fieldIssues(parsed.error.issues);
    throw new SyncValidationError(
      `${input.entity}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues[0]?.path || null,
      issues,
    );
  }
  // Normalised values (trimmed) over the given row, keeping columns the schema does not name.
  const data = { ...input.row, ...(parsed.data as Row) };
  return { input, key: String(data.id), data };
}
