/** The request by specialty in progress: its steps and its choices. */
import { z } from 'zod/mini';
import { APPOINTMENT_MODES } from '../../../sync/entities.ts';
import { PREFERRED_WINDOWS } from '../../data/consult-request.ts';
import { useSessionDraft } from '../../lib/session-draft.ts';

export const REQUEST_STEPS = ['specialty', 'mode', 'day', 'window', 'reason', 'review'] as const;
export type RequestStep = (typeof REQUEST_STEPS)[number];

export const requestDraft = z.object({
  step: z._default(z.enum(REQUEST_STEPS), 'specialty'),
  specialty: z._default(z.nullable(z.string()), null),
  mode: z._default(z.nullable(z.enum(APPOINTMENT_MODES)), null),
  day: z._default(z.nullable(z.string()), null),
  window: z._default(z.nullable(z.enum(PREFERRED_WINDOWS)), null),
  reason: z._default(z.string(), ''),
});
export type RequestDraft = z.infer<typeof requestDraft>;

export const REQUEST_DRAFT_KEY = 'consult.requestDraft';

export function useRequestDraft(): [RequestDraft, (change: Partial<RequestDraft>) => void, () => void] {
  return useSessionDraft(REQUEST_DRAFT_KEY, requestDraft);
}
