/**
 * What the account forms check before anything is sent, field by field, in the user's language.
 * The browser's own checks (`required`, `type="email"`) stopped a submit with a bubble that a
 * screen reader may not announce and that names no rule, and nothing checked a phone number at all:
 * "abc" was sent a code. The forms set `noValidate` and show these beside the fields instead.
 */
import { PHONE_PATTERN, phoneAsSent } from '../../../sync/entities.ts';
import type { MessageKey } from '../../i18n/messages-en.ts';

export type AccountField = 'email' | 'password' | 'phone' | 'code';
export type AccountErrors = Partial<Record<AccountField, MessageKey>>;

/** The shortest password a new account may have (Supabase Auth's default minimum). */
export const PASSWORD_MIN = 6;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CODE = /^[0-9]{4,10}$/;

export function checkEmailForm(mode: 'in' | 'up', email: string, password: string): AccountErrors {
  const errors: AccountErrors = {};
  const address = email.trim();
  if (!address) errors.email = 'error.required';
  else if (!EMAIL.test(address)) errors.email = 'account.emailFormat';
  if (!password) errors.password = 'error.required';
  // Signing in takes the password the account has; only a new one must meet the minimum.
  else if (mode === 'up' && password.length < PASSWORD_MIN) errors.password = 'account.passwordShort';
  return errors;
}

/** The profile's phone rule, on the number as sent (spaces and dashes dropped). */
export function checkPhone(phone: string): AccountErrors {
  const to = phoneAsSent(phone);
  if (!to) return { phone: 'error.required' };
  return PHONE_PATTERN.test(to) ? {} : { phone: 'error.phoneFormat' };
}

export function checkCode(code: string): AccountErrors {
  const token = code.trim();
  if (!token) return { code: 'error.required' };
  return CODE.test(token) ? {} : { code: 'account.codeFormat' };
}
