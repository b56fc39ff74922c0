/**
 * The push rounds ready the next batch while one is in flight (issue 10: the local work overlaps
 * the network wait). The server still sees one batch after another in dependency order; a readied
 * batch is sent only once the answers before it all applied, and put back otherwise.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { drain } from './drain.ts';
import type { LocalMutation } from './local-mutation.ts';
import { silentLogger } from './ports.ts';
import type { Mutation, PullResponse, PushResult } from './protocol.ts';
import { appointmentRow, CLINIC_ID, patientRow, REFERENCE_DATA } from './testing/fixtures.ts';
import { InProcessServer } from './testing/in-process-server.ts';
import { flush } from './testing/manual-clock.ts';
import { MemoryStore } from './testing/memory-store.ts';
import { seededIds } from './testing/seeded-random.ts';
import type { PullOptions, SyncTransport } from './transports/transport.ts';

const STAFF = { userId: '5a5a5a5a-0000-4000-8000-000000000001', staffClinicId: CLINIC_ID };

let store: MemoryStore;
let server: InProcessServer;
let ids: () => string;
beforeEach(() => {
  store = new MemoryStore({ newId: seededIds(3) });
  server = new InProcessServer(REFERENCE_DATA);
  ids = seededIds(4);
});

const newPatient = (): Promise<LocalMutation> =>
  store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids()) });

/** Pushes wait until `release()`; what the outbox looked like while each was on its way is kept. */
function heldTransport() {
  const inner = server.transport(STAFF);
  const waiting: (() => void)[] = [];
  const sendingDuring: string[][] = [];
  const transport: SyncTransport = {
    push: async (clientId: string, mutations: readonly Mutation[]): Promise<PushResult[]> => {
      await new Promise<void>((resolve) => waiting.push(resolve));
      // Still in flight: what the local work did meanwhile.
      sendingDuring.push((await store.listOutbox()).filter((m) => m.state === 'sending').map((m) => m.id));
      return inner.push(clientId, mutations);
    },
    pull: (cursor: string | null, options?: PullOptions): Promise<PullResponse> =>
      inner.pull(cursor, options),
  };
  const release = async () => {
    while (waiting.length === 0) await flush();
    waiting.shift()?.();
  };
  return { transport, release, sendingDuring };
}

describe('push rounds ready the next batch while one is in flight', () => {
  it('marks the next batch sending during the flight and sends it once every answer applied', async () => {
    const written = [];
    for (let i = 0; i < 6; i++) written.push(await newPatient());
    const { transport, release, sendingDuring } = heldTransport();
    const limits = { maxMutations: 2, maxBytes: 1_000_000 };
    const draining = drain({ store, transport, log: silentLogger, limits });
    for (let i = 0; i < 3; i++) await release();
    const outcome = await draining;

    expect(outcome).toMatchObject({ status: 'synced', pushed: 6 });
    expect(server.pushCalls.map((c) => c.ids)).toEqual([
      [written[0]?.id, written[1]?.id],
      [written[2]?.id, written[3]?.id],
      [written[4]?.id, written[5]?.id],
    ]);
    // While the first batch was on its way the second was readied too; the last had none after it.
    expect(sendingDuring[0]).toEqual(written.slice(0, 4).map((m) => m.id));
    expect(sendingDuring[2]).toEqual(written.slice(4).map((m) => m.id));
    expect(await store.listOutbox()).toEqual([]);
  });

  it('puts the readied batch back when an answer is a rejection, and holds what depends on it', async () => {
    // The slot is already taken on the server.
    const first = await newPatient();
    await store.write({ entity: 'appointments', op: 'upsert', row: appointmentRow(ids(), first.key) });
    await drain({ store, transport: server.transport(STAFF), log: silentLogger });
    server.pushCalls.length = 0;
    const patient = await newPatient();
    const key = ids();
    const booking = await store.write({
      entity: 'appointments',
      op: 'upsert',
      row: appointmentRow(key, patient.key),
    });
    const other = await newPatient();
    const edit = await store.write({
      entity: 'appointments',
      op: 'upsert',
      row: appointmentRow(key, patient.key, { reason: 'fever' }),
    });
    const last = await newPatient();
    const { transport, release, sendingDuring } = heldTransport();
    const limits = { maxMutations: 2, maxBytes: 1_000_000 };
    const draining = drain({ store, transport, log: silentLogger, limits, outboxWindow: 1 });
    await release();
    await release();
    const outcome = await draining;

    expect(outcome).toMatchObject({ status: 'synced' });
    // Readied as if the first batch applied: the edit of the booking went with it.
    expect(sendingDuring[0]).toEqual([patient.id, booking.id, other.id, edit.id]);
    // Put back and planned again over the rejection: the edit waits behind it, the rest goes.
    expect(server.pushCalls.map((c) => c.ids)).toEqual([
      [patient.id, booking.id],
      [other.id, last.id],
    ]);
    const left = await store.listOutbox();
    expect(left.map((m) => [m.id, m.state, m.error?.code ?? m.blockedBy])).toEqual([
      [booking.id, 'rejected', 'slot_taken'],
      [edit.id, 'blocked', booking.id],
    ]);
  });

  it('a row created in the batch in flight is not dropped with a delete planned after it', async () => {
    // One entry per window, two per batch: the booking goes out alone, its edit and delete after it.
    const patient = await newPatient();
    const key = ids();
    await store.write({ entity: 'appointments', op: 'upsert', row: appointmentRow(key, patient.key) });
    await store.write({
      entity: 'appointments',
      op: 'upsert',
      row: appointmentRow(key, patient.key, { reason: 'fever' }),
    });
    await store.write({ entity: 'appointments', op: 'delete', key });
    const limits = { maxMutations: 2, maxBytes: 1_000_000 };
    const transport = server.transport(STAFF);
    const outcome = await drain({ store, transport, log: silentLogger, limits, outboxWindow: 1 });

    expect(outcome).toMatchObject({ status: 'synced' });
    expect(server.pushCalls).toHaveLength(2);
    expect(server.rows('appointments')).toEqual([]);
    expect(await store.listOutbox()).toEqual([]);
  });
});
