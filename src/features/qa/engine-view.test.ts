import { describe, expect, it } from 'vitest';
import type { LocalMutation } from '../../../sync/local-mutation.ts';
import type { OutboxCounts } from '../../../sync/stores/sync-store.ts';
import { INITIAL_STATUS, type SyncStatus } from '../../../sync/sync-status.ts';
import { describeEngine } from './engine-view.ts';

const idle: SyncStatus = { ...INITIAL_STATUS, counts: { pending: 0, sending: 0, rejected: 0, blocked: 0 } };

/** The engine's counts of an outbox (the store counts the same way). */
function countsOf(outbox: readonly LocalMutation[]): OutboxCounts {
  const counts: OutboxCounts = { pending: 0, sending: 0, rejected: 0, blocked: 0 };
  for (const m of outbox) counts[m.state]++;
  return counts;
}

function mutation(seq: number, patch: Partial<LocalMutation> = {}): LocalMutation {
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    clientId: '00000000-0000-4000-8000-0000000000c1',
    entity: 'patients',
    op: 'upsert',
    key: `00000000-0000-4000-8000-${String(seq + 100).padStart(12, '0')}`,
    data: {},
    deps: [],
    actor: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    state: 'pending',
    seq,
    after: [],
    refKeys: [],
    before: null,
    createsRow: true,
    attempted: false,
    ...patch,
  };
}

describe('describeEngine', () => {
  it('is idle with nothing queued, and says when it last sent everything', () => {
    const view = describeEngine({
      status: { ...idle, lastSuccessAt: Date.parse('2025-01-01T10:00:00.000Z') },
      outbox: [],
    });
    expect(view).toEqual({
      phase: 'idle',
      online: true,
      pendingCount: 0,
      rejectedCount: 0,
      blockedCount: 0,
      lastSentAt: '2025-01-01T10:00:00.000Z',
      lastError: null,
      lastFailure: null,
      nextRetryAt: null,
    });
  });

  it('counts as the engine does and picks the phase by precedence', () => {
    const outbox = [
      mutation(1),
      mutation(2, { state: 'sending' }),
      mutation(3, { state: 'rejected', error: { code: 'slot_taken', message: 'taken', field: null } }),
      mutation(4, { state: 'blocked' }),
    ];
    const counts = countsOf(outbox);
    const notSending = { ...counts, pending: counts.pending + counts.sending, sending: 0 };
    const at = (status: Partial<SyncStatus>) =>
      describeEngine({ status: { ...idle, counts: notSending, ...status }, outbox }).phase;
    expect(describeEngine({ status: { ...idle, counts }, outbox })).toMatchObject({
      pendingCount: 2,
      rejectedCount: 1,
      blockedCount: 1,
    });
    expect(at({})).toBe('waiting');
    expect(at({ online: false })).toBe('offline');
    expect(at({ phase: 'needs-sign-in', online: false })).toBe('needs-sign-in');
    expect(at({ phase: 'needs-sign-in', online: false, counts })).toBe('sending');
  });

  it('reports the refusal of the latest-queued write that has one', () => {
    const outbox = [
      mutation(7, { state: 'rejected', error: { code: 'validation', message: 'late', field: 'full_name' } }),
      mutation(3, { state: 'rejected', error: { code: 'slot_taken', message: 'early', field: null } }),
      mutation(9),
    ];
    expect(describeEngine({ status: idle, outbox }).lastError).toEqual({
      code: 'validation',
      message: 'late',
      field: 'full_name',
      mutationId: outbox[0]?.id,
      entity: 'patients',
      key: outbox[0]?.key,
    });
  });
});

describe('describeEngine backing off', () => {
  it('says it is backing off, with the failure and the next retry, while writes wait after a failed drain', () => {
    const at = Date.parse('2026-01-01T10:00:00.000Z');
    const failing: SyncStatus = {
      ...idle,
      phase: 'backoff',
      lastError: { kind: 'server', message: 'sync_push: 503', at },
      nextRetryAt: at + 4_000,
    };
    const outbox = [mutation(1)];
    const view = describeEngine({ status: { ...failing, counts: countsOf(outbox) }, outbox });
    expect(view.phase).toBe('backing-off');
    expect(view.lastFailure).toEqual({
      kind: 'server',
      message: 'sync_push: 503',
      at: '2026-01-01T10:00:00.000Z',
    });
    expect(view.nextRetryAt).toBe('2026-01-01T10:00:04.000Z');
    expect(describeEngine({ status: failing, outbox: [] }).phase).toBe('idle');
  });
});

describe('the last successful sync', () => {
  const end = (status: 'synced' | 'failed' | 'offline', at: number) => ({
    end: { at, status, kind: null, retryAt: null, pausedForSignIn: false },
  });

  it("is the sync log's newest synced drain when this page's engine has not sent yet (a reload offline)", () => {
    const log = [end('offline', 3_000), end('synced', 2_000), end('synced', 1_000), { end: null }];
    expect(describeEngine({ status: idle, outbox: [], log }).lastSentAt).toBe(new Date(2_000).toISOString());
  });

  it("is the later of the engine's own and the log's", () => {
    const status = { ...idle, lastSuccessAt: 5_000 };
    expect(describeEngine({ status, outbox: [], log: [end('synced', 2_000)] }).lastSentAt).toBe(
      new Date(5_000).toISOString(),
    );
    expect(describeEngine({ status: idle, outbox: [], log: [end('failed', 2_000)] }).lastSentAt).toBeNull();
  });
});
