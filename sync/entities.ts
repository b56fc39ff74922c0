/**
 * The synced entities, declared once: key, row schema (the same rules the server's check constraints
 * and `sync_push` enforce), and references. The outbox, enqueue, planner and engine read only these
 * declarations; what else adding an entity takes is listed in sync/README.md ("Adding an entity").
 */
import { z } from 'zod/mini';
import { optionalText, requiredText } from './free-text.ts';
import type { EntityName } from './protocol.ts';
import { object } from './zod-object.ts';

export const LANGUAGES = ['en', 'hi'] as const;
export const SEXES = ['female', 'male', 'other', 'undisclosed'] as const;
export const APPOINTMENT_MODES = ['video', 'in_person'] as const;
export const APPOINTMENT_STATUSES = [
  'requested',
  'confirmed',
  'checked_in',
  'completed',
  'cancelled',
  'no_show',
  'rejected',
] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
/**
 * The statuses in which an appointment holds its slot: the server's unique index
 * `appointments_one_active_per_slot` allows one such appointment per slot.
 */
export const SLOT_HOLDING_STATUSES: readonly AppointmentStatus[] = ['requested', 'confirmed', 'checked_in'];

/**
 * Who moves an appointment: its patient (their own account, or the staff of the clinic that
 * registered the walk-in) or the clinic (staff of the clinic of the appointment's doctor).
 */
export type AppointmentActor = 'patient' | 'clinic';

/**
 * The appointment state machine, as supabase/migrations/20261129200000_appointment_states.sql
 * enforces it (the table is written out there): from each status (`new`: a row not yet on the
 * server), the statuses each actor may move it to in one step. Cancelling is allowed only before
 * the start; rejected, cancelled and completed are final.
 */
export const APPOINTMENT_TRANSITIONS: Record<
  AppointmentStatus | 'new',
  Partial<Record<AppointmentStatus, readonly AppointmentActor[]>>
> = {
  new: { requested: ['patient', 'clinic'], cancelled: ['patient', 'clinic'] },
  requested: { confirmed: ['clinic'], rejected: ['clinic'], cancelled: ['patient', 'clinic'] },
  confirmed: { checked_in: ['clinic'], no_show: ['clinic'], cancelled: ['patient', 'clinic'] },
  checked_in: { completed: ['clinic'] },
  no_show: { checked_in: ['clinic'] },
  completed: {},
  cancelled: {},
  rejected: {},
};

/**
 * Whether `actor` may move an appointment from `from` (null: a new row) to `to` in one or more of
 * their own steps: a device merges a row's queued writes, so one write may stand for several steps.
 */
export function appointmentTransitionAllowed(
  from: AppointmentStatus | null,
  to: AppointmentStatus,
  actor: AppointmentActor,
): boolean {
  const seen = new Set<AppointmentStatus>();
  const next: (AppointmentStatus | 'new')[] = [from ?? 'new'];
  for (let s = next.pop(); s !== undefined; s = next.pop())
    for (const status of APPOINTMENT_STATUSES) {
      if (APPOINTMENT_TRANSITIONS[s][status]?.includes(actor) && !seen.has(status)) {
        seen.add(status);
        next.push(status);
      }
    }
  return seen.has(to);
}
/** The doctors' specialties (supabase/seed.sql); a request by specialty names one of them. */
export const SPECIALTIES = [
  'general medicine',
  'paediatrics',
  'gynaecology',
  'dermatology',
  'cardiology',
  'ENT',
  'orthopaedics',
] as const;
/**
 * When in the preferred day a request may be booked, by the slot's start in clinic time
 * (Asia/Kolkata): morning 06:00–12:00, afternoon 12:00–17:00, evening 17:00–21:00, any = all day.
 */
export const PREFERRED_WINDOWS = ['morning', 'afternoon', 'evening', 'any'] as const;

/** Limits shared with the SQL check constraints (supabase/migrations). */
export const FIELD_LIMITS = {
  fullName: 120,
  phone: 20,
  address: 200,
  emergencyContactName: 120,
  reason: 500,
} as const;

/** E.164-ish: optional +, then 7 to 15 digits; spaces and dashes are stripped before checking. */
export const PHONE_PATTERN = /^\+?[0-9]{7,15}$/;

const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'use the form YYYY-MM-DD'));

/** Whether a YYYY-MM-DD string is a day of the calendar (not 2026-02-30). */
function isRealDate(d: string): boolean {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}

/**
 * Today's date on the device's own calendar as YYYY-MM-DD; injected clocks pass `now`. Not UTC: in
 * India, between 00:00 and 05:30 the UTC date is still yesterday, and a baby born today would be
 * refused as "in the future". (The server accepts any date that is today somewhere on Earth.)
 */
export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Spaces and dashes are how people write numbers ("98123 45678"); the server strips them too. */
export function phoneAsSent(phone: string): string {
  return phone.replace(/[\s-]/g, '');
}

const phoneNumber = z.pipe(
  z.pipe(z.string(), z.transform(phoneAsSent)),
  z.string().check(z.regex(PHONE_PATTERN, 'use 7 to 15 digits, optionally starting with +')),
);

