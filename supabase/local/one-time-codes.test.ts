import { describe, expect, it } from 'vitest';
import { OneTimeCodes, OTP_MAX_WRONG_TRIES, OTP_SECONDS } from './one-time-codes.ts';

function codes(start = 1_000_000) {
  const clock = { now: start };
  let next = 0;
  const store = new OneTimeCodes(
    () => clock.now,
    () => String(++next).padStart(6, '0'),
  );
  return { store, clock };
}

describe('one-time codes', () => {
  it('accepts the right code once', () => {
    const { store } = codes();
    const code = store.issue('919800000001');
    expect(store.check('919800000001', code)).toEqual({ ok: true });
    expect(store.check('919800000001', code)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('remembers whose account a phone-change code is for', () => {
    const { store } = codes();
    const code = store.issue('919800000001', 'user-1');
    expect(store.check('919800000001', code)).toEqual({ ok: true, userId: 'user-1' });
  });

  it('refuses an expired code', () => {
    const { store, clock } = codes();
    const code = store.issue('a@example.test');
    clock.now += OTP_SECONDS * 1000 + 1;
    expect(store.check('a@example.test', code)).toEqual({ ok: false, reason: 'invalid' });
  });

  it(`locks the code after ${OTP_MAX_WRONG_TRIES} wrong tries, even against the right one`, () => {
    const { store } = codes();
    const code = store.issue('919800000001');
    for (let i = 1; i < OTP_MAX_WRONG_TRIES; i++) {
      expect(store.check('919800000001', 'nope')).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(store.check('919800000001', 'nope')).toEqual({ ok: false, reason: 'locked' });
    expect(store.check('919800000001', code)).toEqual({ ok: false, reason: 'locked' });
  });

  it('counts wrong tries per code: a new code starts again, and others are untouched', () => {
    const { store } = codes();
    store.issue('919800000001');
    const other = store.issue('919800000002');
    for (let i = 0; i < OTP_MAX_WRONG_TRIES; i++) store.check('919800000001', 'nope');
    const fresh = store.issue('919800000001');
    expect(store.check('919800000001', fresh)).toEqual({ ok: true });
    expect(store.check('919800000002', other)).toEqual({ ok: true });
  });
});
