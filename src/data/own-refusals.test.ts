import { describe, expect, it } from 'vitest';
import { type LocalMutation, localMutation } from '../../sync/local-mutation.ts';
import { ownRefusals, resendOwnRefusals } from './own-refusals.ts';
import { MADE_BY_ANOTHER_ACCOUNT } from './own-writes.ts';

const FIRST = { id: 'user-1', anonymous: false };
const SECOND = { id: 'user-2', anonymous: false };

let n = 0;
const entry = (over: Partial<LocalMutation> = {}): LocalMutation =>
  localMutation.parse({
    id: `00000000-0000-4000-8000-00000000000${n++}`,
    clientId: '33333333-3333-4333-8333-333333333333',
    entity: 'patients',
    op: 'upsert',
    key: '22222222-2222-4222-8222-222222222222',
    data: { full_name: 'Asha' },
    createdAt: '2026-11-29T10:15:00.000Z',
    state: 'rejected',
    error: { code: 'forbidden', message: MADE_BY_ANOTHER_ACCOUNT, field: null },
    seq: n,
    createsRow: true,
    actor: FIRST.id,
    ...over,
  });

describe('a write refused here as another account’s', () => {
  it('is sent again once the account that made it is signed in, and only then', () => {
    const refused = entry();
    expect(ownRefusals([refused], FIRST)).toEqual([refused.id]);
    expect(ownRefusals([refused], SECOND)).toEqual([]);
  });

  it('is told from a refusal by the server, which signing in again does not change', () => {
    const byServer = entry({
      error: { code: 'forbidden', message: 'row belongs to another user', field: null },
    });
    const unstamped = entry({ actor: null });
    const pending = entry({ state: 'pending', error: undefined });
    expect(ownRefusals([byServer, unstamped, pending], FIRST)).toEqual([]);
  });

  it('goes through the engine’s retry, read from the refused entries as stored', async () => {
    const refused = entry();
    const retried: string[] = [];
    const count = await resendOwnRefusals(
      async () => [refused, { damaged: true }],
      { retry: async (id) => void retried.push(id) },
      FIRST,
    );
    expect(count).toBe(1);
    expect(retried).toEqual([refused.id]);
  });
});
