/**
 * Runs in real Chromium (bench/browser-budgets.ts opens it): each sample is what the app does when a
 * patient saves a profile and books — `writeEntities`, the app's write path: both rows validated,
 * then one Dexie transaction changing the entity tables and appending both outbox entries — timed
 * with performance.now() (in 5 µs steps: the page is served cross-origin isolated). Samples are
 * taken with an empty outbox and with a queue already holding `backlog` writes (a kiosk offline
 * for a day). Sampled in turn with it, in the same database:
 * - the same two rows as two separate store writes (two transactions, how the screens saved them
 *   before);
 * - the baseline, a bare Dexie transaction putting the same two rows (no outbox, no
 *   validation), the least any save of them can cost in this Chromium;
 * - the same two rows put in a transaction of IndexedDB's own, no Dexie (the save's transaction is
 *   one: sync/stores/native-tx.ts): the least IndexedDB itself can do, below the baseline;
 * - a bare Dexie transaction writing the same records the save writes (the two rows, two outbox
 *   entries shaped as the store's, the next seq), all issued at once: what IndexedDB and Dexie cost
 *   for a save that queues its writes, without the store's own work (validation, derivation, reads).
 * The five take turns in a rotating order, so none always runs after the same one (a commit's
 * after-effects in the browser land on whoever comes next).
 */
import { writeEntities } from '../../src/data/entity-writes.ts';
import type { LocalMutation } from '../../sync/local-mutation.ts';
import { ConsultDb } from '../../sync/stores/dexie-db.ts';
import { DexieStore } from '../../sync/stores/dexie-store.ts';

export interface Quantiles {
  p50: number;
  p95: number;
  max: number;
}

export interface SaveLatency extends Quantiles {
  backlog: number;
  samples: number;
  /** The same rows as two store writes, one transaction each. */
  separate: Quantiles;
  /** The two rows alone, put in a bare transaction: the baseline. */
  bare: Quantiles;
  /** The save's records (rows, outbox entries, next seq), put in a bare transaction. */
  bareRecords: Quantiles;
  /** The two rows alone, put in a transaction of IndexedDB's own (no Dexie). */
  rawRows: Quantiles;
}

function quantiles(times: number[]): Quantiles {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? Number.NaN };
}

function patient(id: string, i: number): Record<string, unknown> {
  return {
    id,
    full_name: `Bench patient ${i}`,
    date_of_birth: '1985-06-01',
    sex: 'female',
    phone: '+919812345678',
    address: 'Ward 2, Rampur',
    preferred_language: 'hi',
  };
}

function appointment(patientId: string, i: number): Record<string, unknown> {
  return {
    id: crypto.randomUUID(),
    patient_id: patientId,
    doctor_id: 'd0c70000-0000-4000-8000-000000000001',
    slot_id: crypto.randomUUID(),
    starts_at: `2031-01-01T${String(i % 24).padStart(2, '0')}:00:00.000Z`,
    ends_at: `2031-01-01T${String(i % 24).padStart(2, '0')}:30:00.000Z`,
    mode: 'video',
    reason: 'Fever and cough for three days',
    status: 'requested',
  };
}

/** The app's save of a new profile and its booking. */
async function save(store: DexieStore, id: string, i: number): Promise<void> {
  const result = await writeEntities(store, [
    { entity: 'patients', candidate: patient(id, i), options: { fresh: true } },
    { entity: 'appointments', candidate: appointment(id, i), options: { fresh: true } },
  ]);
  if (!result.ok) throw new Error(`the bench's rows were refused: ${JSON.stringify(result.issues)}`);
}

/** An outbox entry as the store writes one (`LocalMutation`), for the bare baseline of the records. */
function entry(entity: string, row: Record<string, unknown>, seq: number, deps: string[]): LocalMutation {
  return {
    id: crypto.randomUUID(),
    clientId: 'b3c40000-0000-4000-8000-000000000001',
    entity: entity as LocalMutation['entity'],
    op: 'upsert',
    key: String(row.id),
    data: row,
    deps,
    actor: null,
    createdAt: new Date().toISOString(),
    state: 'pending',
    seq,
    after: [],
    refKeys: typeof row.patient_id === 'string' ? [`patients:${row.patient_id}`] : [],
    before: null,
    createsRow: true,
    attempted: false,
  };
}

