import { describe, expect, it } from 'vitest';
import { MUTATION_STATES, type MutationState } from '../../sync/local-mutation.ts';
import type { OutboxCounts } from '../../sync/stores/sync-store.ts';
import { indicatorText } from '../app/indicator-text.ts';
import type { MessageKey } from '../i18n/messages-en.ts';
import { type Lang, type MessageParams, translate } from '../i18n/translate.ts';
import { deriveIndicator, type IndicatorInput } from './sync-indicator.ts';

const at = new Date(2026, 10, 24, 14, 5);
const counts = (...states: MutationState[]): OutboxCounts => {
  const out: OutboxCounts = { pending: 0, sending: 0, rejected: 0, blocked: 0 };
  for (const state of states) out[state]++;
  return out;
};
const base: IndicatorInput = { status: { online: true, phase: 'idle', counts: counts() }, lastSentAt: null };
/** The input with these status fields changed. */
const withStatus = (
  status: Partial<IndicatorInput['status']>,
  lastSentAt: Date | null = null,
): IndicatorInput => ({
  status: { ...base.status, ...status },
  lastSentAt,
});
const text = (input: IndicatorInput, lang: Lang = 'en', now: Date = at) =>
  indicatorText(
    deriveIndicator(input),
    (k: MessageKey, p?: MessageParams) => translate(lang, k, p),
    lang,
    now,
  );

describe('status indicator', () => {
  it('says all sent at HH:MM only when the outbox is empty', () => {
    expect(text(withStatus({}, at))).toBe('All sent at 14:05');
    expect(text(withStatus({ counts: counts('pending') }, at))).toBe('1 waiting to send');
    expect(text(withStatus({ counts: counts('sending') }, at))).toBe('Sending…');
  });

  it('never says all sent while anything is queued, whatever the engine reports', () => {
    for (const state of MUTATION_STATES) {
      for (const online of [true, false]) {
        for (const phase of ['idle', 'draining', 'backoff', 'needs-sign-in', 'stopped'] as const) {
          const kind = deriveIndicator(withStatus({ online, phase, counts: counts(state) }, at)).kind;
          expect(kind).not.toBe('all-sent');
          expect(kind).not.toBe('nothing-yet');
        }
      }
    }
  });

  it('counts waiting writes while offline', () => {
    expect(text(withStatus({ online: false }))).toBe('Offline');
    expect(text(withStatus({ online: false, counts: counts('pending', 'pending') }))).toBe(
      'Offline · 2 waiting',
    );
    expect(text(withStatus({ online: false, counts: counts('pending') }), 'hi')).toBe('ऑफ़लाइन · 1 प्रतीक्षा में');
  });

  it('puts needs attention first and counts rejected and blocked', () => {
    const queued = counts('pending', 'rejected', 'blocked');
    expect(text(withStatus({ counts: queued }))).toBe('Needs attention (2)');
    expect(text(withStatus({ online: false, counts: queued }))).toBe('Offline · Needs attention (2)');
  });

  it('shows sending while a push is in flight, and sign-in when paused without a session', () => {
    expect(text(withStatus({ phase: 'draining', counts: counts('pending', 'sending') }))).toBe('Sending…');
    expect(text(withStatus({ phase: 'needs-sign-in', counts: counts('pending') }))).toBe(
      '1 waiting · sign in to send',
    );
  });

  it('says nothing to send before anything was ever sent', () => {
    expect(text(base)).toBe('Nothing to send');
    expect(text(withStatus({ phase: 'draining' }))).toBe('Nothing to send');
  });

  it('says when a backoff ends: seconds while near, the time when later, now when past', () => {
    const backoff = (inMs: number) =>
      withStatus({
        phase: 'backoff',
        nextRetryAt: at.getTime() + inMs,
        counts: counts('pending', 'pending'),
      });
    expect(deriveIndicator(backoff(25_000)).kind).toBe('retrying');
    expect(text(backoff(25_000))).toBe('2 waiting to send · trying again in 25 s');
    expect(text(backoff(24_200))).toBe('2 waiting to send · trying again in 25 s');
    expect(text(backoff(25_000), 'en', new Date(at.getTime() + 10_000))).toBe(
      '2 waiting to send · trying again in 15 s',
    );
    expect(text(backoff(37 * 60_000))).toBe('2 waiting to send · trying again at 14:42');
    expect(text(backoff(25_000), 'en', new Date(at.getTime() + 26_000))).toBe(
      '2 waiting to send · trying again now',
    );
    expect(text(backoff(25_000), 'hi')).toBe('2 भेजे जाने की प्रतीक्षा में · 25 सेकंड में फिर कोशिश होगी');
  });

  it('says when the network answered with a web page (a Wi-Fi login), in both languages', () => {
    const portal = withStatus({
      phase: 'backoff',
      nextRetryAt: at.getTime() + 25_000,
      counts: counts('pending'),
      lastError: { kind: 'captive_portal' },
    });
    expect(text(portal)).toBe(
      'Signed in to the Wi-Fi? The network answered with a web page · 1 waiting to send · trying again in 25 s',
    );
    expect(text(portal, 'hi')).toContain('वाई-फ़ाई');
    // Any other failure keeps the plain words.
    expect(text({ ...portal, status: { ...portal.status, lastError: { kind: 'network' } } })).toBe(
      '1 waiting to send · trying again in 25 s',
    );
  });

  it('says only waiting when the engine gives no retry time', () => {
    expect(text(withStatus({ phase: 'backoff', counts: counts('pending') }))).toBe('1 waiting to send');
  });
});
