/**
 * Turns the entity schemas' zod issues (sync/entities.ts, shared with the server) into messages in
 * the user's language, one per field. The schemas' own messages are English and part of the contract,
 * so they are matched exactly; anything else falls back on the issue's code (zod/mini is loaded with
 * no locale: its own checks all say "Invalid input").
 */
import type { z } from 'zod/mini';
import { HIDDEN_TEXT, NO_VISIBLE_TEXT, UNSTORABLE_TEXT } from '../../sync/free-text.ts';
import { ZOD_DEFAULT_MESSAGE } from '../../sync/issue-text.ts';
import type { Translate } from '../i18n/i18n-provider.tsx';
import type { MessageKey } from '../i18n/messages-en.ts';
import type { MessageParams } from '../i18n/translate.ts';

export interface FieldMessage {
  key: MessageKey;
  params?: MessageParams;
}

/** The custom messages written in sync/entities.ts. */
export const SCHEMA_MESSAGES: Readonly<Record<string, MessageKey>> = {
  required: 'error.required',
  'use the form YYYY-MM-DD': 'error.dateFormat',
  'must be on or after 1900-01-01': 'error.dateTooEarly',
  'cannot be in the future': 'error.dateFuture',
  // A request's day gone past at the clinic (consult-request.ts pastDayIssue): a form left open past midnight.
  'cannot be in the past': 'error.dayPast',
  // A request's time of day already over on the clinic's today (consult-request.ts windowOverIssue).
  'is already over today': 'error.windowOver',
  'use 7 to 15 digits, optionally starting with +': 'error.phoneFormat',
  [UNSTORABLE_TEXT]: 'error.unstorableText',
  // Said alike: to the user both are an invisible character to retype.
  [HIDDEN_TEXT]: 'error.unstorableText',
  [NO_VISIBLE_TEXT]: 'error.noVisibleText',
};

export function issueMessage(issue: z.core.$ZodIssue): FieldMessage {
  const known = SCHEMA_MESSAGES[issue.message];
  if (known) return { key: known };
  switch (issue.code) {
    case 'too_big':
      return { key: 'error.tooLong', params: { max: Number(issue.maximum) } };
    case 'too_small':
      return { key: 'error.required' };
    case 'invalid_value':
      return { key: 'error.choose' };
    case 'invalid_type':
      // An empty input reaches the schema as undefined/null: for the patient that is "required".
      return issue.input === undefined || issue.input === null
        ? { key: 'error.required' }
        : { key: 'error.invalid' };
    default:
      return { key: 'error.invalid' };
  }
}

/** The first issue of each top-level field, keyed by field name. */
export function fieldMessages(issues: readonly z.core.$ZodIssue[]): Record<string, FieldMessage> {
  const out: Record<string, FieldMessage> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    if (!(field in out)) out[field] = issueMessage(issue);
  }
  return out;
}

/**
 * Issues as one line for a failure notice (a refused save that no form field shows). A message a
 * schema or screen wrote is said in the user's language when the app knows it (SCHEMA_MESSAGES),
 * else kept as written; zod's own checks, which say only "Invalid input", read
 * as the app's message for their code, in the user's language. `withPath` names each issue's field.
 */
export function issuesText(issues: readonly z.core.$ZodIssue[], t: Translate, withPath = false): string {
  return issues
    .map((issue) => {
      // A message the app knows is said in the user's language, whole: no column name before it. It
      // read "preferred_date: cannot be in the past" in English, to a patient reading Hindi.
      const known = SCHEMA_MESSAGES[issue.message];
      if (known) return t(known);
      const own = issue.message === ZOD_DEFAULT_MESSAGE ? issueMessage(issue) : null;
      const text = own ? t(own.key, own.params) : issue.message;
      return withPath ? `${issue.path.join('.')}: ${text}` : text;
    })
    .join('; ');
}
