/**
 * A row already on the device is read by its shape, not by the rules of what may be written today.
 * The entity schemas (entities.ts) grow rules release by release (no hidden characters, visible
 * letters, a phone's form, a field's limit), and a row an older release stored, or the server sent
 * before its own check came (its table checks are NOT VALID: old rows stay), broke none of them when
 * it arrived. Read with today's rules it was set aside at start-up, deleted from its table: after an
 * update the patient's profile or booking was gone from the phone, and the form offered a new one.
 * Such a row is kept and shown; a save of it meets today's rules beside the field, and a queued write
 * of it the server refuses needs attention, as any refusal.
 */
import type { z } from 'zod/mini';

/**
 * An issue about what a field says, not what it is: a refinement, a length, a pattern. A wrong type,
 * an unknown enum value, a missing field or an id that is not a uuid is the shape this version
 * cannot read.
 */
function aboutContent(issue: z.core.$ZodIssue): boolean {
  if (issue.code === 'custom' || issue.code === 'too_big' || issue.code === 'too_small') return true;
  return issue.code === 'invalid_format' && issue.format === 'regex';
}

/** Whether a stored record's failed parse is by today's write rules only (see above). */
export function readableAsStored(error: z.core.$ZodError): boolean {
  return error.issues.length > 0 && error.issues.every(aboutContent);
}

/** `schema` read as stored: a record kept by an older rule comes back as it is stored. */
export function parseStored<T>(schema: z.ZodMiniType<T>, record: unknown): T | undefined {
  const parsed = schema.safeParse(record);
  if (parsed.success) return parsed.data;
  return readableAsStored(parsed.error) ? (record as T) : undefined;
}
