/**
 * What the kiosk's forms check before anything is looked up or sent, field by field. Without them an
 * empty staff sign-in went to the server and came back as "Invalid login credentials" under no
 * field; an empty search said "No registration matches" as if the details had been wrong; an empty
 * PIN counted as a wrong one towards the lockout; and Book with no doctor said "Choose a day and a
 * time" under the button, far from the doctors. Each message is shown beside its field.
 */
import { appointmentFields, PHONE_PATTERN, phoneAsSent, todayIso } from '../../../sync/entities.ts';
import type { MessageKey } from '../../i18n/messages-en.ts';
import type { KioskMessageKey } from '../../i18n/messages-kiosk-en.ts';
import type { MessageParams } from '../../i18n/translate.ts';
import { fieldMessages } from '../../lib/validation-messages.ts';

export interface Problem {
  key: KioskMessageKey | MessageKey;
  params?: MessageParams;
}
export type Checked<F extends string> = Partial<Record<F, Problem>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkStaffSignIn(email: string, password: string): Checked<'email' | 'password'> {
  const errors: Checked<'email' | 'password'> = {};
  const address = email.trim();
  if (!address) errors.email = { key: 'error.required' };
  else if (!EMAIL.test(address)) errors.email = { key: 'account.emailFormat' };
  if (!password) errors.password = { key: 'error.required' };
  return errors;
}

/** An empty PIN is a slip, not a guess: said so, and not counted towards the lockout. */
export function checkPinEntered(pin: string): Checked<'pin'> {
  return pin.trim() ? {} : { pin: { key: 'kiosk.pin.enter' } };
}

/** The PINs a new kiosk chooses: the rule on the first, the match on the second. */
export function checkNewPin(
  pin: string,
  again: string,
  valid: (pin: string) => boolean,
): Checked<'pin' | 'again'> {
  if (!valid(pin)) return { pin: { key: 'kiosk.pin.tooShort' } };
  return pin === again ? {} : { again: { key: 'kiosk.pin.mismatch' } };
}

/** "Find me": both fields of the chosen way, in a shape a registration can have. */
export function checkFind(
  by: 'phone' | 'name',
  text: string,
  birth: string,
  now: Date = new Date(),
): Checked<'text' | 'birth'> {
  const errors: Checked<'text' | 'birth'> = {};
  const born = birth.trim();
  if (by === 'phone') {
    const phone = phoneAsSent(text);
    if (!phone) errors.text = { key: 'error.required' };
    else if (!PHONE_PATTERN.test(phone)) errors.text = { key: 'error.phoneFormat' };
    if (!born) errors.birth = { key: 'error.required' };
    else if (!/^\d{4}$/.test(born) || Number(born) < 1900 || Number(born) > now.getFullYear())
      errors.birth = { key: 'kiosk.find.yearFormat' };
    return errors;
  }
  if (!/[\p{L}\p{N}]/u.test(text)) errors.text = { key: 'error.required' };
  if (!born) errors.birth = { key: 'error.required' };
  else if (born > todayIso(now)) errors.birth = { key: 'error.dateFuture' };
  return errors;
}

/** Booking a time at the tablet: a doctor, then one of their free times, and the reason. */
export function checkKioskBooking(
  doctorId: string | null,
  slotChosen: boolean,
  reason: string,
): Checked<'doctor' | 'slot' | 'reason'> {
  const errors: Checked<'doctor' | 'slot' | 'reason'> = {};
  if (!doctorId) errors.doctor = { key: 'kiosk.book.pickDoctor' };
  else if (!slotChosen) errors.slot = { key: 'kiosk.book.pickTime' };
  // The same rule the server applies to appointments.reason.
  const parsed = appointmentFields.shape.reason.safeParse(reason);
  if (!parsed.success) errors.reason = fieldMessages(parsed.error.issues)[''] ?? { key: 'error.invalid' };
  return errors;
}
