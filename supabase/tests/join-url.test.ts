/**
 * appointments.join_url: the server gives a confirmed video appointment a room address under the
 * configured base (private.settings video_room_base), clears it otherwise, and never takes one
 * from a device.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { appointmentFields } from '../../sync/entities.ts';
import { newUser, serviceClient, sql, type TestUser } from './stack-clients.ts';
import {
  answer,
  appointmentRow,
  createClinic,
  patientRow,
  pull,
  push,
  type Row,
  type TestClinic,
  type TestSlot,
  upsertAppointment,
  upsertPatient,
} from './sync-fixtures.ts';

const DEFAULT_BASE = 'https://meet.consult.example/room/';
const roomUrl = (base: string) => new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[0-9a-f]{32}$`);

let clinic: TestClinic;

beforeAll(async () => {
  clinic = await createClinic(12);
});

function takeSlot(mode: 'video' | 'in_person'): TestSlot {
  const index = clinic.slots.findIndex((s) => s.mode === mode);
  if (index < 0) throw new Error('test clinic ran out of slots');
  return clinic.slots.splice(index, 1)[0]!;
}

/** A patient with one requested appointment in a slot of `mode`, pushed from their device. */
async function booked(
  mode: 'video' | 'in_person',
): Promise<{ user: TestUser; clientId: string; appointment: Row }> {
  const user = await newUser('join-url');
  const clientId = randomUUID();
  const patient = patientRow();
  // The device tries to pick its own room: ignored.
  const appointment = appointmentRow(String(patient.id), takeSlot(mode), {
    join_url: 'https://evil.example/x',
  });
  const results = await push(user.client, clientId, [
    upsertPatient(clientId, patient),
    upsertAppointment(clientId, appointment),
  ]);
  expect(answer(results, results[1]!.id, 'applied').row).toMatchObject({ join_url: null });
  return { user, clientId, appointment };
}

async function confirmAsBackOffice(id: unknown): Promise<void> {
  const { error } = await serviceClient().from('appointments').update({ status: 'confirmed' }).eq('id', id);
  expect(error).toBeNull();
}

async function pulledAppointment(user: TestUser, id: unknown): Promise<Row | undefined> {
  return (await pull(user.client)).changes.appointments.find((r) => r.id === id);
}

describe('appointments.join_url', () => {
  it('is given to a video appointment the clinic confirms, and the patient pulls it', async () => {
    const { user, appointment } = await booked('video');
    expect(await pulledAppointment(user, appointment.id)).toMatchObject({ join_url: null });

    await confirmAsBackOffice(appointment.id);

    const row = await pulledAppointment(user, appointment.id);
    expect(row).toMatchObject({ status: 'confirmed' });
    expect(String(row?.join_url)).toMatch(roomUrl(DEFAULT_BASE));
    // The wire schema accepts the row as pulled.
    expect(appointmentFields.safeParse(row).success).toBe(true);
  });

  it('gives each appointment its own room, under the configured base', async () => {
    const base = 'https://video.example.org/r/';
    await sql(`update private.settings set value = $1 where key = 'video_room_base'`, [base]);
    try {
      const a = await booked('video');
      const b = await booked('video');
      await confirmAsBackOffice(a.appointment.id);
      await confirmAsBackOffice(b.appointment.id);
      const urls = await sql<{ join_url: string }>(
        'select join_url from public.appointments where id = any($1::uuid[])',
        [[a.appointment.id, b.appointment.id]],
      );
      for (const { join_url } of urls) expect(join_url).toMatch(roomUrl(base));
      expect(new Set(urls.map((u) => u.join_url)).size).toBe(2);
    } finally {
      await sql(`update private.settings set value = $1 where key = 'video_room_base'`, [DEFAULT_BASE]);
    }
  });

  it('is never set for an in-clinic appointment, nor by a device', async () => {
    const { user, appointment } = await booked('in_person');
    await confirmAsBackOffice(appointment.id);
    expect(await pulledAppointment(user, appointment.id)).toMatchObject({
      status: 'confirmed',
      join_url: null,
    });

    const video = await booked('video');
    const { error } = await video.user.client
      .from('appointments')
      .update({ join_url: 'https://evil.example/y' })
      .eq('id', video.appointment.id);
    expect(error).toBeNull();
    const [row] = await sql<{ join_url: string | null }>(
      'select join_url from public.appointments where id = $1',
      [video.appointment.id],
    );
    expect(row?.join_url).toBeNull();
  });

  it('keeps the room through later edits, and clears it when the appointment is cancelled', async () => {
    const { user, clientId, appointment } = await booked('video');
    await confirmAsBackOffice(appointment.id);
    const confirmed = await pulledAppointment(user, appointment.id);
    const url = String(confirmed?.join_url);
    expect(url).toMatch(roomUrl(DEFAULT_BASE));

    // The back office edits the confirmed appointment: the link already sent stays valid.
    const { error } = await serviceClient()
      .from('appointments')
      .update({ reason: 'Fever, now with a rash' })
      .eq('id', appointment.id);
    expect(error).toBeNull();
    const edited = await pulledAppointment(user, appointment.id);
    expect(edited).toMatchObject({ reason: 'Fever, now with a rash', join_url: url });

    const cancel = upsertAppointment(clientId, {
      ...edited,
      status: 'cancelled',
      join_url: 'https://evil.example/z',
    });
    const [result] = await push(user.client, clientId, [cancel]);
    expect(answer([result!], cancel.id, 'applied').row).toMatchObject({
      status: 'cancelled',
      join_url: null,
    });
  });
});
