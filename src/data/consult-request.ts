/**
 * A consultation requested by specialty, for a phone that has never received availability (first use
 * offline): an appointment row with no slot, doctor or times, and instead the specialty, mode and the
 * preferred day and time window (clinic time, Asia/Kolkata). When it syncs, the server books the first
 * free matching slot and fills slot, doctor and times in the canonical row, or refuses it with
 * `no_slot` and a reason; the patient then picks another day or window (re-queued) or discards it.
 *
 * The contract is the server's (SPECIALTIES and PREFERRED_WINDOWS in sync/entities.ts); the schema
 * here mirrors it so the screens validate field by field before the store does.
 */
import { z } from 'zod';
import { APPOINTMENT_MODES, appointmentFields, PREFERRED_WINDOWS, SPECIALTIES } from '../../sync/entities.ts';
import { isValidationError } from '../../sync/errors.ts';
import type { MutationError } from '../../sync/local-mutation.ts';
import { newUuid } from '../lib/uuid.ts';
import { requestBackgroundSync } from './background-sync.ts';
import type { Services } from './services.ts';
import { requestPersistentStorage } from './storage.ts';
import type { WriteResult } from './write-result.ts';

export const CLINIC_TIME_ZONE = 'Asia/Kolkata';

export { PREFERRED_WINDOWS };
export type PreferredWindow = (typeof PREFERRED_WINDOWS)[number];

/** The specialties a request may name: the server's list. */
export const REQUEST_SPECIALTIES: readonly string[] = SPECIALTIES;

/** Today in the clinic's time zone, as YYYY-MM-DD. */
export function clinicToday(now: Date): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: CLINIC_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** The days a patient may prefer: today (clinic time) and the `count - 1` after it. */
export function requestDays(now: Date, count = 14): string[] {
  const [y, m, d] = clinicToday(now).split('-').map(Number);
  const first = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
  return Array.from({ length: count }, (_, i) => new Date(first + i * 86_400_000).toISOString().slice(0, 10));
}

export const requestFields = z.object({
  id: z.string().uuid(),
  patient_id: z.string().uuid(),
  doctor_id: z.null(),
  slot_id: z.null(),
  starts_at: z.null(),
  ends_at: z.null(),
  requested_specialty: z.string().refine((s) => REQUEST_SPECIALTIES.includes(s), 'choose a specialty'),
  preferred_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use the form YYYY-MM-DD'),
  preferred_window: z.enum(PREFERRED_WINDOWS),
  mode: z.enum(APPOINTMENT_MODES),
  reason: appointmentFields.shape.reason,
  status: z.literal('requested'),
});
export type ConsultationRequest = z.infer<typeof requestFields>;

export interface RequestInput {
  patientId: string;
  specialty: string;
  mode: (typeof APPOINTMENT_MODES)[number];
  preferredDate: string;
  preferredWindow: PreferredWindow;
  reason: string;
}

export function newConsultationRequest(input: RequestInput, id: string = newUuid()): ConsultationRequest {
  return {
    id,
    patient_id: input.patientId,
    doctor_id: null,
    slot_id: null,
    starts_at: null,
    ends_at: null,
    requested_specialty: input.specialty,
    preferred_date: input.preferredDate,
    preferred_window: input.preferredWindow,
    mode: input.mode,
    reason: input.reason,
    status: 'requested',
  };
}

/** Validates the request, including a preferred day not before today in clinic time. */
export function checkRequest(candidate: unknown, now: Date): WriteResult<ConsultationRequest> {
  const parsed = requestFields
    .refine((r) => r.preferred_date >= clinicToday(now), {
      message: 'cannot be in the past',
      path: ['preferred_date'],
    })
    .safeParse(candidate);
  return parsed.success ? { ok: true, row: parsed.data } : { ok: false, issues: parsed.error.issues };
}

/** What the server still has to do: a request no slot has been found for yet. */
export function isOpenRequest(row: {
  slot_id?: string | null;
  requested_specialty?: string | null | undefined;
}): boolean {
  return !row.slot_id && typeof row.requested_specialty === 'string';
}

/** The server's "no free slot matched" refusal (a reject code the protocol is gaining). */
export function isNoSlot(error: MutationError | null | undefined): boolean {
  return error?.code === 'no_slot';
}

async function writeRequest(
  services: Services,
  candidate: unknown,
  now: Date,
): Promise<WriteResult<ConsultationRequest>> {
  const checked = checkRequest(candidate, now);
  if (!checked.ok) return checked;
  try {
    await services.store.write({ entity: 'appointments', op: 'upsert', row: checked.row });
  } catch (e) {
    // The store validates with the entity's schema too (the server's rules).
    if (isValidationError(e))
      return {
        ok: false,
        issues: e.issues.map((i) => ({
          code: 'custom' as const,
          path: i.path.split('.'),
          message: i.message,
          input: undefined,
        })),
      };
    throw e;
  }
  void requestPersistentStorage();
  requestBackgroundSync();
  return checked;
}

export function requestConsultation(
  services: Services,
  input: RequestInput,
  now: Date = new Date(),
): Promise<WriteResult<ConsultationRequest>> {
  return writeRequest(services, newConsultationRequest(input), now);
}

/**
 * Fixes a request the server could not book (`no_slot`): the refused write is discarded and the same
 * appointment is requested again for another day or window, keeping its id and place in the list.
 */
export async function requestAgain(
  services: Services,
  row: ConsultationRequest,
  refusedMutationIds: readonly string[],
  change: { preferredDate: string; preferredWindow: PreferredWindow },
  now: Date = new Date(),
): Promise<WriteResult<ConsultationRequest>> {
  const candidate = {
    ...row,
    preferred_date: change.preferredDate,
    preferred_window: change.preferredWindow,
  };
  const checked = checkRequest(candidate, now);
  if (!checked.ok) return checked;
  for (const id of refusedMutationIds) await services.engine.discard(id);
  return writeRequest(services, candidate, now);
}
