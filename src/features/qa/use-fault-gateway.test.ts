import { describe, expect, it } from 'vitest';
import { faultSettings } from '../../../supabase/local/fault-settings.ts';
import { probeResult } from './use-fault-gateway.ts';

const FAULTS = faultSettings.parse({
  latencyMs: 0,
  failRate: 0,
  failStatus: 503,
  retryAfterSeconds: null,
  dropRate: 0,
  offline: false,
  failNext: 0,
  dropNext: 0,
  match: '/rest/v1/',
});
const NO_ANSWER = { kind: 'unreachable', detail: 'Failed to fetch' } as const;

describe('what the network faults section makes of a probe', () => {
  it('says the device is offline, not that the local stack is missing, when the device is offline', () => {
    expect(probeResult(NO_ANSWER, NO_ANSWER, false)).toEqual({ kind: 'offline' });
  });

  it('says the local stack is missing when online and nothing answers as the gateway', () => {
    expect(probeResult(NO_ANSWER, NO_ANSWER, true)).toEqual({ kind: 'unavailable' });
  });

  it('shows the settings when the gateway answers, with the counts when they came', () => {
    expect(
      probeResult({ kind: 'ok', value: FAULTS }, { kind: 'ok', value: { '/rest/v1/x': 2 } }, true),
    ).toEqual({
      kind: 'ready',
      faults: FAULTS,
      stats: { '/rest/v1/x': 2 },
    });
    expect(probeResult({ kind: 'ok', value: FAULTS }, NO_ANSWER, true)).toEqual({
      kind: 'ready',
      faults: FAULTS,
      stats: null,
    });
  });
});
