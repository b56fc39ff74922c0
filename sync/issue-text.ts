/**
 * A zod issue as one line of English, for an error or a log; never for a form (the screens give each
 * issue the app's own message, in the user's language: src/lib/validation-messages.ts).
 *
 * The app loads zod/mini and no zod locale (its English would add 1.2 KB gzip to the phone's offline
 * download), so an issue of zod's own checks says only "Invalid input". Such an issue reads here as
 * its code and what it wanted ("too_big, maximum 120"); a message a schema wrote ("required"), as is.
 */
import type { z } from 'zod/mini';

/** What zod says of an issue when no schema wrote a message and no locale is loaded. */
export const ZOD_DEFAULT_MESSAGE = 'Invalid input';

/** The fields of zod's issues that say what was wanted (the others: code, path, input, message). */
const WANTED = ['expected', 'format', 'minimum', 'maximum', 'values', 'keys', 'divisor'] as const;

function shown(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

export function issueLine(issue: z.core.$ZodIssue): string {
  if (issue.message !== ZOD_DEFAULT_MESSAGE) return issue.message;
  // Each code has its own fields; read by name, whichever this one has.
  const fields = issue as unknown as Readonly<Record<string, unknown>>;
  const wanted = WANTED.flatMap((k) => (fields[k] === undefined ? [] : [`${k} ${shown(fields[k])}`]));
  return [issue.code, ...wanted].join(', ');
}

/** Each issue as the field it is on (dotted path) and its line: a `SyncValidationError`'s issues. */
export function fieldIssues(issues: readonly z.core.$ZodIssue[]): { path: string; message: string }[] {
  return issues.map((i) => ({ path: i.path.join('.'), message: issueLine(i) }));
}
