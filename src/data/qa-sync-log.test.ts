import { describe, expect, it } from 'vitest';
import { SyncTransportError } from '../../sync/errors.ts';
import type { Mutation, PullResponse, PushResult } from '../../sync/protocol.ts';
import type { SyncTransport } from '../../sync/transports/transport.ts';
import { type DrainLogEntry, SyncLogRecorder } from './qa-sync-log.ts';
import { SYNC_LOG_SIZE, SyncLogDb } from './qa-sync-log-db.ts';
import { lazySyncLog } from './qa-sync-log-hook.ts';

const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
const ids3 = [...ids, '00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000004'];

function mutation(id: string): Mutation {
  return {
    id,
    clientId: ids3[3] ?? '',
    entity: 'patients',
    op: 'upsert',
    key: id,
    data: { id, full_name: 'Asha Devi', date_of_birth: '1990-01-01' },
    deps: [],
    actor: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    seq: 1,
  } as Mutation;
}

/** A transport whose answers come from a script; each entry answers one call. */
function scripted(pushes: (PushResult[] | Error)[]): SyncTransport {
  const page = { cursor: 'c1', hasMore: false, changes: { patients: [{ id: 'x' }] }, deleted: [] };
  return {
    push: async () => {
      const next = pushes.shift();
      if (!next || next instanceof Error) throw next ?? new Error('no script');
      return next;
    },
    pull: async () => page as unknown as PullResponse,
  };
}

describe('the sync log', () => {
  it('records one entry per drain: trigger, batches, bytes, answers, failures and the backoff', async () => {
    const entries: DrainLogEntry[] = [];
    let now = 1_000;
    const hook = lazySyncLog(
      async () => new SyncLogRecorder((e) => entries.push(e)),
      () => now,
    );
    const transport = hook.wrap(
      scripted([
        [
          { id: ids3[0] ?? '', status: 'applied', row: {} },
          {
            id: ids3[1] ?? '',
            status: 'rejected',
            code: 'conflict',
            message: 'slot taken meanwhile',
            field: null,
          },
        ],
        new SyncTransportError('server', 'sync_push: 503', 503),
      ]),
    );
    hook.observer.drainStarted({ at: 1_000, trigger: 'sync-now' });
    await transport.push(ids3[3] ?? '', [mutation(ids3[0] ?? ''), mutation(ids3[1] ?? '')]);
    now = 1_250;
    await transport.pull(null);
    hook.observer.drainEnded({
      at: 1_300,
      status: 'synced',
      kind: null,
      retryAt: null,
      pausedForSignIn: false,
    });
    hook.observer.drainStarted({ at: 2_000, trigger: 'wake' });
    await expect(transport.push(ids3[3] ?? '', [mutation(ids3[2] ?? '')])).rejects.toThrow();
    hook.observer.drainEnded({
      at: 2_100,
      status: 'failed',
      kind: 'server',
      retryAt: 4_100,
      pausedForSignIn: false,
    });
    await Promise.resolve();

    expect(entries).toHaveLength(2);
    const [first, second] = entries;
    expect(first).toMatchObject({
      trigger: 'sync-now',
      durationMs: 300,
      batches: 1,
      pullPages: 1,
      pulledRows: 1,
    });
    expect(first?.answers.map((a) => [a.status, a.code ?? null, a.reason ?? null])).toEqual([
      ['applied', null, null],
      ['rejected', 'conflict', 'slot taken meanwhile'],
    ]);
    expect(first?.bytesUp).toBeGreaterThan(0);
    expect(first?.bytesDown).toBeGreaterThan(0);
    expect(second).toMatchObject({ trigger: 'wake', batches: 1, answers: [], backoffMs: 2_000 });
    expect(second?.failures[0]?.error).toContain('503');
    // Ids and codes only: nothing the patient typed.
    expect(JSON.stringify(entries)).not.toContain('Asha');
  });

  it('logs a push that brought the pull page back as one batch and one page', async () => {
    const entries: DrainLogEntry[] = [];
    const hook = lazySyncLog(async () => new SyncLogRecorder((e) => entries.push(e)));
    const page = { cursor: 'c1', hasMore: false, changes: { patients: [{ id: 'x' }] }, deleted: [] };
    const inner = scripted([]);
    const results: PushResult[] = [{ id: ids3[0] ?? '', status: 'applied', row: {} }];
    const transport = hook.wrap({
      ...inner,
      pushAndPull: async () => ({ results, pull: page as unknown as PullResponse }),
    });
    hook.observer.drainStarted({ at: 1_000, trigger: 'sync-now' });
    const answer = await transport.pushAndPull?.(ids3[3] ?? '', [mutation(ids3[0] ?? '')], { since: null });
    expect(answer?.results).toEqual(results);
    hook.observer.drainEnded({
      at: 1_100,
      status: 'synced',
      kind: null,
      retryAt: null,
      pausedForSignIn: false,
    });
    await Promise.resolve();
    expect(entries).toMatchObject([
      { batches: 1, pullPages: 1, pulledRows: 1, answers: [{ status: 'applied' }] },
    ]);
    expect(hook.wrap(inner).pushAndPull).toBeUndefined();
  });

  it('keeps the last 200 drains, newest first', async () => {
    const db = new SyncLogDb(`test-sync-log-${Math.random()}`);
    const entry = (startedAt: number): DrainLogEntry => ({
      startedAt,
      trigger: 'wake',
      durationMs: 1,
      batches: 0,
      bytesUp: 0,
      bytesDown: 0,
      pullPages: 1,
      pulledRows: 0,
      answers: [],
      failures: [],
      end: null,
      backoffMs: null,
    });
    for (let i = 0; i < SYNC_LOG_SIZE + 5; i++) await db.add(entry(i));
    const list = await db.list();
    expect(list).toHaveLength(SYNC_LOG_SIZE);
    expect([list[0]?.startedAt, list.at(-1)?.startedAt]).toEqual([SYNC_LOG_SIZE + 4, 5]);
    db.close();
  });
});
