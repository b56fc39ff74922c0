/**
 * The request by specialty in progress, kept in sessionStorage like the booking draft: leaving for
 * the profile (or a reload while offline) comes back to the same step with the same choices.
 */
import { useCallback, useState } from 'react';
import { z } from 'zod';
import { APPOINTMENT_MODES } from '../../../sync/entities.ts';
import { PREFERRED_WINDOWS } from '../../data/consult-request.ts';

export const REQUEST_STEPS = ['specialty', 'mode', 'day', 'window', 'reason', 'review'] as const;
export type RequestStep = (typeof REQUEST_STEPS)[number];

export const requestDraft = z.object({
  step: z.enum(REQUEST_STEPS),
  specialty: z.string().nullable(),
  mode: z.enum(APPOINTMENT_MODES).nullable(),
  day: z.string().nullable(),
  window: z.enum(PREFERRED_WINDOWS).nullable(),
  reason: z.string(),
});
export type RequestDraft = z.infer<typeof requestDraft>;

export const EMPTY_REQUEST: RequestDraft = {
  step: 'specialty',
  specialty: null,
  mode: null,
  day: null,
  window: null,
  reason: '',
};

const KEY = 'consult.requestDraft';

export function loadRequestDraft(storage: Pick<Storage, 'getItem'> | undefined): RequestDraft {
  try {
    const raw = storage?.getItem(KEY);
    if (!raw) return EMPTY_REQUEST;
    const parsed = requestDraft.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : EMPTY_REQUEST;
  } catch {
    return EMPTY_REQUEST;
  }
}

export function useRequestDraft(): [RequestDraft, (change: Partial<RequestDraft>) => void, () => void] {
  const storage = typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  const [draft, setDraft] = useState(() => loadRequestDraft(storage));
  const save = useCallback(
    (next: RequestDraft | null) => {
      try {
        if (next) storage?.setItem(KEY, JSON.stringify(next));
        else storage?.removeItem(KEY);
      } catch {
        // A full or blocked sessionStorage only loses the draft on reload.
      }
    },
    [storage],
  );
  const update = useCallback(
    (change: Partial<RequestDraft>) => {
      setDraft((d) => {
        const next = { ...d, ...change };
        save(next);
        return next;
      });
    },
    [save],
  );
  const clear = useCallback(() => {
    save(null);
    setDraft(EMPTY_REQUEST);
  }, [save]);
  return [draft, update, clear];
}
