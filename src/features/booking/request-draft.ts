/** The request by specialty in progress: its steps and its choices. */
import { z } from 'zod';
import { APPOINTMENT_MODES } from '../../../sync/entities.ts';
import { PREFERRED_WINDOWS } from '../../data/consult-request.ts';
import { useSessionDraft } from '../../lib/session-draft.ts';

export const REQUEST_STEPS = ['specialty', 'mode', 'day', 'window', 'reason', 'review'] as const;
export type RequestStep = (typeof REQUEST_STEPS)[number];

export const requestDraft = z.object({
  step: z.enum(REQUEST_STEPS).default('specialty'),
  specialty: z.string().nullable().default(null),
  mode: z.enum(APPOINTMENT_MODES).nullable().default(null),
  day: z.string().nullable().default(null),
  window: z.enum(PREFERRED_WINDOWS).nullable().default(null),
  reason: z.string().default(''),
});
export type RequestDraft = z.infer<typeof requestDraft>;

export const REQUEST_DRAFT_KEY = 'consult.requestDraft';

export function useRequestDraft(): [RequestDraft, (change: Partial<RequestDraft>) => void, () => void] {
  return useSessionDraft(REQUEST_DRAFT_KEY, requestDraft);
}
