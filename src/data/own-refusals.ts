/**
 * A write this phone refused to send because another account was signed in (own-writes.ts) is sent
 * once the account that made it is signed in again. The refusal told the patient "sign in to that
 * account to send it", but nothing sent it then: the entry stayed "Needs attention" for good under
 * its own account, and discarding it (losing the change) was the only way out.
 */
import { type LocalMutation, localMutation } from '../../sync/local-mutation.ts';
import type { EnginePort } from './engine-port.ts';
import { MADE_BY_ANOTHER_ACCOUNT } from './own-writes.ts';
import { parseRows } from './reference-rows.ts';
import { madeByAnother, type SessionUser } from './session-user.ts';

/** Ids of the entries refused here as another account's that `user` may send now. */
export function ownRefusals(outbox: readonly LocalMutation[], user: SessionUser): string[] {
  return outbox
    .filter(
      (m) =>
        m.state === 'rejected' &&
        m.error?.code === 'forbidden' &&
        m.error.message === MADE_BY_ANOTHER_ACCOUNT &&
        m.actor != null &&
        !madeByAnother(m.actor, user),
    )
    .map((m) => m.id);
}

/**
 * Sends them again (the engine's retry: what waited behind each follows it). `rejected` reads the
 * outbox's refused entries only (its state index): this runs at every start, and the outbox may
 * hold thousands of entries.
 */
export async function resendOwnRefusals(
  rejected: () => Promise<unknown[]>,
  engine: Pick<EnginePort, 'retry'>,
  user: SessionUser,
): Promise<number> {
  const ids = ownRefusals(parseRows(localMutation, await rejected()), user);
  for (const id of ids) await engine.retry(id);
  return ids.length;
}
