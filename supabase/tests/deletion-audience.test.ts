/**
 * A deletion marker reaches every account that could see the row, and no other (migration
 * 20261204100000): an appointment is visible to its patient's user, the patient's clinic and its
 * doctor's clinic, so its marker is too; a clinic that saw neither learns nothing. Reading a marker
 * gives no right to act on it: the doctor's clinic still cannot delete or stamp the booking.
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import type { PullResponse } from '../../sync/protocol.ts';
import { SupabaseTransport } from '../../sync/transports/supabase.ts';
import { phonePatient } from './appointment-fixtures.ts';
import { sql } from './stack-clients.ts';
import {
  answer,
  appointmentRow,
  createClinic,
  mutation,
  newStaff,
  patientRow,
  pull,
  push,
  upsertAppointment,
  upsertPatient,
} from './sync-fixtures.ts';

type Deleted = PullResponse['deleted'];

/**
 * Pulls from `since` until `id`'s marker arrives (a marker committed behind another test's open
 * transaction waits for it): every marker pulled on the way.
 */
async function deletedUntil(client: SupabaseClient, since: string, id: unknown): Promise<Deleted> {
  const seen: Deleted = [];
  let cursor = since;
  for (let n = 0; !seen.some((d) => d.id === id); n++) {
    if (n >= 50) throw new Error(`no marker for ${String(id)} after 50 pulls`);
    const page = await pull(client, cursor);
    seen.push(...page.deleted);
    cursor = page.cursor;
  }
  return seen;
}

/**
 * Markers pulled from `since` by an account that must get none: pulled once, after an account that
 * does get the marker has pulled it, so the marker is below this pull's bound too.
 */
async function deletedOnce(client: SupabaseClient, since: string): Promise<Deleted> {
  return (await pull(client, since)).deleted;
}

/** Markers from `since` as a clinic's kiosk pulls them (no appointment rows, yet every marker). */
async function kioskDeleted(client: SupabaseClient, since: string): Promise<Deleted> {
  const transport = new SupabaseTransport(client);
  const seen: Deleted = [];
  for (let cursor = since, more = true; more; ) {
    const page = await transport.pull(cursor, { kiosk: true });
    seen.push(...page.deleted);
    cursor = page.cursor;
    more = page.hasMore;
  }
  return seen;
}

const cursorOf = async (client: SupabaseClient): Promise<string> => (await pull(client)).cursor;

async function clinicsBAndC() {
  const b = await createClinic(1);
  const c = await createClinic(1);
  const staffB = await newStaff(b.clinicId, 'audience-b');
  const staffC = await newStaff(c.clinicId, 'audience-c');
  return { b, staffB, staffC };
}

const marker = (entity: 'patients' | 'appointments', id: unknown) => ({ entity, id });

/** A phone patient with a booking at clinic B's doctor, and what each account's device holds. */
async function bookedAtB(label: string) {
  const { b, staffB, staffC } = await clinicsBAndC();
  const phone = await phonePatient(label);
  const booking = appointmentRow(phone.patientId, b.slots[0]!);
  const book = upsertAppointment(phone.clientId, booking);
  answer(await push(phone.user.client, phone.clientId, [book]), book.id, 'applied');
  const startB = await pull(staffB.client);
  // The doctor's clinic holds the booking: this is the copy its marker must reach.
  expect(startB.changes.appointments.map((r) => r.id)).toContain(booking.id);
  return {
    b,
    phone,
    booking,
    staffB,
    staffC,
    startB: startB.cursor,
    startC: await cursorOf(staffC.client),
    startPhone: await cursorOf(phone.user.client),
  };
}