async function measure(backlog: number, samples: number): Promise<SaveLatency> {
  const name = `consult-bench-${backlog}-${Date.now()}`;
  const db = new ConsultDb(name);
  await db.open();
  const store = new DexieStore(db);
  for (let i = 0; i < backlog; i++) {
    const id = crypto.randomUUID();
    await store.write({ entity: 'patients', op: 'upsert', row: patient(id, i) });
  }
  // Far above the store's own seqs, so the bare records never collide with them.
  let bareSeq = 1_000_000_000;
  const variants: Record<
    'app' | 'separate' | 'bare' | 'bareRecords' | 'rawRows',
    (i: number) => Promise<unknown>
  > = {
    app: (i) => save(store, crypto.randomUUID(), i),
    separate: async (i) => {
      const id = crypto.randomUUID();
      await store.write({ entity: 'patients', op: 'upsert', row: patient(id, i) });
      await store.write({ entity: 'appointments', op: 'upsert', row: appointment(id, i) });
    },
    bare: (i) => {
      const id = crypto.randomUUID();
      return db.transaction('rw', db.patients, db.appointments, async () => {
        await db.patients.put(patient(id, i));
        await db.appointments.put(appointment(id, i));
      });
    },
    bareRecords: (i) => {
      const id = crypto.randomUUID();
      const p = patient(id, i);
      const a = appointment(id, i);
      const first = entry('patients', p, bareSeq++, []);
      const second = entry('appointments', a, bareSeq++, [first.id]);
      return db.transaction('rw', [db.patients, db.appointments, db.outbox, db.meta], () =>
        Promise.all([
          db.patients.add(p),
          db.appointments.add(a),
          db.outbox.bulkAdd([first, second]),
          db.meta.put({ key: 'bench-seq', value: bareSeq }),
        ]),
      );
    },
    rawRows: (i) => {
      const id = crypto.randomUUID();
      const tx = db.backendDB().transaction(['patients', 'appointments'], 'readwrite');
      tx.objectStore('patients').put(patient(id, i));
      tx.objectStore('appointments').put(appointment(id, i));
      return new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onabort = () => reject(tx.error);
      });
    },
  };
  const order = Object.keys(variants) as (keyof typeof variants)[];
  // Untimed first rounds: the JIT and IndexedDB's first transactions would otherwise dominate p95.
  for (let i = 0; i < 20; i++) for (const v of order) await variants[v](i);
  const times: Record<keyof typeof variants, number[]> = {
    app: [],
    separate: [],
    bare: [],
    bareRecords: [],
    rawRows: [],
  };
  for (let i = 0; i < samples; i++) {
    for (let j = 0; j < order.length; j++) {
      const v = order[(i + j) % order.length] as keyof typeof variants;
      const started = performance.now();
      await variants[v](i);
      times[v].push(performance.now() - started);
    }
  }
  db.close();
  await ConsultDb.delete(name);
  return {
    backlog,
    samples,
    ...quantiles(times.app),
    separate: quantiles(times.separate),
    bare: quantiles(times.bare),
    bareRecords: quantiles(times.bareRecords),
    rawRows: quantiles(times.rawRows),
  };
}

/**
 * The page's first save ever (code not yet compiled, IndexedDB not yet opened) is reported on its
 * own; then 100 saves on a throwaway database warm the code, so the measured runs compare outbox
 * sizes rather than the JIT.
 */
async function coldFirstSave(): Promise<number> {
  const name = `consult-bench-warmup-${Date.now()}`;
  const db = new ConsultDb(name);
  const store = new DexieStore(db);
  const started = performance.now();
  await save(store, crypto.randomUUID(), 0);
  const cold = performance.now() - started;
  for (let i = 1; i < 100; i++) {
    await save(store, crypto.randomUUID(), i);
    await store.write({ entity: 'patients', op: 'upsert', row: patient(crypto.randomUUID(), i) });
  }
  db.close();
  await ConsultDb.delete(name);
  return cold;
}

export interface SaveBench {
  coldFirstSaveMs: number;
  /** The page was cross-origin isolated (bench-page.ts), which is what gives the finer timer. */
  crossOriginIsolated: boolean;
  /** The smallest step `performance.now()` was seen to take, in ms. */
  timerStepMs: number;
  runs: SaveLatency[];
}

/**
 * The smallest step `performance.now()` takes here: Chromium coarsens it to 100 µs in a page that
 * is not cross-origin isolated and to 5 µs in one that is (with jitter, hence the smallest of many).
 */
function timerStep(): number {
  let step = Number.POSITIVE_INFINITY;
  let last = performance.now();
  for (let seen = 0; seen < 200; ) {
    const now = performance.now();
    if (now === last) continue;
    step = Math.min(step, now - last);
    last = now;
    seen++;
  }
  return step;
}

declare global {
  interface Window {
    runSaveBench(backlogs: number[], samples: number): Promise<SaveBench>;
  }
}

window.runSaveBench = async (backlogs, samples) => {
  const coldFirstSaveMs = await coldFirstSave();
  const runs: SaveLatency[] = [];
  for (const backlog of backlogs) runs.push(await measure(backlog, samples));
  return { coldFirstSaveMs, crossOriginIsolated: self.crossOriginIsolated, timerStepMs: timerStep(), runs };
};
