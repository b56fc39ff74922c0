import { describe, expect, it } from 'vitest';
import { isValidPin } from '../../data/kiosk-pin.ts';
import {
  checkFind,
  checkKioskBooking,
  checkNewPin,
  checkPinEntered,
  checkStaffSignIn,
} from './kiosk-checks.ts';

const DOCTOR = '00000000-0000-4000-8000-0000000000d1';

describe('staff sign-in', () => {
  it('says beside each field what is missing or malformed, before anything is sent', () => {
    expect(checkStaffSignIn('', '')).toEqual({
      email: { key: 'error.required' },
      password: { key: 'error.required' },
    });
    expect(checkStaffSignIn('reception', 'x')).toEqual({ email: { key: 'account.emailFormat' } });
    expect(checkStaffSignIn(' reception@sitapur.demo ', 'kiosk-demo-1')).toEqual({});
  });
});

describe('PINs', () => {
  it('takes an empty PIN for a slip, not a guess', () => {
    expect(checkPinEntered('')).toEqual({ pin: { key: 'kiosk.pin.enter' } });
    expect(checkPinEntered('  ')).toEqual({ pin: { key: 'kiosk.pin.enter' } });
    expect(checkPinEntered('1')).toEqual({});
  });

  it('puts the rule on the new PIN and the mismatch on the repeat', () => {
    expect(checkNewPin('123', '123', isValidPin)).toEqual({ pin: { key: 'kiosk.pin.tooShort' } });
    expect(checkNewPin('482913', '482914', isValidPin)).toEqual({ again: { key: 'kiosk.pin.mismatch' } });
    expect(checkNewPin('482913', '482913', isValidPin)).toEqual({});
  });
});

describe('finding a returning patient', () => {
  const now = new Date('2026-11-30T06:00:00Z');

  it('asks for both fields instead of answering "no registration matches"', () => {
    expect(checkFind('phone', '', '', now)).toEqual({
      text: { key: 'error.required' },
      birth: { key: 'error.required' },
    });
    expect(checkFind('name', '  ', '', now)).toEqual({
      text: { key: 'error.required' },
      birth: { key: 'error.required' },
    });
  });

  it('refuses a phone or a year no registration can have', () => {
    expect(checkFind('phone', '12ab', '84', now)).toEqual({
      text: { key: 'error.phoneFormat' },
      birth: { key: 'kiosk.find.yearFormat' },
    });
    expect(checkFind('phone', '98765 01234', '2027', now).birth).toEqual({ key: 'kiosk.find.yearFormat' });
    expect(checkFind('phone', '98765 01234', '1980', now)).toEqual({});
    expect(checkFind('name', 'Ramesh', '2027-01-01', now)).toEqual({ birth: { key: 'error.dateFuture' } });
    expect(checkFind('name', 'Ramesh', '1980-05-06', now)).toEqual({});
  });
});

describe('booking at the tablet', () => {
  it('names the question still open: the doctor, then the time, and the reason', () => {
    expect(checkKioskBooking(null, false, '')).toEqual({
      doctor: { key: 'kiosk.book.pickDoctor' },
      reason: { key: 'error.required' },
    });
    expect(checkKioskBooking(DOCTOR, false, 'Knee pain')).toEqual({ slot: { key: 'kiosk.book.pickTime' } });
    expect(checkKioskBooking(DOCTOR, true, 'x'.repeat(501))).toEqual({
      reason: { key: 'error.tooLong', params: { max: 500 } },
    });
    expect(checkKioskBooking(DOCTOR, true, 'Knee pain')).toEqual({});
  });
});
