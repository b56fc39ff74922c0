/**
 * A kiosk's pull (`sync_pull(…, kiosk => true)`, through the app's transport with `kiosk: true`):
 * the clinic's patients with the match index's fields only, slots as always, no appointment rows,
 * yet every tombstone, so a kiosk still drops what was deleted. Without the argument nothing changes.
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { patientFields } from '../../sync/entities.ts';
import type { PullResponse } from '../../sync/protocol.ts';
import { SupabaseTransport } from '../../sync/transports/supabase.ts';
import { newUser } from './stack-clients.ts';
import {
  appointmentRow,
  createClinic,
  mutation,
  newStaff,
  patientRow,
  pull,
  push,
  type TestClinic,
  type TestSlot,
  upsertAppointment,
  upsertPatient,
} from './sync-fixtures.ts';

let clinic: TestClinic;

beforeAll(async () => {
  clinic = await createClinic(6);
});

function takeSlot(): TestSlot {
  const slot = clinic.slots.shift();
  if (!slot) throw new Error('out of test slots');
  return slot;
}

/** Every page from `since`, as a kiosk pulls them. */
async function kioskPull(client: SupabaseClient, since: string | null = null): Promise<PullResponse[]> {
  const transport = new SupabaseTransport(client);
  const pages: PullResponse[] = [];
  for (let cursor = since, more = true; more; ) {
    const page = await transport.pull(cursor, { kiosk: true });
    pages.push(page);
    cursor = page.cursor;
    more = page.hasMore;
  }
  return pages;
}

/** A staff member of the clinic who registered a walk-in and booked them a slot. */
async function walkInBooked(label: string) {
  const staff = await newStaff(clinic.clinicId, label);
  const clientId = randomUUID();
  const walkIn = patientRow();
  const booking = appointmentRow(String(walkIn.id), takeSlot());
  await push(staff.client, clientId, [upsertPatient(clientId, walkIn), upsertAppointment(clientId, booking)]);
  return { staff, clientId, walkIn, booking };
}

const idsOf = (pages: PullResponse[], table: keyof PullResponse['changes']): string[] =>
  pages.flatMap((p) => p.changes[table].map((r) => String(r.id)));

describe('sync_pull for a kiosk', () => {
  it('sends the clinic’s patients and the slots, taken ones marked, but no appointment rows', async () => {
    const { staff, walkIn, booking } = await walkInBooked('kiosk-pull');
    // A patient's own phone books at the clinic too: staff may read that booking, a kiosk gets none.
    const phone = await newUser('kiosk-pull-phone');
    const own = patientRow();
    const ownBooking = appointmentRow(String(own.id), takeSlot());
    const phoneId = randomUUID();
    await push(phone.client, phoneId, [upsertPatient(phoneId, own), upsertAppointment(phoneId, ownBooking)]);

    const pages = await kioskPull(staff.client);
    expect(idsOf(pages, 'patients')).toContain(walkIn.id);
    // Only the match index's fields and those a stored patient row must have: the sweep takes it.
    const pulled = pages.flatMap((p) => p.changes.patients).find((r) => r.id === walkIn.id);
    expect(Object.keys(pulled ?? {}).sort()).toEqual(
      ['date_of_birth', 'full_name', 'id', 'phone', 'preferred_language', 'sex', 'version'].sort(),
    );
    expect(pulled).toMatchObject({ full_name: walkIn.full_name, date_of_birth: walkIn.date_of_birth });
    expect(patientFields.safeParse(pulled).success).toBe(true);
    expect(idsOf(pages, 'appointments')).toEqual([]);
    const slots = pages.flatMap((p) => p.changes.slots);
    expect(slots.find((s) => s.id === booking.slot_id)).toMatchObject({ available: false });
    expect(slots.find((s) => s.id === ownBooking.slot_id)).toMatchObject({ available: false });

    // The same staff member's pull without the argument is as before.
    const full = await pull(staff.client);
    expect(full.changes.patients.find((r) => r.id === walkIn.id)).toHaveProperty('address');
    expect(full.changes.appointments.map((r) => r.id)).toEqual(
      expect.arrayContaining([booking.id, ownBooking.id]),
    );
  });

  it('still sends the tombstones of a deleted walk-in and their appointment', async () => {
    const { staff, clientId, walkIn, booking } = await walkInBooked('kiosk-pull-delete');
    const start = (await kioskPull(staff.client)).at(-1)?.cursor ?? null;
    await push(staff.client, clientId, [
      mutation(clientId, { entity: 'patients', op: 'delete', key: String(walkIn.id) }),
    ]);

    const deleted = (await kioskPull(staff.client, start)).flatMap((p) => p.deleted);
    expect(deleted).toEqual(
      expect.arrayContaining([
        { entity: 'patients', id: walkIn.id },
        { entity: 'appointments', id: booking.id },
      ]),
    );
  });
});
