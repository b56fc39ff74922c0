import { describe, expect, it } from 'vitest';
import type { MutationState } from '../../sync/local-mutation.ts';
import { indicatorText } from '../app/indicator-text.ts';
import type { MessageKey } from '../i18n/messages-en.ts';
import { type Lang, type MessageParams, translate } from '../i18n/translate.ts';
import { deriveIndicator, type IndicatorInput } from './sync-indicator.ts';

const at = new Date(2026, 10, 24, 14, 5);
const base: IndicatorInput = {
  online: true,
  outbox: [],
  draining: false,
  lastSentAt: null,
  needsSignIn: false,
};
const entries = (...states: MutationState[]) => states.map((state) => ({ state }));
const text = (input: IndicatorInput, lang: Lang = 'en') =>
  indicatorText(deriveIndicator(input), (k: MessageKey, p?: MessageParams) => translate(lang, k, p), lang);

describe('status indicator', () => {
  it('says all sent at HH:MM only when the outbox is empty', () => {
    expect(text({ ...base, lastSentAt: at })).toBe('All sent at 14:05');
    expect(text({ ...base, lastSentAt: at, outbox: entries('pending') })).toBe('1 waiting to send');
    expect(text({ ...base, lastSentAt: at, outbox: entries('sending') })).toBe('Sending…');
  });

  it('never says all sent while anything is queued, whatever the engine reports', () => {
    for (const state of ['pending', 'sending', 'rejected', 'blocked'] as const) {
      for (const online of [true, false]) {
        for (const draining of [true, false]) {
          const kind = deriveIndicator({
            ...base,
            online,
            draining,
            lastSentAt: at,
            outbox: entries(state),
          }).kind;
          expect(kind).not.toBe('all-sent');
          expect(kind).not.toBe('nothing-yet');
        }
      }
    }
  });

  it('counts waiting writes while offline', () => {
    expect(text({ ...base, online: false })).toBe('Offline');
    expect(text({ ...base, online: false, outbox: entries('pending', 'pending') })).toBe(
      'Offline · 2 waiting',
    );
    expect(text({ ...base, online: false, outbox: entries('pending') }, 'hi')).toBe('ऑफ़लाइन · 1 प्रतीक्षा में');
  });

  it('puts needs attention first and counts rejected and blocked', () => {
    const outbox = entries('pending', 'rejected', 'blocked');
    expect(text({ ...base, outbox })).toBe('Needs attention (2)');
    expect(text({ ...base, online: false, outbox })).toBe('Offline · Needs attention (2)');
  });

  it('shows sending while the engine drains, and sign-in when paused without a session', () => {
    expect(text({ ...base, draining: true, outbox: entries('pending') })).toBe('Sending…');
    expect(text({ ...base, needsSignIn: true, outbox: entries('pending') })).toBe(
      '1 waiting · sign in to send',
    );
  });

  it('says nothing to send before anything was ever sent', () => {
    expect(text(base)).toBe('Nothing to send');
    expect(text({ ...base, draining: true })).toBe('Nothing to send');
  });
});
