/**
 * The booking in progress, kept in sessionStorage: leaving for the profile (or a reload while
 * offline) comes back to the same step with the same choices.
 */
import { useCallback, useState } from 'react';
import { z } from 'zod';
import { APPOINTMENT_MODES } from '../../../sync/entities.ts';

export const BOOKING_STEPS = ['specialty', 'doctor', 'mode', 'slot', 'reason', 'review'] as const;
export type BookingStep = (typeof BOOKING_STEPS)[number];

export const bookingDraft = z.object({
  step: z.enum(BOOKING_STEPS),
  specialty: z.string().nullable(),
  doctorId: z.string().nullable(),
  mode: z.enum(APPOINTMENT_MODES).nullable(),
  day: z.string().nullable(),
  slotId: z.string().nullable(),
  reason: z.string(),
});
export type BookingDraft = z.infer<typeof bookingDraft>;

export const EMPTY_DRAFT: BookingDraft = {
  step: 'specialty',
  specialty: null,
  doctorId: null,
  mode: null,
  day: null,
  slotId: null,
  reason: '',
};

const DRAFT_KEY = 'consult.bookingDraft';

export function loadDraft(storage: Pick<Storage, 'getItem'> | undefined): BookingDraft {
  try {
    const raw = storage?.getItem(DRAFT_KEY);
    if (!raw) return EMPTY_DRAFT;
    const parsed = bookingDraft.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : EMPTY_DRAFT;
  } catch {
    return EMPTY_DRAFT;
  }
}

function saveDraft(
  storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined,
  draft: BookingDraft | null,
): void {
  try {
    if (draft) storage?.setItem(DRAFT_KEY, JSON.stringify(draft));
    else storage?.removeItem(DRAFT_KEY);
  } catch {
    // A full or blocked sessionStorage only loses the draft on reload; the booking still works.
  }
}

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
  const storage = typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  const [draft, setDraft] = useState(() => loadDraft(storage));
  const update = useCallback(
    (change: Partial<BookingDraft>) => {
      setDraft((d) => {
        const next = choose(d, change);
        saveDraft(storage, next);
        return next;
      });
    },
    [storage],
  );
  const clear = useCallback(() => {
    saveDraft(storage, null);
    setDraft(EMPTY_DRAFT);
  }, [storage]);
  return [draft, update, clear];
}
