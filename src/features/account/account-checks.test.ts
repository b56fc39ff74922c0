import { describe, expect, it } from 'vitest';
import { phoneAsSent } from '../../../sync/entities.ts';
import { checkCode, checkEmailForm, checkPhone } from './account-checks.ts';

describe('account checks', () => {
  it('says which email field is wrong, and why', () => {
    expect(checkEmailForm('in', '', '')).toEqual({ email: 'error.required', password: 'error.required' });
    expect(checkEmailForm('in', 'not-an-email', 'x')).toEqual({ email: 'account.emailFormat' });
    expect(checkEmailForm('in', 'asha@example.org', 'x')).toEqual({});
    expect(checkEmailForm('up', 'asha@example.org', 'short')).toEqual({ password: 'account.passwordShort' });
    expect(checkEmailForm('up', ' asha@example.org ', 'long enough')).toEqual({});
  });

  it('refuses a phone number that is not one, before a code is sent', () => {
    expect(checkPhone('')).toEqual({ phone: 'error.required' });
    expect(checkPhone('abc<script>')).toEqual({ phone: 'error.phoneFormat' });
    expect(checkPhone('12345')).toEqual({ phone: 'error.phoneFormat' });
    expect(checkPhone('+91 98765-43210')).toEqual({});
    expect(phoneAsSent('+91 98765-43210')).toBe('+919876543210');
  });

  it('takes only digits as a one-time code', () => {
    expect(checkCode(' ')).toEqual({ code: 'error.required' });
    expect(checkCode('12ab56')).toEqual({ code: 'account.codeFormat' });
    expect(checkCode(' 123456 ')).toEqual({});
  });
});
