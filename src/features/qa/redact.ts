/**
 * Redaction for the QA exports: what stays in a queued row when the file is to hold no personal
 * data. Ids stay (so the order and the dependencies still read); every other string becomes its
 * length; an account's id (an auth user: the write's actor, a row's `user_id` or `registered_by`)
 * becomes "user 1", "user 2"…, the same one for the same account in the whole file, since that id
 * names a person at the server.
 */
import type { LocalMutation } from '../../../sync/local-mutation.ts';
import type { QuarantineEntry } from '../../../sync/stores/sync-store.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Fields whose value is an auth user's id: a key to the person's account at the server. */
const ACCOUNT_ID_FIELDS: ReadonlySet<string> = new Set(['user_id', 'registered_by', 'actor']);

/** Names each distinct account "‹user N›", in the order first seen, the same for the whole report. */
export function accountPseudonyms(): (id: unknown) => unknown {
  const seen = new Map<string, string>();
  return (id) => {
    if (typeof id !== 'string') return id;
    let name = seen.get(id);
    if (name === undefined) {
      name = `‹user ${seen.size + 1}›`;
      seen.set(id, name);
    }
    return name;
  };
}

/**
 * Fields whose few possible values differ in length: their length would say the value ("female" is
 * 6 characters, "male" 4), so not even that is kept.
 */
const FEW_VALUES_FIELDS: ReadonlySet<string> = new Set(['sex']);

/**
 * Keeps the shape, ids, numbers and flags; a string becomes its length only, and an account's id
 * its pseudonym (`account`).
 */
export function redact(value: unknown, account: (id: unknown) => unknown = accountPseudonyms()): unknown {
  if (typeof value === 'string') return UUID.test(value) ? value : `‹redacted: ${value.length} characters›`;
  if (Array.isArray(value)) return value.map((v) => redact(v, account));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        ACCOUNT_ID_FIELDS.has(k)
          ? account(v)
          : FEW_VALUES_FIELDS.has(k) && typeof v === 'string'
            ? '‹redacted›'
            : redact(v, account),
      ]),
    );
  return value;
}

function redactMutation(m: LocalMutation, account: (id: unknown) => unknown): LocalMutation {
  return {
    ...m,
    actor: m.actor === null ? null : String(account(m.actor)),
    data: redact(m.data, account) as LocalMutation['data'],
    before: m.before === null ? null : (redact(m.before, account) as Record<string, unknown>),
  };
}

/** The queue as a file without personal data holds it. */
export function redactQueue(input: {
  outbox: readonly LocalMutation[];
  quarantine: readonly QuarantineEntry[];
}): { outbox: LocalMutation[]; quarantine: QuarantineEntry[] } {
  const account = accountPseudonyms();
  return {
    outbox: input.outbox.map((m) => redactMutation(m, account)),
    quarantine: input.quarantine.map((q) => ({ ...q, record: redact(q.record, account) })),
  };
}
