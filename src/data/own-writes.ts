/**
 * A write is sent only under the account that made it (its `actor`, session-user.ts). A batch's
 * writes made by another account are answered here, not sent: `rejected` (`forbidden`, saying whose
 * they are), and what depends on them in the batch `blocked`, as the server answers a refusal. They
 * then need attention on this phone, where the account that made them can still send them (by
 * signing in again) or someone can discard them; before, they went to the server as the new
 * account's own writes: another person's profile became this account's.
 */
import type { Mutation, PushResult } from '../../sync/protocol.ts';
import type { SyncTransport } from '../../sync/transports/transport.ts';
import { madeByAnother, type SessionUser } from './session-user.ts';

export const MADE_BY_ANOTHER_ACCOUNT =
  'made on this phone under another account: sign in to that account to send it, or discard it';

/** The answers given here, by mutation id; the rest of the batch is sent. */
export function localAnswers(
  mutations: readonly Mutation[],
  user: SessionUser,
): { send: Mutation[]; answers: Map<string, PushResult> } {
  const answers = new Map<string, PushResult>();
  // The refused write each one waits behind: a write depends only on earlier ones of the batch.
  const cause = new Map<string, string>();
  const send: Mutation[] = [];
  for (const m of mutations) {
    // Behind a refused write first: one cause to act on (discarding it discards what waits on it).
    const behind = m.deps.map((d) => cause.get(d)).find((c) => c !== undefined);
    if (behind) {
      answers.set(m.id, { id: m.id, status: 'blocked', blockedBy: behind, message: MADE_BY_ANOTHER_ACCOUNT });
      cause.set(m.id, behind);
    } else if (madeByAnother(m.actor, user)) {
      answers.set(m.id, {
        id: m.id,
        status: 'rejected',
        code: 'forbidden',
        message: MADE_BY_ANOTHER_ACCOUNT,
        field: null,
      });
      cause.set(m.id, m.id);
    } else send.push(m);
  }
  return { send, answers };
}

/** The server's answers to `send` and the local ones, in the batch's order. */
function merged(
  mutations: readonly Mutation[],
  answers: Map<string, PushResult>,
  sent: PushResult[],
): PushResult[] {
  const fromServer = sent[Symbol.iterator]();
  return mutations.map((m) => {
    const local = answers.get(m.id);
    if (local) return local;
    const next = fromServer.next();
    if (next.done) throw new Error('the server answered fewer mutations than were sent');
    return next.value;
  });
}

/**
 * `transport` sending each batch without the writes of another account than the session's. `user`
 * reads the session the call will go with (null: none, the call goes as it is and is refused 401).
 * `enabled` is false on a kiosk, whose writes are the clinic's.
 */
export function withOwnWrites(
  transport: SyncTransport,
  user: () => Promise<SessionUser | null>,
  enabled: () => boolean = () => true,
): SyncTransport {
  const split = async (mutations: readonly Mutation[]) => {
    const who = enabled() ? await user() : null;
    return who
      ? localAnswers(mutations, who)
      : { send: [...mutations], answers: new Map<string, PushResult>() };
  };
  const own: SyncTransport = {
    push: async (clientId, mutations) => {
      const { send, answers } = await split(mutations);
      if (answers.size === 0) return transport.push(clientId, mutations);
      const sent = send.length > 0 ? await transport.push(clientId, send) : [];
      return merged(mutations, answers, sent);
    },
    pull: (cursor, options) => transport.pull(cursor, options),
  };
  const pushAndPull = transport.pushAndPull?.bind(transport);
  if (pushAndPull)
    own.pushAndPull = async (clientId, mutations, request) => {
      const { send, answers } = await split(mutations);
      if (answers.size === 0) return pushAndPull(clientId, mutations, request);
      // Nothing left to send: no call, and no page (the drain then pulls on its own).
      if (send.length === 0) return { results: merged(mutations, answers, []), pull: null };
      const answer = await pushAndPull(clientId, send, request);
      return { ...answer, results: merged(mutations, answers, answer.results) };
    };
  return own;
}
