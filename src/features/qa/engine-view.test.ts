import { describe, expect, it } from 'vitest';
import type { LocalMutation } from '../../../sync/local-mutation.ts';
import type { EngineStatus } from '../../data/engine-port.ts';
import { describeEngine } from './engine-view.ts';

const idle: EngineStatus = {
  draining: false,
  lastSentAt: null,
  needsSignIn: false,
  lastFailure: null,
  nextRetryAt: null,
};

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
      engine: { ...idle, lastSentAt: '2025-01-01T10:00:00.000Z' },
      online: true,
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
    const at = (engine: EngineStatus, online: boolean) => describeEngine({ engine, online, outbox }).phase;
    expect(describeEngine({ engine: idle, online: true, outbox })).toMatchObject({
      pendingCount: 2,
      rejectedCount: 1,
      blockedCount: 1,
    });
    expect(at(idle, true)).toBe('waiting');
    expect(at(idle, false)).toBe('offline');
    expect(at({ ...idle, needsSignIn: true }, false)).toBe('needs-sign-in');
    expect(at({ ...idle, draining: true, needsSignIn: true }, false)).toBe('sending');
  });

  it('reports the refusal of the latest-queued write that has one', () => {
    const outbox = [
      mutation(7, { state: 'rejected', error: { code: 'validation', message: 'late', field: 'full_name' } }),
      mutation(3, { state: 'rejected', error: { code: 'slot_taken', message: 'early', field: null } }),
      mutation(9),
    ];
    expect(describeEngine({ engine: idle, online: true, outbox }).lastError).toEqual({
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
    const failing: EngineStatus = {
      ...idle,
      lastFailure: { kind: 'server', message: 'sync_push: 503', at: '2026-01-01T10:00:00.000Z' },
      nextRetryAt: '2026-01-01T10:00:04.000Z',
    };
    const view = describeEngine({ engine: failing, online: true, outbox: [mutation(1)] });
    expect(view.phase).toBe('backing-off');
    expect(view.lastFailure?.kind).toBe('server');
    expect(view.nextRetryAt).toBe('2026-01-01T10:00:04.000Z');
    expect(describeEngine({ engine: failing, online: true, outbox: [] }).phase).toBe('idle');
  });
});
