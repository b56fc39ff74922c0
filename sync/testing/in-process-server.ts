/**
 * An in-memory model of the server's sync semantics (`sync_push`, with or without the pull page in
 * its answer, and `sync_pull` in supabase/migrations/), for fast engine tests: ledger claims (exactly once, `duplicate` with the first
 * answer, rejections leave no trace), parents-first order, one savepoint per mutation, the
 * appointment rules (missing_parent, slot_taken, own_booking, forbidden, conflict), requests by specialty booked
 * from the reference slots (no_slot), the server-owned join_url, tombstones and a cursor.
 * `transport(identity, faults)` gives each device its own transport with fault injection.
 */
import type { z } from 'zod/mini';
import {
  type Appointment,
  appointmentSchema,
  appointmentTransitionAllowed,
  patientFields,
  SLOT_HOLDING_STATUSES,
} from '../entities.ts';
import { ERROR_KINDS, SyncTransportError } from '../errors.ts';
import { applyBase, STATE_MACHINE_FIELDS } from '../field-changes.ts';
import type { Row } from '../local-mutation.ts';
import {
  type EntityName,
  type FieldConflict,
  type Mutation,
  mutation as mutationSchema,
  PULL_LIMITS,
  PUSH_LIMITS,
  type PullResponse,
  type PullWire,
  type PushAndPullResponse,
  type PushResult,
  pullResponse,
  pushAndPullResponse,
  pushResponse,
  type RejectCode,
} from '../protocol.ts';
import { toSlotRuns } from '../slot-runs.ts';
import type { PullOptions, PullRequest, SyncTransport } from '../transports/transport.ts';
import { pushOrder } from './push-order.ts';
import { postgrestRefusal, type WholeCallRefusal } from './whole-call-refusals.ts';

export interface Identity {
  userId: string;
  /** Kiosk staff register walk-ins for their clinic. */
  staffClinicId?: string | null;
}

export type Fault =
  | { type: 'offline' }
  | { type: 'timeout'; afterCommit: boolean }
  | { type: 'server-error'; status: number; retryAfterMs?: number }
  | { type: 'rate-limited'; retryAfterMs?: number }
  | { type: 'unauthorized' }
  /** The server commits, then the response never arrives (connection dropped). */
  | { type: 'lost-after-commit' }
  /** The call never settles: the tab was closed mid-drain. */
  | { type: 'hang'; afterCommit: boolean }
  /**
   * The client gives up (timeout), but the request still reaches the server: after the next push
   * call that does get through (a retry, or a newer write), as a slow connection delivers it.
   */
  | { type: 'late' };

export type FaultPlan = (call: { kind: 'push' | 'pull'; n: number }) => Fault | null;

interface Stored {
  row: Row;
  owner: string | null;
  clinicId: string | null;
  changeSeq: number;
  /** The last device write applied (client id and seq), as the server keeps it in private.row_stamps. */
  lastWrite: ClientWrite | null;
}

interface ClientWrite {
  clientId: string;
  seq: number;
}

/** Trigger guard_client_write: a later write of this device got to the row first. */
class Superseded extends Error {}