export const patientFields = object({
  id: z.uuid(),
  full_name: requiredText(FIELD_LIMITS.fullName),
  date_of_birth: isoDate.check(
    z.refine((d: string) => d >= '1900-01-01', 'must be on or after 1900-01-01'),
    z.refine((d: string) => d <= todayIso(), 'cannot be in the future'),
  ),
  sex: z.enum(SEXES),
  phone: z.optional(z.nullable(phoneNumber)),
  address: optionalText(FIELD_LIMITS.address),
  preferred_language: z.enum(LANGUAGES),
  emergency_contact_name: optionalText(FIELD_LIMITS.emergencyContactName),
  emergency_contact_phone: z.optional(z.nullable(phoneNumber)),
  /** Set by the server: the patient's own auth user, when they have one. */
  user_id: z.optional(z.nullable(z.uuid())),
  /** Set by the server for walk-ins: the staff user who registered them and their clinic. */
  registered_by: z.optional(z.nullable(z.uuid())),
  clinic_id: z.optional(z.nullable(z.uuid())),
  created_at: z.optional(z.string()),
  updated_at: z.optional(z.string()),
  version: z.optional(z.int()),
});
export type Patient = z.infer<typeof patientFields>;

/**
 * An appointment names its slot (slot_id, doctor_id, starts_at, ends_at), or — on a phone that has
 * no availability yet — is a request: all four null, and requested_specialty, preferred_date and
 * preferred_window set. The server books a request into the first free matching slot and answers
 * the row with the slot filled in (the request fields stay), or rejects it with `no_slot`.
 * The either/or rule is `appointmentSchema` below.
 */
export const appointmentFields = object({
  id: z.uuid(),
  patient_id: z.uuid(),
  doctor_id: z.nullable(z.uuid()),
  slot_id: z.nullable(z.uuid()),
  starts_at: z.nullable(z.string()),
  ends_at: z.nullable(z.string()),
  mode: z.enum(APPOINTMENT_MODES),
  reason: requiredText(FIELD_LIMITS.reason),
  status: z.enum(APPOINTMENT_STATUSES),
  requested_specialty: z.optional(z.nullable(z.enum(SPECIALTIES))),
  /** YYYY-MM-DD, a day in clinic time. */
  preferred_date: z.optional(z.nullable(isoDate.check(z.refine(isRealDate, 'not a real date')))),
  preferred_window: z.optional(z.nullable(z.enum(PREFERRED_WINDOWS))),
  /**
   * Set by the server only: the video room of a confirmed video appointment, null otherwise. A
   * device's value is ignored.
   */
  join_url: z.optional(z.nullable(z.string())),
  created_at: z.optional(z.string()),
  updated_at: z.optional(z.string()),
  version: z.optional(z.int()),
});
export type Appointment = z.infer<typeof appointmentFields>;

const SLOT_FIELDS = ['slot_id', 'doctor_id', 'starts_at', 'ends_at'] as const;
const REQUEST_FIELDS = ['requested_specialty', 'preferred_date', 'preferred_window'] as const;

/**
 * Either a slot or a request, the way sync_push reads a row: naming any slot field means naming a
 * slot (all four required); naming any request field means all three are required; naming neither
 * is an error on slot_id. Each issue is on the missing field.
 */
export function checkSlotOrRequest(a: Appointment, ctx: z.core.$RefinementCtx<Appointment>): void {
  const present = (f: (typeof SLOT_FIELDS)[number] | (typeof REQUEST_FIELDS)[number]) =>
    a[f] !== null && a[f] !== undefined;
  const slot = SLOT_FIELDS.some(present);
  const request = REQUEST_FIELDS.some(present);
  if (!slot && !request) {
    ctx.addIssue({
      code: 'custom',
      path: ['slot_id'],
      message: 'choose a slot, or a specialty, day and time of day for the clinic to pick one',
    });
    return;
  }
  const missing = [...(slot ? SLOT_FIELDS : []), ...(request ? REQUEST_FIELDS : [])].filter(
    (f) => !present(f),
  );
  for (const f of missing) ctx.addIssue({ code: 'custom', path: [f], message: 'required' });
}

/**
 * appointmentFields with the slot-or-request rule: what the entity declaration (and so the store
 * and the engine) validates. The rule is not on appointmentFields itself because zod 4 refuses
 * `z.extend()` that overrides keys of a refined object, and screens extend appointmentFields.
 */
export const appointmentSchema = appointmentFields.check(z.superRefine(checkSlotOrRequest));

/** A reference from one entity's field to another entity's key. */
export interface Reference {
  field: string;
  entity: EntityName;
}

export interface EntityDefinition<Row> {
  name: EntityName;
  /** The primary key field; always a device-generated uuid. */
  key: 'id';
  schema: z.ZodMiniType<Row>;
  references: readonly Reference[];
}

export const patientsEntity: EntityDefinition<Patient> = {
  name: 'patients',
  key: 'id',
  schema: patientFields,
  references: [],
};

export const appointmentsEntity: EntityDefinition<Appointment> = {
  name: 'appointments',
  key: 'id',
  schema: appointmentSchema,
  references: [{ field: 'patient_id', entity: 'patients' }],
};

export const ENTITIES: Readonly<
  Record<EntityName, EntityDefinition<Patient> | EntityDefinition<Appointment>>
> = {
  patients: patientsEntity,
  appointments: appointmentsEntity,
};
