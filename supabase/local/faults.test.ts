import { describe, expect, it } from 'vitest';
import { FAULT_DEFAULTS, faultSettings } from './fault-settings.ts';
import { FaultController } from './faults.ts';

describe('FaultController', () => {
  it('passes everything by default', () => {
    expect(new FaultController().decide('/rest/v1/rpc/sync_push')).toEqual({ kind: 'pass', latencyMs: 0 });
  });

  it('applies only to paths under match', () => {
    const faults = new FaultController();
    faults.update({ offline: true, match: '/rest/v1/' });
    expect(faults.decide('/auth/v1/token').kind).toBe('pass');
    expect(faults.decide('/rest/v1/rpc/sync_push').kind).toBe('offline');
  });

  it('consumes failNext, then dropNext, then falls back to the rates', () => {
    const faults = new FaultController(() => 0.99);
    faults.update({ failNext: 1, dropNext: 1, failRate: 0.5, latencyMs: 20 });
    expect(faults.decide('/rest/v1/x')).toMatchObject({ kind: 'fail', status: 503, latencyMs: 20 });
    expect(faults.decide('/rest/v1/x')).toMatchObject({ kind: 'drop' });
    expect(faults.decide('/rest/v1/x')).toMatchObject({ kind: 'pass', latencyMs: 20 });
  });

  it('draws rates from the injected random source', () => {
    const faults = new FaultController(() => 0.1);
    faults.update({ failRate: 0.2, failStatus: 500 });
    expect(faults.decide('/rest/v1/x')).toMatchObject({ kind: 'fail', status: 500 });
    faults.update({ failRate: 0, dropRate: 0.2 });
    expect(faults.decide('/rest/v1/x').kind).toBe('drop');
  });

  it('rejects out-of-range settings and keeps the old ones', () => {
    const faults = new FaultController();
    faults.update({ latencyMs: 100 });
    expect(() => faults.update({ failRate: 2 })).toThrow();
    expect(faults.get().latencyMs).toBe(100);
    expect(faults.reset().latencyMs).toBe(0);
  });

  it('merges a patch into the current settings and answers the whole, shared shape', () => {
    const faults = new FaultController();
    faults.update({ latencyMs: 5 });
    const answer = faults.update({ offline: true });
    expect(answer).toEqual({ ...FAULT_DEFAULTS, latencyMs: 5, offline: true });
    expect(faultSettings.safeParse(answer).success).toBe(true);
  });
});
