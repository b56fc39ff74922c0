import { describe, expect, it } from 'vitest';
import type { OutboxCounts } from '../../sync/stores/sync-store.ts';
import { forgetLastSent, laterOf, NOTHING_SENT, type SentTracker, trackSent } from './use-last-sent.ts';

const empty: OutboxCounts = { pending: 0, sending: 0, rejected: 0, blocked: 0 };
const queued = (pending: number, sending = 0): OutboxCounts => ({ ...empty, pending, sending });

/** The tracker after these engine snapshots, in order. */
const run = (...snapshots: { counts: OutboxCounts | null; lastSuccessAt: number | null }[]): SentTracker =>
  snapshots.reduce((tracker, status) => trackSent(tracker, status, 99_000), NOTHING_SENT);

describe('last sent time shared across tabs', () => {
  it('takes the later of this engine and the stored time', () => {
    const a = '2026-11-24T08:00:00.000Z';
    const b = '2026-11-24T09:00:00.000Z';
    expect(laterOf(a, b)).toBe(b);
    expect(laterOf(b, a)).toBe(b);
    expect(laterOf(null, a)).toBe(a);
    expect(laterOf(a, null)).toBe(a);
    expect(laterOf(null, null)).toBeNull();
  });
});

describe('all sent means a drain sent something', () => {
  it('is not claimed by a drain that sent nothing (the pull right after sign-in)', () => {
    expect(
      run({ counts: null, lastSuccessAt: null }, { counts: empty, lastSuccessAt: 1000 }).sentAt,
    ).toBeNull();
  });

  it('is the success that emptied the outbox after writes were seen waiting', () => {
    expect(
      run(
        { counts: empty, lastSuccessAt: 1000 },
        { counts: queued(2), lastSuccessAt: 1000 },
        { counts: queued(0, 2), lastSuccessAt: 1000 },
        { counts: empty, lastSuccessAt: 2000 },
      ).sentAt,
    ).toBe(2000);
  });

  it('waits for the counts when the success is published first', () => {
    const tracker = run(
      { counts: queued(1), lastSuccessAt: null },
      { counts: queued(1), lastSuccessAt: 2000 },
    );
    expect(tracker.sentAt).toBeNull();
    expect(trackSent(tracker, { counts: empty, lastSuccessAt: 2000 }).sentAt).toBe(2000);
  });

  it('counts writes another context sent (the service worker) as sent when the outbox is seen empty', () => {
    const tracker = run({ counts: empty, lastSuccessAt: 1000 }, { counts: queued(1), lastSuccessAt: 1000 });
    // This engine saw no success of its own: the worker drained. The time is when the page saw it.
    expect(trackSent(tracker, { counts: empty, lastSuccessAt: 1000 }, 7000).sentAt).toBe(7000);
  });

  it('does not claim all sent while a write needs attention', () => {
    const tracker = run({ counts: queued(1), lastSuccessAt: null });
    const refused = { ...empty, rejected: 1 };
    expect(trackSent(tracker, { counts: refused, lastSuccessAt: 2000 }, 7000).sentAt).toBeNull();
  });

  it('ignores snapshots taken before the outbox was counted', () => {
    expect(
      run({ counts: queued(1), lastSuccessAt: null }, { counts: null, lastSuccessAt: 5000 }).sentAt,
    ).toBeNull();
  });
});

describe('forgetting the last sent time', () => {
  it('removes the stored time, for the next person on this device', () => {
    const removed: string[] = [];
    forgetLastSent({ removeItem: (key) => removed.push(key) });
    expect(removed).toEqual(['consult.lastSentAt']);
  });
});
