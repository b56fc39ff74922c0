/** The booking in progress: its steps, its choices and which choices depend on which. */
import { z } from 'zod/mini';
import { APPOINTMENT_MODES } from '../../../sync/entities.ts';
import { useSessionDraft } from '../../lib/session-draft.ts';

export const BOOKING_STEPS = ['specialty', 'doctor', 'mode', 'slot', 'reason', 'review'] as const;
export type BookingStep = (typeof BOOKING_STEPS)[number];

export const bookingDraft = z.object({
  step: z._default(z.enum(BOOKING_STEPS), 'specialty'),
  specialty: z._default(z.nullable(z.string()), null),
  doctorId: z._default(z.nullable(z.string()), null),
  mode: z._default(z.nullable(z.enum(APPOINTMENT_MODES)), null),
  day: z._default(z.nullable(z.string()), null),
  slotId: z._default(z.nullable(z.string()), null),
  reason: z._default(z.string(), ''),
});
export type BookingDraft = z.infer<typeof bookingDraft>;

export const BOOKING_DRAFT_KEY = 'consult.bookingDraft';

/** Choosing something earlier clears the choices that depended on it. */
export function choose(draft: BookingDraft, change: Partial<BookingDraft>): BookingDraft {
  const next = { ...draft, ...change };
  if ('specialty' in change && change.specialty !== draft.specialty) {
    Object.assign(next, { doctorId: null, mode: null, day: null, slotId: null });
  }
  if ('doctorId' in change && change.doctorId !== draft.doctorId) {
    Object.assign(next, { mode: null, day: null, slotId: null });
  }
  if ('mode' in change && change.mode !== draft.mode) Object.assign(next, { day: null, slotId: null });
  if ('day' in change && change.day !== draft.day) next.slotId = null;
  return next;
}

export function useBookingDraft(): [BookingDraft, (change: Partial<BookingDraft>) => void, () => void] {
  return useSessionDraft(BOOKING_DRAFT_KEY, bookingDraft, choose);
}
