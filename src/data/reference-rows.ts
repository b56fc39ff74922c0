/**
 * Reference rows (doctors, slots, clinics) as the device keeps them from `sync_pull`. Parsed on read,
 * like every record that enters from IndexedDB; a row that does not fit is left out of the screens.
 */
import { z } from 'zod/mini';
import { APPOINTMENT_MODES } from '../../sync/entities.ts';
import { looseObject } from '../../sync/zod-object.ts';

export const doctorRow = looseObject({
  id: z.string(),
  clinic_id: z.string(),
  name: z.string(),
  specialty: z.string(),
  languages: z.array(z.string()),
  offers_video: z.boolean(),
});
export type Doctor = z.infer<typeof doctorRow>;

export const slotRow = looseObject({
  id: z.string(),
  doctor_id: z.string(),
  starts_at: z.string(),
  ends_at: z.string(),
  mode: z.enum(APPOINTMENT_MODES),
  /** The server keeps it false while an active appointment holds the slot. */
  available: z._default(z.boolean(), true),
});
export type Slot = z.infer<typeof slotRow>;

export const clinicRow = looseObject({
  id: z.string(),
  name: z.string(),
  town: z.optional(z.string()),
  address: z.optional(z.nullable(z.string())),
});
export type Clinic = z.infer<typeof clinicRow>;

/** Parses each record, dropping those that do not fit. */
export function parseRows<T>(schema: z.ZodMiniType<T>, records: readonly unknown[]): T[] {
  const out: T[] = [];
  for (const record of records) {
    const parsed = schema.safeParse(record);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}
