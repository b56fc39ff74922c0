import { describe, expect, it } from 'vitest';
import { INITIAL_STATUS } from '../../sync/sync-status.ts';
import { toEngineStatus } from './engine-adapter.ts';

describe('engine status for the screens', () => {
  it('maps sending, the last success and the sign-in pause', () => {
    expect(toEngineStatus(INITIAL_STATUS)).toEqual({
      draining: false,
      lastSentAt: null,
      needsSignIn: false,
      lastFailure: null,
      nextRetryAt: null,
    });
    const at = Date.UTC(2026, 10, 24, 8, 35);
    expect(
      toEngineStatus({ ...INITIAL_STATUS, sending: true, lastSuccessAt: at, needsSignIn: true }),
    ).toEqual({
      draining: true,
      lastSentAt: '2026-11-24T08:35:00.000Z',
      needsSignIn: true,
      lastFailure: null,
      nextRetryAt: null,
    });
  });

  it('maps the last failed drain and the next retry, for the testing tools', () => {
    const at = Date.UTC(2026, 10, 24, 8, 35);
    expect(
      toEngineStatus({
        ...INITIAL_STATUS,
        lastError: { kind: 'network', message: 'fetch failed', at },
        nextRetryAt: at + 4000,
      }),
    ).toMatchObject({
      lastFailure: { kind: 'network', message: 'fetch failed', at: '2026-11-24T08:35:00.000Z' },
      nextRetryAt: '2026-11-24T08:35:04.000Z',
    });
  });
});
