import { describe, expect, it } from 'vitest';
import { countdownSeconds, idlePhase } from './kiosk-idle.ts';

describe('kiosk idle timer', () => {
  it('is active, then counts down the last 20 s of the default 90 s, then expires', () => {
    const start = 1_000_000;
    expect(idlePhase(start, start, 90)).toEqual({ kind: 'active' });
    expect(idlePhase(start, start + 69_999, 90)).toEqual({ kind: 'active' });
    expect(idlePhase(start, start + 70_000, 90)).toEqual({ kind: 'warning', secondsLeft: 20 });
    expect(idlePhase(start, start + 80_500, 90)).toEqual({ kind: 'warning', secondsLeft: 10 });
    expect(idlePhase(start, start + 89_001, 90)).toEqual({ kind: 'warning', secondsLeft: 1 });
    expect(idlePhase(start, start + 90_000, 90)).toEqual({ kind: 'expired' });
  });

  it('restarts from the last touch: "continue" moves lastActivity, and the warning goes', () => {
    const start = 0;
    expect(idlePhase(start, 75_000, 90).kind).toBe('warning');
    const touched = 75_000;
    expect(idlePhase(touched, 75_000, 90)).toEqual({ kind: 'active' });
    expect(idlePhase(touched, 165_000, 90)).toEqual({ kind: 'expired' });
  });

  it('gives short idle times a third of their length as countdown', () => {
    expect(countdownSeconds(15)).toBe(5);
    expect(countdownSeconds(90)).toBe(20);
    expect(idlePhase(0, 10_000, 15)).toEqual({ kind: 'warning', secondsLeft: 5 });
    expect(idlePhase(0, 9_999, 15)).toEqual({ kind: 'active' });
  });
});
