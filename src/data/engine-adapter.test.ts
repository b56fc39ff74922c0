import { describe, expect, it } from 'vitest';
import { INITIAL_STATUS } from '../../sync/sync-status.ts';
import { toEngineStatus } from './engine-adapter.ts';

describe('engine status for the screens', () => {
  it('maps sending, the last success and the sign-in pause', () => {
    expect(toEngineStatus(INITIAL_STATUS)).toEqual({ draining: false, lastSentAt: null, needsSignIn: false });
    const at = Date.UTC(2026, 10, 24, 8, 35);
    expect(
      toEngineStatus({ ...INITIAL_STATUS, sending: true, lastSuccessAt: at, needsSignIn: true }),
    ).toEqual({
      draining: true,
      lastSentAt: '2026-11-24T08:35:00.000Z',
      needsSignIn: true,
    });
  });
});