class Reject extends Error {
  constructor(
    readonly code: RejectCode,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

const ACTIVE = new Set<string>(SLOT_HOLDING_STATUSES);

export class InProcessServer {
  readonly tables: Record<EntityName, Map<string, Stored>> = { patients: new Map(), appointments: new Map() };
  readonly reference: { clinics: Row[]; doctors: Row[]; slots: Row[] };
  /** `${clientId}:${mutationId}` → the applied answer given the first time. */
  readonly ledger = new Map<string, PushResult>();
  /** How often each mutation id was applied: the exactly-once check. */
  readonly applyCount = new Map<string, number>();
  readonly tombstones: { entity: EntityName; id: string; changeSeq: number }[] = [];
  /** Every push call that reached the server (committed or not), for round-trip assertions. */
  readonly pushCalls: { clientId: string; ids: string[] }[] = [];
  /** `${entity}:${id}` → the device delete that removed the row (tombstone stamp, or a marker). */
  readonly deletedBy = new Map<string, ClientWrite>();
  /** What makes the whole call fail before any mutation is answered (swap in another server's). */
  refuseWholeCall: WholeCallRefusal = postgrestRefusal;
  /** Requests the client gave up on that reach the server later (fault `late`), in arrival order. */
  private readonly late: (() => void)[] = [];
  private changeSeq = 0;
  /** Fields of the mutation being applied that another write changed first (field-level writes). */
  private conflicts: FieldConflict[] = [];
  /** The row the mutation being applied writes, and who writes it (sync_push's consult.client_write). */
  private writing: { entity: EntityName; key: string; write: ClientWrite } | null = null;

  constructor(
    reference: { clinics?: readonly Row[]; doctors?: readonly Row[]; slots?: readonly Row[] } = {},
    private readonly now: () => Date = () => new Date(),
  ) {
    this.reference = {
      clinics: [...(reference.clinics ?? [])],
      doctors: [...(reference.doctors ?? [])],
      slots: [...(reference.slots ?? [])],
    };
  }

  transport(identity: Identity, faults: FaultPlan = () => null): InProcessTransport {
    return new InProcessTransport(this, identity, faults);
  }

  /** Holds a request until deliverLate(): the client saw it time out, the server has not seen it yet. */
  deferLate(request: () => void): void {
    this.late.push(request);
  }

  /** The late requests arrive now, oldest first; their answers go nowhere. */
  deliverLate(): void {
    for (const request of this.late.splice(0)) {
      try {
        request();
      } catch {
        // A call-level failure (413, a bad answer) of a request nobody waits for.
      }
    }
  }

  rows(entity: EntityName): Row[] {
    return [...this.tables[entity].values()].map((s) => structuredClone(s.row));
  }

  /** The real sync_push, minus HTTP: validates, orders, applies with a savepoint per mutation. */
  push(identity: Identity, clientId: string, raw: readonly unknown[]): PushResult[] {
    const refused = this.refuseWholeCall({ clientId, mutations: raw });
    if (refused) throw refused;
    if (raw.length > PUSH_LIMITS.maxMutations || JSON.stringify(raw).length > PUSH_LIMITS.maxBytes)
      throw new SyncTransportError(ERROR_KINDS.badRequest, 'batch over PUSH_LIMITS', 413);
    // Like the SQL, a malformed mutation is answered (rejected, under whatever id it had) rather
    // than failing the call; an answer without a uuid then fails the client's response parsing.
    const parsed = raw.map((m) => mutationSchema.safeParse(m));
    const bad = parsed.findIndex((p) => !p.success);
    if (bad >= 0) {
      const id = (raw[bad] as { id?: unknown } | null)?.id;
      return [
        {
          id: String(id),
          status: 'rejected',
          code: 'validation',
          message: 'malformed mutation',
          field: null,
        },
      ];
    }
    const batch = parsed.flatMap((p) => (p.success ? [p.data] : []));
    this.pushCalls.push({ clientId, ids: batch.map((m) => m.id) });
    const results: PushResult[] = new Array(batch.length);
    const failed = new Map<string, string>(); // mutation id → root rejection
    const failedRows = new Map<string, string>(); // entity:key → root rejection
    for (const pos of pushOrder(batch)) {
      const m = batch[pos] as Mutation;
      const blocker =
        m.deps.map((d) => failed.get(d)).find((b) => b !== undefined) ??
        failedRows.get(`${m.entity}:${m.key}`) ??
        (m.entity === 'appointments' ? failedRows.get(`patients:${String(m.data?.patient_id)}`) : undefined);
      let result: PushResult;
      if (blocker) {
        result = {
          id: m.id,
          status: 'blocked',
          blockedBy: blocker,
          message: `waits behind mutation ${blocker}, which was rejected`,
        };
      } else {
        result = this.applyOne(identity, clientId, m);
      }
      results[pos] = result;
      // A replayed refusal still stops what depends on it: its dependents are blocked (and sent again
      // once the user fixes it), not rejected for a parent the server does not have.
      const refused =
        result.status === 'rejected' ||
        result.status === 'blocked' ||
        (result.status === 'duplicate' && result.first.status === 'rejected');
      if (refused) {
        const root = result.status === 'blocked' ? result.blockedBy : m.id;
        failed.set(m.id, root);
        failedRows.set(`${m.entity}:${m.key}`, root);
      }
    }
    return results;
  }

  private applyOne(identity: Identity, clientId: string, m: Mutation): PushResult {
    if (m.clientId !== clientId)
      return {
        id: m.id,
        status: 'rejected',
        code: 'validation',
        message: 'clientId does not match',
        field: 'clientId',
      };
    const claim = `${clientId}:${m.id}`;
    const first = this.ledger.get(claim);
    if (first?.status === 'applied' || first?.status === 'rejected')
      return { id: m.id, status: 'duplicate', first };
    // A savepoint: work on copies, keep them only if the mutation succeeds.
    const snapshot = {
      p: new Map(this.tables.patients),
      a: new Map(this.tables.appointments),
      t: [...this.tombstones],
      d: new Map(this.deletedBy),
      c: this.changeSeq,
    };
    const restore = () => {
      this.tables.patients = snapshot.p;
      this.tables.appointments = snapshot.a;
      this.tombstones.splice(0, this.tombstones.length, ...snapshot.t);
      this.deletedBy.clear();
      for (const [k, v] of snapshot.d) this.deletedBy.set(k, v);
      this.changeSeq = snapshot.c;
    };
    const write = m.seq === undefined ? null : { clientId, seq: m.seq };
    this.writing = write && { entity: m.entity, key: m.key, write };
    this.conflicts = [];
    try {
      let row: Row | null;
      try {
        row = m.entity === 'patients' ? this.applyPatient(identity, m) : this.applyAppointment(identity, m);
        if (m.op === 'delete' && write) this.stampDelete(m.entity, m.key, write);
      } catch (e) {
        if (!(e instanceof Superseded)) throw e;
        // Nothing applied; the answer is the row as the later write left it.
        restore();
        this.conflicts = [];
        row = this.tables[m.entity].get(m.key)?.row ?? null;
      }
      const answer: PushResult = {
        id: m.id,
        status: 'applied' as const,
        row: row && structuredClone(row),
        ...(this.conflicts.length > 0 ? { conflicts: this.conflicts } : {}),
      };
      this.ledger.set(claim, answer);
      this.applyCount.set(m.id, (this.applyCount.get(m.id) ?? 0) + 1);
      return answer;
    } catch (e) {
      if (!(e instanceof Reject)) throw e;
      restore();
      const refusal: PushResult = {
        id: m.id,
        status: 'rejected',
        code: e.code,
        message: e.message,
        field: e.field,
      };
      this.ledger.set(claim, refusal);
      return refusal;
    } finally {
      this.writing = null;
    }
  }

  /** The write of the mutation being applied, if it names this row (else the row keeps its stamp). */
  private writeOf(entity: EntityName, id: string): ClientWrite | null {
    const w = this.writing;
    return w && w.entity === entity && w.key === id ? w.write : null;
  }

  private static later(stamp: ClientWrite | null | undefined, write: ClientWrite): boolean {
    return !!stamp && stamp.clientId === write.clientId && stamp.seq > write.seq;
  }

  /** Trigger guard_client_write on insert or update: the row's stamp, or the delete's if it is gone. */
  private guardWrite(entity: EntityName, id: string, prev: Stored | undefined): ClientWrite | null {
    const write = this.writeOf(entity, id);
    const stamp = prev ? prev.lastWrite : this.deletedBy.get(`${entity}:${id}`);
    if (write && InProcessServer.later(stamp, write)) throw new Superseded();
    return write;
  }

  /** The same device's delete stamp only moves forward; another device's replaces it. */
  private stampDelete(entity: EntityName, id: string, write: ClientWrite): void {
    const k = `${entity}:${id}`;
    const stamp = this.deletedBy.get(k);
    if (!stamp || stamp.clientId !== write.clientId || stamp.seq < write.seq) this.deletedBy.set(k, write);
  }

  private visible(identity: Identity, s: Stored): boolean {
    return s.owner === identity.userId || (!!identity.staffClinicId && s.clinicId === identity.staffClinicId);
  }

  private stamp(
    entity: EntityName,
    id: string,
    row: Row,
    prev: Stored | undefined,
    owner: Omit<Stored, 'row' | 'changeSeq' | 'lastWrite'>,
  ): Row {
    const write = this.guardWrite(entity, id, prev);
    const at = this.now().toISOString();
    const stored: Stored = {
      ...owner,
      lastWrite: write ?? prev?.lastWrite ?? null,
      row: {
        ...row,
        created_at: prev?.row.created_at ?? at,
        updated_at: at,
        version: Number(prev?.row.version ?? 0) + 1,
      },
      changeSeq: ++this.changeSeq,
    };
    this.tables[entity].set(id, stored);
    // A row written again under a deleted id is live: its tombstone would contradict it on pull
    // (trigger clear_tombstone).
    if (!prev) {
      const gone = this.tombstones.findIndex((t) => t.entity === entity && t.id === id);
      if (gone >= 0) this.tombstones.splice(gone, 1);
      this.deletedBy.delete(`${entity}:${id}`);
    }
    return stored.row;
  }

  private remove(identity: Identity, entity: EntityName, id: string): null {
    const s = this.tables[entity].get(id);
    if (!s) return null; // already gone: the device wanted it gone
    if (!this.visible(identity, s))
      throw new Reject('forbidden', `${entity} ${id} belongs to another account or clinic`);
    const write = this.writeOf(entity, id);
    if (write && InProcessServer.later(s.lastWrite, write)) throw new Superseded();
    this.tables[entity].delete(id);
    this.tombstones.push({ entity, id, changeSeq: ++this.changeSeq });
    if (entity === 'patients')
      for (const [aid, a] of this.tables.appointments)
        if (a.row.patient_id === id) this.remove(identity, 'appointments', aid); // on delete cascade
    return null;
  }

  /**
   * The row a field-level edit asks for (sync_push's private.field_level_data): the stored row with
   * each field of `base` applied unless another write changed it first (then a conflict). A create,
   * a whole-row write, or a row the caller may not see: `data` as sent.
   */
  private fieldLevel(identity: Identity, m: Mutation): Row | null {
    const prev = this.tables[m.entity].get(m.key);
    if (m.op !== 'upsert' || !m.data || !m.base || !prev || !this.visible(identity, prev)) return m.data;
    const { row, conflicts } = applyBase(prev.row, m.data, m.base, STATE_MACHINE_FIELDS[m.entity]);
    this.conflicts = conflicts;
    return row;
  }

  private applyPatient(identity: Identity, m: Mutation): Row | null {
    if (m.op === 'delete') return this.remove(identity, 'patients', m.key);
    const parsed = patientFields.safeParse(this.fieldLevel(identity, m));
    if (!parsed.success) throw this.validation(parsed.error.issues);
    const prev = this.tables.patients.get(m.key);
    if (prev && !this.visible(identity, prev))
      throw new Reject('forbidden', `patient ${m.key} belongs to another account or clinic`);
    const staff = identity.staffClinicId ?? null;
    // The row trigger runs before the unique index on user_id is checked.
    this.guardWrite('patients', m.key, prev);
    if (!prev && !staff && [...this.tables.patients.values()].some((p) => p.row.user_id === identity.userId))
      throw new Reject('conflict', 'this account already has a patient profile; update that one instead');
    const owner = prev ?? { owner: identity.userId, clinicId: staff };
    const server = prev
      ? { user_id: prev.row.user_id, registered_by: prev.row.registered_by, clinic_id: prev.row.clinic_id }
      : {
          user_id: staff ? null : identity.userId,
          registered_by: staff ? identity.userId : null,
          clinic_id: staff,
        };
    return this.stamp('patients', m.key, { ...parsed.data, ...server, id: m.key }, prev, {
      owner: owner.owner,
      clinicId: owner.clinicId,
    });
  }

  private applyAppointment(identity: Identity, m: Mutation): Row | null {
    if (m.op === 'delete') return this.remove(identity, 'appointments', m.key);
    const parsed = appointmentSchema.safeParse(this.fieldLevel(identity, m));
    if (!parsed.success) throw this.validation(parsed.error.issues);
    const input: Appointment = {
      ...parsed.data,
      requested_specialty: parsed.data.requested_specialty ?? null,
      preferred_date: parsed.data.preferred_date ?? null,
      preferred_window: parsed.data.preferred_window ?? null,
    };
    let a = input;
    const patient = this.tables.patients.get(a.patient_id);
    if (!patient)
      throw new Reject(
        'missing_parent',
        `patient ${a.patient_id} does not exist on the server`,
        'patient_id',
      );
    const prev = this.tables.appointments.get(m.key);
    const old = prev?.row;
    // Staff of the doctor's clinic (policies appointments_select and appointments_update) see and move
    // the clinic's bookings, even those whose patient is not theirs (booked on the patient's phone).
    const doctor = this.reference.doctors.find((d) => d.id === (old ? old.doctor_id : a.doctor_id));
    const clinic = !!identity.staffClinicId && doctor?.clinic_id === identity.staffClinicId;
    const ownsPatient = this.visible(identity, patient);
    if (!ownsPatient && !(clinic && prev))
      throw new Reject(
        'forbidden',
        `patient ${a.patient_id} belongs to another account or clinic`,
        'patient_id',
      );
    if (prev && !this.visible(identity, prev) && !clinic)
      throw new Reject('forbidden', `appointment ${m.key} belongs to another account or clinic`);
    if (old && old.patient_id !== a.patient_id)
      throw new Reject('validation', 'an appointment cannot move to another patient', 'patient_id');
    const detailsChanged =
      !!old &&
      (old.slot_id !== a.slot_id ||
        old.reason !== a.reason ||
        old.doctor_id !== a.doctor_id ||
        old.mode !== a.mode ||
        (old.requested_specialty ?? null) !== a.requested_specialty ||
        (old.preferred_date ?? null) !== a.preferred_date ||
        (old.preferred_window ?? null) !== a.preferred_window);
    // The state machine (sync/entities.ts), as trigger appointments_10_guard checks it: the clinic is
    // staff of the appointment's doctor's clinic, anyone else who may write it is its patient.
    const from = old ? appointmentSchema.shape.status.parse(old.status) : null;
    if (a.status !== from) {
      if (!appointmentTransitionAllowed(from, a.status, clinic ? 'clinic' : 'patient')) {
        const why = appointmentTransitionAllowed(from, a.status, 'clinic')
          ? `only the clinic can mark an appointment ${a.status}`
          : from === null
            ? 'a new booking is requested'
            : `the appointment is already ${from}`;
        throw new Reject(
          'transition',
          `appointment ${m.key}: ${from ?? 'new'} → ${a.status} is not allowed; ${why}`,
          'status',
        );
      }
      if (
        old &&
        a.status === 'cancelled' &&
        old.starts_at &&
        Date.parse(String(old.starts_at)) <= this.now().getTime()
      )
        throw new Reject(
          'transition',
          `appointment ${m.key}: ${from} → cancelled is not allowed; it started at ${old.starts_at}`,
          'status',
        );
    }
    if (old && clinic && !ownsPatient && detailsChanged)
      throw new Reject(
        'forbidden',
        `appointment ${m.key} was booked by its patient: the clinic changes only its status`,
      );
    if (old && old.status !== 'requested' && detailsChanged)
      throw new Reject(
        'conflict',
        `the appointment is already ${old.status}; only a requested appointment can be changed`,
      );
    a = this.bookRequest(a, old);
    // A request cancelled before it was booked holds nothing and has no slot to check.
    const slot = a.slot_id === null ? undefined : this.reference.slots.find((s) => s.id === a.slot_id);
    if (a.slot_id !== null && !slot)
      throw new Reject('validation', `there is no slot ${a.slot_id}`, 'slot_id');
    if (slot && slot.doctor_id !== a.doctor_id)
      throw new Reject('validation', 'doctor_id does not match the slot', 'doctor_id');
    if (slot && slot.mode !== a.mode) throw new Reject('validation', 'mode does not match the slot', 'mode');
    if (slot && ACTIVE.has(a.status))
      for (const [id, other] of this.tables.appointments)
        if (id !== m.key && other.row.slot_id === a.slot_id && ACTIVE.has(String(other.row.status))) {
          if (other.row.patient_id === a.patient_id)
            throw new Reject(
              'own_booking',
              `you already booked this time: appointment ${id} holds slot ${a.slot_id}`,
              'slot_id',
            );
          throw new Reject('slot_taken', `slot ${a.slot_id} is already booked; pick another slot`, 'slot_id');
        }
    // join_url is the server's (trigger appointments_25_join_url): a device's value is dropped. Here
    // a link only survives on a row that already had one (confirmed or checked in, by video).
    const hasRoom = (status: unknown) => status === 'confirmed' || status === 'checked_in';
    const keepsRoom =
      hasRoom(old?.status) && old?.mode === 'video' && hasRoom(a.status) && a.mode === 'video';
    const joinUrl = keepsRoom && typeof old?.join_url === 'string' ? old.join_url : null;
    return this.stamp('appointments', m.key, { ...a, id: m.key, join_url: joinUrl }, prev, {
      owner: patient.owner,
      clinicId: patient.clinicId,
    });
  }

  /**
   * A request (no slot fields) as sync_push books it: kept on the slot it was given if it was booked
   * already and is unchanged; else, while active, the first free matching slot (no_slot if none);
   * a cancelled request stays unbooked.
   */
  private bookRequest(a: Appointment, old: Row | undefined): Appointment {
    if (a.slot_id !== null || !a.requested_specialty || !a.preferred_date || !a.preferred_window) return a;
    if (
      old &&
      typeof old.slot_id === 'string' &&
      (old.requested_specialty ?? null) === a.requested_specialty &&
      (old.preferred_date ?? null) === a.preferred_date &&
      (old.preferred_window ?? null) === a.preferred_window &&
      old.mode === a.mode
    )
      return {
        ...a,
        slot_id: old.slot_id,
        doctor_id: String(old.doctor_id),
        starts_at: String(old.starts_at),
        ends_at: String(old.ends_at),
      };
    if (!ACTIVE.has(a.status)) return a;
    const [from, to] = windowBounds(a.preferred_date, a.preferred_window);
    const now = this.now().getTime();
    const doctors = new Map(this.reference.doctors.map((d) => [d.id, d]));
    const held = new Set(
      [...this.tables.appointments.values()]
        .filter((s) => ACTIVE.has(String(s.row.status)))
        .map((s) => s.row.slot_id),
    );
    const pick = this.reference.slots
      .filter((s) => {
        const doctor = doctors.get(s.doctor_id);
        const t = Date.parse(String(s.starts_at));
        return (
          doctor !== undefined &&
          doctor.specialty === a.requested_specialty &&
          (a.mode !== 'video' || doctor.offers_video === true) &&
          s.mode === a.mode &&
          t > now &&
          t >= from &&
          t < to &&
          !held.has(s.id)
        );
      })
      .sort(
        (x, y) =>
          Date.parse(String(x.starts_at)) - Date.parse(String(y.starts_at)) ||
          (String(x.id) < String(y.id) ? -1 : 1),
      )[0];
    if (!pick) {
      const mode = a.mode === 'video' ? 'video' : 'in-clinic';
      const when = a.preferred_window === 'any' ? 'at any time' : `in the ${a.preferred_window}`;
      throw new Reject(
        'no_slot',
        `no free ${a.requested_specialty} ${mode} slot on ${a.preferred_date} ${when}`,
      );
    }
    return {
      ...a,
      slot_id: String(pick.id),
      doctor_id: String(pick.doctor_id),
      starts_at: String(pick.starts_at),
      ends_at: String(pick.ends_at),
    };
  }

  private validation(issues: readonly { path: PropertyKey[]; message: string }[]): Reject {
    const first = issues[0];
    return new Reject(
      'validation',
      first?.message ?? 'invalid',
      first ? first.path.map(String).join('.') : null,
    );
  }

  /**
   * sync_push with `pull` in its body: one transaction, so a pull it cannot answer (a cursor or page
   * size it refuses) refuses the batch with it, before anything is applied. The page stops below the
   * push's own changes, as the SQL's does (its bound is the oldest open transaction, the push's own
   * included): they come in the next pull, a second time for the device that has them as answers.
   */
  pushAndPull(
    identity: Identity,
    clientId: string,
    raw: readonly unknown[],
    since: string | null,
    maxRows: number = PULL_LIMITS.defaultRows,
    maxBytes: number = PULL_LIMITS.defaultBytes,
  ): z.input<typeof pushAndPullResponse> {
    checkPageSize(maxRows, maxBytes);
    parsePosition(since);
    const bound = this.changeSeq + 1;
    const results = this.push(identity, clientId, raw);
    return { results, pull: this.pull(identity, since, maxRows, maxBytes, bound) };
  }

  /**
   * The real sync_pull's paging: every change in one order, (changeSeq, rank, id), reference rows at
   * changeSeq 0; at most `maxRows` per page, the cursor either a bound (`<n>`: changeSeq >= n, what a
   * finished pull hands out) or the position of the last row given (`<n>:<rank>:<id>`). Changes
   * from `bound` on are not in the page (changes of a transaction still open). A page also
   * stops before the row that would take its JSON over `maxBytes` (each row counted as its JSON
   * text, a simpler estimate than the SQL's), holding at least one row. `kiosk`: no appointment
   * rows (their tombstones still come) and patients with the match fields only, as the SQL's.
   */
  pull(
    identity: Identity,
    cursor: string | null,
    maxRows: number = PULL_LIMITS.defaultRows,
    maxBytes: number = PULL_LIMITS.defaultBytes,
    bound = this.changeSeq + 1,
    kiosk = false,
  ): PullWire {
    checkPageSize(maxRows, maxBytes);
    let from = parsePosition(cursor);
    // From another server (a reset one): start over, as the SQL does.
    if (from && (from.seq > bound || (from.seq === bound && from.rank > 0))) from = null;
    const start = from ?? { seq: 0, rank: 0, id: '' };
    const items: PageItem[] = [];
    REFERENCE_RANKS.forEach((table, i) => {
      for (const row of this.reference[table])
        items.push({ seq: 0, rank: i + 1, id: String(row.id), table, row });
    });
    for (const entity of kiosk ? (['patients'] as const) : (['patients', 'appointments'] as const))
      for (const s of this.tables[entity].values())
        if (this.visible(identity, s))
          items.push({
            seq: s.changeSeq,
            rank: RANK[entity],
            id: String(s.row.id),
            table: entity,
            row: kiosk ? kioskPatient(s.row) : s.row,
          });
    // A pull with no cursor has nothing on the device to delete (first page only, as in the SQL).
    // Tombstones are not filtered by owner (the row is gone); ids alone reveal nothing.
    if (from)
      for (const t of this.tombstones)
        items.push({
          seq: t.changeSeq,
          rank: RANK[`deleted:${t.entity}`],
          id: t.id,
          table: 'deleted',
          entity: t.entity,
        });
    const page = items.filter((x) => x.seq < bound && comparePosition(x, start) > 0).sort(comparePosition);
    const given = withinBudget(page.slice(0, maxRows), maxBytes);
    const hasMore = page.length > given.length;
    const last = given[given.length - 1];
    const rows = (table: PageItem['table']) =>
      given.flatMap((x) => (x.table === table && x.row ? [structuredClone(x.row)] : []));
    return {
      cursor: hasMore && last ? `${last.seq}:${last.rank}:${last.id}` : String(bound),
      hasMore,
      changes: {
        patients: rows('patients'),
        appointments: rows('appointments'),
        clinics: rows('clinics'),
        doctors: rows('doctors'),
        // As the real server sends them: the transport's parser rebuilds the rows.
        slots: toSlotRuns(rows('slots')),
      },
      deleted: given.flatMap((x) =>
        x.table === 'deleted' && x.entity ? [{ entity: x.entity, id: x.id }] : [],
      ),
    };
  }
}

interface Position {
  seq: number;
  rank: number;
  id: string;
}

interface PageItem extends Position {
  table: EntityName | 'clinics' | 'doctors' | 'slots' | 'deleted';
  row?: Row;
  entity?: EntityName;
}

const REFERENCE_RANKS = ['clinics', 'doctors', 'slots'] as const;
/** A patient as a kiosk's pull sends them: the match index's fields and the schema's required ones. */
const KIOSK_PATIENT_FIELDS = [
  'id',
  'full_name',
  'date_of_birth',
  'phone',
  'sex',
  'preferred_language',
  'version',
];
function kioskPatient(row: Row): Row {
  return Object.fromEntries(KIOSK_PATIENT_FIELDS.map((f) => [f, row[f] ?? null]));
}

/** Ranks within one change, as in the SQL (`sync_pull` in the baseline migration). */
const RANK = { patients: 4, appointments: 5, 'deleted:patients': 6, 'deleted:appointments': 7 } as const;

/** The longest prefix of `items` whose JSON fits `maxBytes` with the page's envelope; at least one. */
function withinBudget(items: readonly PageItem[], maxBytes: number): PageItem[] {
  let total = PAGE_ENVELOPE_BYTES;
  let n = 0;
  for (const item of items) {
    total += 2 + JSON.stringify(item.row ?? { entity: item.entity, id: item.id }).length;
    if (n > 0 && total > maxBytes) break;
    n++;
  }
  return items.slice(0, n);
}

/** As in the SQL: the cursor, hasMore, the table keys. */
const PAGE_ENVELOPE_BYTES = 256;

function comparePosition(a: Position, b: Position): number {
  return a.seq - b.seq || a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function checkPageSize(maxRows: number, maxBytes: number): void {
  if (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > PULL_LIMITS.maxRows)
    throw new SyncTransportError(
      ERROR_KINDS.badRequest,
      `max_rows must be between 1 and ${PULL_LIMITS.maxRows}`,
      400,
    );
  if (!Number.isInteger(maxBytes) || maxBytes < PULL_LIMITS.minBytes || maxBytes > PULL_LIMITS.maxBytes)
    throw new SyncTransportError(
      ERROR_KINDS.badRequest,
      `max_bytes must be between ${PULL_LIMITS.minBytes} and ${PULL_LIMITS.maxBytes}`,
      400,
    );
}

function parsePosition(cursor: string | null): Position | null {
  if (cursor === null || cursor === '') return null;
  const m = /^(\d{1,15})(?::([1-7]):([0-9a-f-]{36}))?$/.exec(cursor);
  if (!m)
    throw new SyncTransportError(
      ERROR_KINDS.badRequest,
      `"${cursor}" is not a cursor this server gave out`,
      400,
    );
  return { seq: Number(m[1]), rank: m[2] ? Number(m[2]) : 0, id: m[3] ?? '' };
}

/** Clinic time is Asia/Kolkata: UTC+05:30 all year (no daylight saving). */
const WINDOW_HOURS: Record<NonNullable<Appointment['preferred_window']>, readonly [number, number]> = {
  morning: [6, 12],
  afternoon: [12, 17],
  evening: [17, 21],
  any: [0, 24],
};

/** [from, to) in epoch ms of a preferred window on a day in clinic time. */
function windowBounds(date: string, window: NonNullable<Appointment['preferred_window']>): [number, number] {
  const midnight = Date.parse(`${date}T00:00:00+05:30`);
  const [from, to] = WINDOW_HOURS[window];
  return [midnight + from * 3_600_000, midnight + to * 3_600_000];
}

function parseAnswer<T>(schema: z.ZodMiniType<T>, answer: unknown): T {
  const parsed = schema.safeParse(JSON.parse(JSON.stringify(answer)));
  if (!parsed.success)
    throw new SyncTransportError(ERROR_KINDS.badResponse, `unexpected answer: ${parsed.error.message}`, 200);
  return parsed.data;
}

export class InProcessTransport implements SyncTransport {
  private calls = 0;

  constructor(
    readonly server: InProcessServer,
    readonly identity: Identity,
    private readonly faults: FaultPlan,
  ) {}

  async push(clientId: string, mutations: readonly Mutation[]): Promise<PushResult[]> {
    // The wire: JSON both ways, so nothing shared by reference survives the trip.
    const body: unknown[] = JSON.parse(JSON.stringify(mutations));
    return this.call('push', () =>
      parseAnswer(pushResponse, this.server.push(this.identity, clientId, body)),
    );
  }

  async pull(cursor: string | null, options: PullOptions = {}): Promise<PullResponse> {
    return this.call('pull', () =>
      parseAnswer(
        pullResponse,
        this.server.pull(this.identity, cursor, options.maxRows, options.maxBytes, undefined, options.kiosk),
      ),
    );
  }

  async pushAndPull(
    clientId: string,
    mutations: readonly Mutation[],
    request: PullRequest,
  ): Promise<PushAndPullResponse> {
    const body: unknown[] = JSON.parse(JSON.stringify(mutations));
    const { since, maxRows, maxBytes } = request;
    return this.call('push', () =>
      parseAnswer(
        pushAndPullResponse,
        this.server.pushAndPull(this.identity, clientId, body, since, maxRows, maxBytes),
      ),
    );
  }

  private async call<T>(kind: 'push' | 'pull', run: () => T): Promise<T> {
    const fault = this.faults({ kind, n: this.calls++ });
    // A real request yields to the event loop: other tabs' drains interleave here.
    await Promise.resolve();
    if (!fault) {
      const answer = run();
      if (kind === 'push') this.server.deliverLate();
      return answer;
    }
    switch (fault.type) {
      case 'offline':
        throw new SyncTransportError(ERROR_KINDS.network, 'Failed to fetch', 0);
      case 'timeout':
        if (fault.afterCommit) run();
        throw new SyncTransportError(ERROR_KINDS.timeout, 'no answer in time', 408);
      case 'server-error':
        throw new SyncTransportError(
          ERROR_KINDS.server,
          'upstream failed',
          fault.status,
          fault.retryAfterMs ?? null,
        );
      case 'rate-limited':
        throw new SyncTransportError(ERROR_KINDS.rateLimited, 'slow down', 429, fault.retryAfterMs ?? null);
      case 'unauthorized':
        throw new SyncTransportError(ERROR_KINDS.unauthorized, 'JWT expired', 401);
      case 'lost-after-commit':
        run();
        throw new SyncTransportError(ERROR_KINDS.network, 'connection reset', 0);
      case 'hang':
        if (fault.afterCommit) run();
        return new Promise<T>(() => {});
      case 'late':
        this.server.deferLate(run);
        throw new SyncTransportError(ERROR_KINDS.timeout, 'no answer in time', 408);
      default: {
        const never: never = fault;
        throw new Error(`unknown fault ${JSON.stringify(never)}`);
      }
    }
  }
}
