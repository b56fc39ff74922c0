/**
 * The synced entities, declared once: key, row schema (the same rules the server's check constraints
 * and `sync_push` enforce), and references. Adding an entity is adding a declaration here (and its
 * table on the server); the outbox, planner and engine read only these declarations.
 */
import { z } from 'zod';
import type { EntityName } from './protocol.ts';

export const LANGUAGES = ['en', 'hi'] as const;
export const SEXES = ['female', 'male', 'other', 'undisclosed'] as const;
export const APPOINTMENT_MODES = ['video', 'in_person'] as const;
export const APPOINTMENT_STATUSES = ['requested', 'confirmed', 'rejected', 'cancelled', 'completed'] as const;

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

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use the form YYYY-MM-DD');

/** Today's date (UTC) as YYYY-MM-DD; injected clocks pass `now`. */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Spaces and dashes are how people write numbers ("98123 45678"); the server strips them too. */
const phoneNumber = z
  .string()
  .transform((s) => s.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(PHONE_PATTERN, 'use 7 to 15 digits, optionally starting with +'));

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const patientFields = z.object({
  id: z.string().uuid(),
  full_name: z.string().trim().min(1, 'required').max(FIELD_LIMITS.fullName),
  date_of_birth: isoDate
    .refine((d) => d >= '1900-01-01', 'must be on or after 1900-01-01')
    .refine((d) => d <= todayIso(), 'cannot be in the future'),
  sex: z.enum(SEXES),
  phone: phoneNumber.nullable().optional(),
  address: optionalText(FIELD_LIMITS.address),
  preferred_language: z.enum(LANGUAGES),
  emergency_contact_name: optionalText(FIELD_LIMITS.emergencyContactName),
  emergency_contact_phone: phoneNumber.nullable().optional(),
  /** Set by the server: the patient's own auth user, when they have one. */
  user_id: z.string().uuid().nullable().optional(),
  /** Set by the server for walk-ins: the staff user who registered them and their clinic. */
  registered_by: z.string().uuid().nullable().optional(),
  clinic_id: z.string().uuid().nullable().optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
  version: z.number().int().optional(),
});
export type Patient = z.infer<typeof patientFields>;

export const appointmentFields = z.object({
  id: z.string().uuid(),
  patient_id: z.string().uuid(),
  doctor_id: z.string().uuid(),
  slot_id: z.string().uuid(),
  starts_at: z.string(),
  ends_at: z.string(),
  mode: z.enum(APPOINTMENT_MODES),
  reason: z.string().trim().min(1, 'required').max(FIELD_LIMITS.reason),
  status: z.enum(APPOINTMENT_STATUSES),
  /**
   * Set by the server only: the video room of a confirmed video appointment, null otherwise. A
   * device's value is ignored.
   */
  join_url: z.string().nullable().optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
  version: z.number().int().optional(),
});
export type Appointment = z.infer<typeof appointmentFields>;

/** A reference from one entity's field to another entity's key. */
export interface Reference {
  field: string;
  entity: EntityName;
}

export interface EntityDefinition<Row> {
  name: EntityName;
  /** The primary key field; always a device-generated uuid. */
  key: 'id';
  schema: z.ZodType<Row>;
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
  schema: appointmentFields,
  references: [{ field: 'patient_id', entity: 'patients' }],
};

export const ENTITIES: Readonly<
  Record<EntityName, EntityDefinition<Patient> | EntityDefinition<Appointment>>
> = {
  patients: patientsEntity,
  appointments: appointmentsEntity,
};

/** Entities in an order where every entity comes after the ones it references. */
export const ENTITY_ORDER: readonly EntityName[] = ['patients', 'appointments'];
