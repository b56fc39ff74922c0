/**
 * The in-process model (sync/testing/in-process-server.ts), which the engine's unit and property
 * tests run against, answers status changes as Postgres does: seeded random sequences of status
 * writes to one appointment by two kiosks of its clinic and the patient's phone, sent to both, get
 * the same answers (status, code, and for a refused transition the same message) and leave the same
 * status. FC_SEED replays a sequence; FC_RUNS makes more.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { APPOINTMENT_STATUSES } from '../../sync/entities.ts';
import type { Mutation, PushResult } from '../../sync/protocol.ts';
import { InProcessServer } from '../../sync/testing/in-process-server.ts';
import { propertyRuns, propertySeed, seededRandom } from '../../sync/testing/seeded-random.ts';
import { type Device, device, phonePatient, statusOf } from './appointment-fixtures.ts';
import {
  appointmentRow,
  createClinic,
  newStaff,
  patientRow,
  push,
  type Row,
  type TestClinic,
} from './sync-fixtures.ts';

const RUNS = propertyRuns(6);
const WRITES = 6;

let clinic: TestClinic;
let devices: { name: string; stack: Device; staff: boolean }[];
let patientId: string;
let model: InProcessServer;

beforeAll(async () => {
  clinic = await createClinic(RUNS);
  const phone = await phonePatient('model-phone');
  patientId = phone.patientId;
  devices = [
    { name: 'kiosk 1', stack: device(await newStaff(clinic.clinicId, 'model-k1')), staff: true },
    { name: 'kiosk 2', stack: device(await newStaff(clinic.clinicId, 'model-k2')), staff: true },
    { name: 'phone', stack: phone, staff: false },
  ];
  model = new InProcessServer({
    clinics: [{ id: clinic.clinicId, name: 'Test clinic' }],
    doctors: [{ id: clinic.doctorId, clinic_id: clinic.clinicId, name: 'Dr. Test' }],
    slots: clinic.slots,
  });
  // The same patient in the model (the profile's details do not matter here).
  const [seeded] = modelPush(devices[2]!, { entity: 'patients', data: patientRow({ id: patientId }) });
  expect(seeded?.status).toBe('applied');
});

function identity(d: (typeof devices)[number]) {
  return { userId: d.stack.user.userId, staffClinicId: d.staff ? clinic.clinicId : null };
}

function wire(d: (typeof devices)[number], input: { entity: Mutation['entity']; data: Row }): Mutation {
  return {
    id: randomUUID(),
    clientId: d.stack.clientId,
    entity: input.entity,
    op: 'upsert',
    key: String(input.data.id),
    data: input.data,
    deps: [],
    actor: null,
    createdAt: new Date().toISOString(),
  };
}

function modelPush(
  d: (typeof devices)[number],
  input: { entity: Mutation['entity']; data: Row },
): PushResult[] {
  const m = wire(d, input);
  return model.push(identity(d), m.clientId, [m]);
}

/** What must agree: the outcome, the code, the refusal's words for a transition, the row's status. */
function gist(r: PushResult | undefined): unknown[] {
  if (r?.status === 'applied') return ['applied', r.row?.status];
  if (r?.status === 'rejected') return ['rejected', r.code, r.code === 'transition' ? r.message : ''];
  return [r?.status];
}

it(`the model and Postgres agree on ${RUNS} random sequences of ${WRITES} status writes from three devices`, async () => {
  const random = seededRandom(propertySeed());
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const seen = new Set<string>();
  for (let run = 0; run < RUNS; run++) {
    const slot = clinic.slots[run];
    if (!slot) throw new Error('out of slots');
    const booking = appointmentRow(patientId, slot);
    const phone = devices[2]!;
    const [booked] = await push(phone.stack.user.client, phone.stack.clientId, [
      wire(phone, { entity: 'appointments', data: booking }),
    ]);
    expect([gist(booked), gist(modelPush(phone, { entity: 'appointments', data: booking })[0])]).toEqual([
      ['applied', 'requested'],
      ['applied', 'requested'],
    ]);
    const trail: string[] = [];
    for (let w = 0; w < WRITES; w++) {
      const d = pick(devices);
      const data = { ...booking, status: pick(APPOINTMENT_STATUSES) };
      trail.push(`${d.name} → ${data.status}`);
      const [real] = await push(d.stack.user.client, d.stack.clientId, [
        wire(d, { entity: 'appointments', data }),
      ]);
      const [modelled] = modelPush(d, { entity: 'appointments', data });
      expect(gist(modelled), trail.join(', ')).toEqual(gist(real));
      if (real?.status === 'applied' && d.staff) seen.add(`a kiosk's ${data.status} applied`);
      if (real?.status === 'rejected') seen.add(`rejected ${real.code}`);
    }
    const modelRow = model.tables.appointments.get(String(booking.id))?.row;
    expect(modelRow?.status, trail.join(', ')).toBe(await statusOf(booking.id));
  }
  // Not vacuous: the sequences moved appointments along the machine and hit refused transitions.
  expect([...seen]).toEqual(expect.arrayContaining(["a kiosk's confirmed applied", 'rejected transition']));
});