describe('deletion markers reach every account that saw the row', () => {
  it('a patient deletes a booking with clinic B’s doctor: B’s staff and the patient get the marker, clinic C does not', async () => {
    const w = await bookedAtB('audience-booking');
    const drop = mutation(w.phone.clientId, {
      entity: 'appointments',
      op: 'delete',
      key: String(w.booking.id),
    });
    answer(await push(w.phone.user.client, w.phone.clientId, [drop]), drop.id, 'applied');

    const gone = marker('appointments', w.booking.id);
    expect(await deletedUntil(w.staffB.client, w.startB, w.booking.id)).toEqual([gone]);
    expect(await kioskDeleted(w.staffB.client, w.startB)).toEqual([gone]);
    expect(await deletedUntil(w.phone.user.client, w.startPhone, w.booking.id)).toEqual([gone]);
    expect(await deletedOnce(w.staffC.client, w.startC)).toEqual([]);
  });

  it('a patient deletes their profile: B gets the booking’s marker, not the profile’s it never saw', async () => {
    const w = await bookedAtB('audience-profile');
    const drop = mutation(w.phone.clientId, { entity: 'patients', op: 'delete', key: w.phone.patientId });
    answer(await push(w.phone.user.client, w.phone.clientId, [drop]), drop.id, 'applied');

    expect(await deletedUntil(w.staffB.client, w.startB, w.booking.id)).toEqual([
      marker('appointments', w.booking.id),
    ]);
    expect(await deletedUntil(w.phone.user.client, w.startPhone, w.booking.id)).toEqual(
      expect.arrayContaining([marker('patients', w.phone.patientId), marker('appointments', w.booking.id)]),
    );
    expect(await deletedOnce(w.staffC.client, w.startC)).toEqual([]);
  });

  it('clinic A’s staff delete their walk-in’s booking with B’s doctor: A and B get the marker, C does not', async () => {
    const { b, staffB, staffC } = await clinicsBAndC();
    const a = await createClinic(1);
    const staffA = await newStaff(a.clinicId, 'audience-a');
    const clientA = randomUUID();
    const walkIn = patientRow();
    const booking = appointmentRow(String(walkIn.id), b.slots[0]!);
    const results = await push(staffA.client, clientA, [
      upsertPatient(clientA, walkIn),
      upsertAppointment(clientA, booking),
    ]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const startB = await pull(staffB.client);
    expect(startB.changes.appointments.map((r) => r.id)).toContain(booking.id);
    const [startA, startC] = [await cursorOf(staffA.client), await cursorOf(staffC.client)];

    const drop = mutation(clientA, { entity: 'appointments', op: 'delete', key: String(booking.id) });
    answer(await push(staffA.client, clientA, [drop]), drop.id, 'applied');

    const gone = marker('appointments', booking.id);
    expect(await deletedUntil(staffB.client, startB.cursor, booking.id)).toEqual([gone]);
    expect(await deletedUntil(staffA.client, startA, booking.id)).toEqual([gone]);
    expect(await deletedOnce(staffC.client, startC)).toEqual([]);
  });

  it('gives the doctor’s clinic no new right: its delete of the deleted booking is refused and stamps nothing', async () => {
    const w = await bookedAtB('audience-rights');
    const drop = {
      ...mutation(w.phone.clientId, { entity: 'appointments', op: 'delete', key: String(w.booking.id) }),
      seq: 7,
    };
    answer(await push(w.phone.user.client, w.phone.clientId, [drop]), drop.id, 'applied');
    await deletedUntil(w.staffB.client, w.startB, w.booking.id);

    const clientB = randomUUID();
    const again = {
      ...mutation(clientB, { entity: 'appointments', op: 'delete', key: String(w.booking.id) }),
      seq: 99,
    };
    expect(answer(await push(w.staffB.client, clientB, [again]), again.id, 'rejected').code).toBe(
      'forbidden',
    );
    expect(
      await sql(
        `select owner_user_id, last_client_id, last_client_seq::int as seq from public.sync_tombstones
         where entity = 'appointments' and id = $1`,
        [w.booking.id],
      ),
    ).toEqual([{ owner_user_id: w.phone.user.userId, last_client_id: w.phone.clientId, seq: 7 }]);
  });
});

describe('a booking that leaves a clinic’s view is gone for that clinic', () => {
  it('a patient moves a requested booking from B’s doctor to C’s: B gets a marker, C and the patient the row', async () => {
    const w = await bookedAtB('departure');
    const c = await createClinic(1);
    const staffC = await newStaff(c.clinicId, 'departure-c');
    const startC = await cursorOf(staffC.client);
    const moved = upsertAppointment(
      w.phone.clientId,
      appointmentRow(w.phone.patientId, c.slots[0]!, { id: w.booking.id }),
    );
    answer(await push(w.phone.user.client, w.phone.clientId, [moved]), moved.id, 'applied');

    expect(await deletedUntil(w.staffB.client, w.startB, w.booking.id)).toEqual([
      marker('appointments', w.booking.id),
    ]);
    const forC = await pull(staffC.client, startC);
    expect([forC.deleted, forC.changes.appointments.map((r) => r.id)]).toEqual([[], [w.booking.id]]);
    const forPhone = await pull(w.phone.user.client, w.startPhone);
    expect(forPhone.deleted).toEqual([]);
    expect(forPhone.changes.appointments).toEqual([
      expect.objectContaining({ id: w.booking.id, doctor_id: c.doctorId }),
    ]);
  });

  it('a booking that comes back to B reaches B as a row, after its marker', async () => {
    const w = await bookedAtB('departure-back');
    const c = await createClinic(1);
    const away = upsertAppointment(
      w.phone.clientId,
      appointmentRow(w.phone.patientId, c.slots[0]!, { id: w.booking.id }),
    );
    answer(await push(w.phone.user.client, w.phone.clientId, [away]), away.id, 'applied');
    await deletedUntil(w.staffB.client, w.startB, w.booking.id);
    const afterMarker = await cursorOf(w.staffB.client);
    const back = upsertAppointment(w.phone.clientId, { ...w.booking, status: 'requested' });
    answer(await push(w.phone.user.client, w.phone.clientId, [back]), back.id, 'applied');

    const forB = await pull(w.staffB.client, afterMarker);
    expect([forB.deleted, forB.changes.appointments.map((r) => r.id)]).toEqual([[], [w.booking.id]]);
    // B's marker is void; C, which the booking has now left, has one.
    expect(await sql('select clinic_id from public.sync_departures where id = $1', [w.booking.id])).toEqual([
      { clinic_id: c.clinicId },
    ]);
  });

  it('a booking moved twice in one push leaves a marker for B only: C never saw it', async () => {
    const w = await bookedAtB('departure-twice');
    const [c, d] = [await createClinic(1), await createClinic(1)];
    const moves = [c, d].map((to) =>
      upsertAppointment(
        w.phone.clientId,
        appointmentRow(w.phone.patientId, to.slots[0]!, { id: w.booking.id }),
      ),
    );
    const results = await push(w.phone.user.client, w.phone.clientId, moves);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(await sql('select clinic_id from public.sync_departures where id = $1', [w.booking.id])).toEqual([
      { clinic_id: w.b.clinicId },
    ]);
  });

  it('a doctor moved to clinic C by the back office: B gets a marker for the booking, C the row', async () => {
    const w = await bookedAtB('doctor-move');
    const c = await createClinic(1);
    const staffC = await newStaff(c.clinicId, 'doctor-move-c');
    const startC = await cursorOf(staffC.client);
    await sql('update public.doctors set clinic_id = $1 where id = $2', [c.clinicId, w.b.doctorId]);

    expect(await deletedUntil(w.staffB.client, w.startB, w.booking.id)).toEqual([
      marker('appointments', w.booking.id),
    ]);
    const forC = await pull(staffC.client, startC);
    expect([forC.deleted, forC.changes.appointments.map((r) => r.id)]).toEqual([[], [w.booking.id]]);
  });

  it('clinic B’s own walk-in moved to C’s doctor stays with B, which still sees it through the patient', async () => {
    const { b, staffB } = await clinicsBAndC();
    const c = await createClinic(1);
    const clientB = randomUUID();
    const walkIn = patientRow();
    const booking = appointmentRow(String(walkIn.id), b.slots[0]!);
    await push(staffB.client, clientB, [upsertPatient(clientB, walkIn), upsertAppointment(clientB, booking)]);
    const start = await cursorOf(staffB.client);
    const moved = upsertAppointment(
      clientB,
      appointmentRow(String(walkIn.id), c.slots[0]!, { id: booking.id }),
    );
    answer(await push(staffB.client, clientB, [moved]), moved.id, 'applied');

    const forB = await pull(staffB.client, start);
    expect([forB.deleted, forB.changes.appointments.map((r) => r.id)]).toEqual([[], [booking.id]]);
  });
});
