import { describe, expect, it } from 'vitest';
import { StatusStore } from './sync-status.ts';

describe('StatusStore', () => {
  it('keeps the same snapshot, and calls nobody, while no field changes', () => {
    const status = new StatusStore();
    let calls = 0;
    status.subscribe(() => calls++);
    status.update({ counts: { pending: 1, sending: 0, rejected: 0, blocked: 0 } });
    const first = status.getSnapshot();
    status.update({ counts: { pending: 1, sending: 0, rejected: 0, blocked: 0 } });
    status.update({ lastError: null, phase: 'idle' });
    expect(status.getSnapshot()).toBe(first);
    expect(calls).toBe(1);
  });

  it('publishes a new snapshot when a count or the error changes', () => {
    const status = new StatusStore();
    status.update({ counts: { pending: 1, sending: 0, rejected: 0, blocked: 0 } });
    const first = status.getSnapshot();
    status.update({ counts: { pending: 0, sending: 1, rejected: 0, blocked: 0 } });
    const second = status.getSnapshot();
    expect(second).not.toBe(first);
    status.update({ lastError: { kind: 'network', message: 'offline', at: 1 } });
    status.update({ lastError: { kind: 'network', message: 'offline', at: 1 } });
    const third = status.getSnapshot();
    expect(third).not.toBe(second);
    status.update({ lastError: { kind: 'network', message: 'offline', at: 2 } });
    expect(status.getSnapshot()).not.toBe(third);
  });
});
