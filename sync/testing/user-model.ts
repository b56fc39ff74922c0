/**
 * A simulated user for whole-run tests: random commands (create, edit, delete, cancel, fix and
 * retry, discard), applied through the store/engine, and an independent record of what the user's
 * writes say each row should be — the expectation the server is checked against.
 */
import fc from 'fast-check';
import type { LocalMutation, Row } from '../local-mutation.ts';
import type { EntityName } from '../protocol.ts';
import { isSlotConflict } from '../protocol.ts';
import type { SyncStore } from '../stores/sync-store.ts';
import { appointmentRow, patientRow, type SlotRow } from './fixtures.ts';

export type UserCmd =
  | { t: 'createPatient' }
  | { t: 'editPatient'; i: number }
  | { t: 'deletePatient'; i: number }
  | { t: 'book'; i: number; slot: number }
  | { t: 'editReason'; i: number }
  | { t: 'cancel'; i: number }
  | { t: 'deleteAppointment'; i: number }
  | { t: 'fixAndRetry'; i: number; slot: number }
  | { t: 'discard'; i: number };

/**
 * The two commands the simulated user gives the engine, declared here so that the testing helpers
 * never import the engine they test (the test passes the engine in).
 */
export interface OutboxCommands {
  retry(id: string): Promise<unknown>;
  discard(id: string): Promise<readonly LocalMutation[]>;
}

const i = fc.nat(50);
const slot = fc.nat(20);
export const userCmd: fc.Arbitrary<UserCmd> = fc.oneof(
  { arbitrary: fc.constant({ t: 'createPatient' as const }), weight: 3 },
  { arbitrary: i.map((n) => ({ t: 'editPatient' as const, i: n })), weight: 2 },
  { arbitrary: i.map((n) => ({ t: 'deletePatient' as const, i: n })), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('book' as const), i, slot }), weight: 3 },
  { arbitrary: i.map((n) => ({ t: 'editReason' as const, i: n })), weight: 2 },
  { arbitrary: i.map((n) => ({ t: 'cancel' as const, i: n })), weight: 1 },
  { arbitrary: i.map((n) => ({ t: 'deleteAppointment' as const, i: n })), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('fixAndRetry' as const), i, slot }), weight: 1 },
  { arbitrary: i.map((n) => ({ t: 'discard' as const, i: n })), weight: 1 },
);

/** The fields a user decides; the server adds or normalises the rest. */
const USER_FIELDS: Record<EntityName, readonly string[]> = {
  patients: [
    'id',
    'full_name',
    'date_of_birth',
    'sex',
    'phone',
    'address',
    'preferred_language',
    'emergency_contact_name',
    'emergency_contact_phone',
  ],
  appointments: ['id', 'patient_id', 'doctor_id', 'slot_id', 'mode', 'reason', 'status'],
};

export function userFields(entity: EntityName, row: Row | null | undefined): Row | null {
  if (!row) return null;
  return Object.fromEntries(USER_FIELDS[entity].map((f) => [f, row[f] ?? null]));
}

const pick = <T>(list: readonly T[], n: number): T | undefined =>
  list.length === 0 ? undefined : list[n % list.length];

export class UserModel {
  /** entity:key → the row as the user's writes describe it (null: deleted). */
  readonly intended = new Map<string, Row | null>();
  private counter = 0;

  constructor(
    private readonly newId: () => string,
    private readonly slots: readonly SlotRow[],
  ) {}

  private async write(store: SyncStore, entity: EntityName, row: Row | null, key: string): Promise<void> {
    if (row) await store.write({ entity, op: 'upsert', row });
    else await store.write({ entity, op: 'delete', key });
    this.intended.set(
      `${entity}:${key}`,
      row ? (userFields(entity, await store.getRow(entity, key)) ?? null) : null,
    );
  }

  async apply(cmd: UserCmd, store: SyncStore, engine: OutboxCommands): Promise<void> {
    const patients = await store.listRows('patients');
    const appointments = await store.listRows('appointments');
    const requested = appointments.filter((a) => a.status === 'requested');
    const n = ++this.counter;
    switch (cmd.t) {
      case 'createPatient': {
        const id = this.newId();
        return this.write(store, 'patients', patientRow(id, { full_name: `Patient ${n}` }), id);
      }
      case 'editPatient': {
        const p = pick(patients, cmd.i);
        return p
          ? this.write(store, 'patients', { ...p, full_name: `Renamed ${n}` }, String(p.id))
          : undefined;
      }
      case 'deletePatient': {
        const p = pick(patients, cmd.i);
        if (!p) return;
        // As the app does: the patient's appointments go first (the FK, and the user's intent).
        for (const a of appointments.filter((x) => x.patient_id === p.id))
          await this.write(store, 'appointments', null, String(a.id));
        return this.write(store, 'patients', null, String(p.id));
      }
      case 'book': {
        const p = pick(patients, cmd.i);
        const id = this.newId();
        const s = pick(this.slots, cmd.slot) as SlotRow;
        return p
          ? this.write(
              store,
              'appointments',
              appointmentRow(id, String(p.id), { reason: `visit ${n}` }, s),
              id,
            )
          : undefined;
      }
      case 'editReason': {
        const a = pick(requested, cmd.i);
        return a
          ? this.write(store, 'appointments', { ...a, reason: `changed ${n}` }, String(a.id))
          : undefined;
      }
      case 'cancel': {
        const a = pick(requested, cmd.i);
        return a ? this.write(store, 'appointments', { ...a, status: 'cancelled' }, String(a.id)) : undefined;
      }
      case 'deleteAppointment': {
        const a = pick(appointments, cmd.i);
        return a ? this.write(store, 'appointments', null, String(a.id)) : undefined;
      }
      case 'fixAndRetry': {
        const m = pick(await this.rejected(store), cmd.i);
        if (!m) return;
        const row = await store.getRow(m.entity, m.key);
        // A new time only for a booking still wanted: re-requesting one cancelled meanwhile is a
        // transition the server refuses, not a fix.
        if (m.entity === 'appointments' && row?.status === 'requested' && isSlotConflict(m.error?.code)) {
          const s = pick(this.slots, cmd.slot) as SlotRow;
          await this.write(
            store,
            'appointments',
            appointmentRow(m.key, String(row.patient_id), { reason: String(row.reason) }, s),
            m.key,
          );
        }
        await engine.retry(m.id);
        return;
      }
      case 'discard': {
        const m = pick(await this.rejected(store), cmd.i);
        if (!m) return;
        const removed = await engine.discard(m.id);
        this.revert(removed);
        return;
      }
    }
  }

  private async rejected(store: SyncStore): Promise<LocalMutation[]> {
    return (await store.listOutbox()).filter((m) => m.state === 'rejected');
  }

  /** Discard restores each row as it was before the earliest removed write of it. */
  private revert(removed: readonly LocalMutation[]): void {
    const earliest = new Map<string, LocalMutation>();
    for (const m of removed) {
      const k = `${m.entity}:${m.key}`;
      const seen = earliest.get(k);
      if (!seen || m.seq < seen.seq) earliest.set(k, m);
    }
    for (const [k, m] of earliest) this.intended.set(k, userFields(m.entity, m.before));
  }
}
