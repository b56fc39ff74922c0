/**
 * A child process playing some of the kiosk row's devices (`kiosks.ts` forks several, at the
 * lowest CPU priority). Real kiosks parse, validate and store their first pull on their own CPUs;
 * here they share the machine with the server. One Node thread playing all 100 (and hosting the
 * gateway) was the bottleneck of the row (busy 91% of the run, 30 s timeouts from answers waiting
 * behind other devices' parsing); worker threads at the server's priority took the cores the
 * server needed. Niced processes get what the server leaves, as their own CPUs would give them.
 *
 * Messages: the parent sends `WorkerInput`; the child builds its devices (stores with queued
 * walk-ins, signed-in clients) and answers `ready`; on `go` every engine drains at once; it answers
 * one `DeviceResult` per device.
 */
import { createClient } from '@supabase/supabase-js';
import ws from 'ws';
import { type KioskTiming, kioskTransport } from '../src/data/kiosk-transport.ts';
import { DEFAULT_PULL_PAGE_BYTES, DEFAULT_PULL_PAGE_ROWS } from '../sync/drain.ts';
import type { ErrorKind } from '../sync/errors.ts';
import { PULLED_TABLES, type PulledTable, type PullResponse } from '../sync/protocol.ts';
import { SyncEngine } from '../sync/sync-engine.ts';
import { MemoryStore } from '../sync/testing/memory-store.ts';
import { SupabaseTransport } from '../sync/transports/supabase.ts';
import type { SyncTransport } from '../sync/transports/transport.ts';
import type { BenchSlot } from './bench-stack.ts';
import { queueWalkIns } from './sync-drain.ts';

export interface DeviceSpec {
  slots: BenchSlot[];
  session: { access_token: string; refresh_token: string };
}

export interface WorkerInput {
  url: string;
  anonKey: string;
  patients: number;
  perPatient: number;
  devices: DeviceSpec[];
  /**
   * Each device made its first pull before the clock starts, as a kiosk does at setup (online,
   * staff present). One pull per process, its pages merged into each of its devices' stores.
   */
  pulledFirst: boolean;
  /**
   * `kiosk`: as the app's kiosk calls the server now (`kioskTransport`: pushes without the pull
   * page, pulls without appointments); `app`: as every other device, and kiosks before that (the
   * page in each push, full pulls).
   */
  transport: 'kiosk' | 'app';
  /** Caps the bytes of each page its plain pulls ask for (an experiment: KIOSK_PULL_BYTES). */
  pullBytes?: number | undefined;
  /** `false`: the kiosk transport pulls at once after a push (to measure its pause). */
  catchUpPause?: boolean | undefined;
}

/** Times are absolute (`performance.timeOrigin + performance.now()`), comparable across threads. */
export interface DeviceResult {
  /**
   * It held every slot as the server ends the run (every walk-in's booking marked taken, every
   * other slot there): caught up with every device's writes, not only with what had committed when
   * its own drain pulled.
   */
  doneAt: number;
  /** The last push answer arrived (its outbox is empty after it): every write acknowledged. */
  ackedAt: number;
  /**
   * Its first push left (the engine planned it): the device's own work before the server, which
   * on this shared machine is niced and waits for a core.
   */
  sentAt: number;
  pulledRows: number;
  /** Rows the pages it merged carried, by table (a page in a push answer included). */
  pulledByTable: Record<PulledTable, number>;
  failures: Partial<Record<ErrorKind, number>>;
  slotsMissing: number;
  /** Slots taken on the server at the end that it still held as free (0 once caught up). */
  slotsStale: number;
  /** Push and pull calls as the engine saw them (waiting for a connection included). */
  calls: Record<'push' | 'pull', { n: number; ms: number }>;
  /** Rows in its store before the clock started (its setup pull), all tables. */
  rowsBefore: number;
}

/** `takenAtEnd`: slots taken on the server once every device's writes are in. */
export interface Expected {
  slotsInDb: number;
  takenAtEnd: number;
}

export type ToWorker = { type: 'build'; input: WorkerInput } | ({ type: 'go' } & Expected);
export type FromWorker =
  | { type: 'ready' }
  /** `cpuMs`: the CPU this process used for its devices while they drained (user + system). */
  | { type: 'done'; results: DeviceResult[]; cpuMs: number };

const now = () => performance.timeOrigin + performance.now();
/** The kiosk transport's clock with a wait that does not wait. */
const noPause: KioskTiming = { now, sleep: async () => undefined };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function device(input: WorkerInput, spec: DeviceSpec) {
  const client = createClient(input.url, input.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: ws as unknown as typeof WebSocket },
  });
  const { error } = await client.auth.setSession(spec.session);
  if (error) throw new Error(`kiosk device sign-in failed: ${error.message}`);
  return { client, store: new MemoryStore() };
}

type Device = Awaited<ReturnType<typeof device>>;

/**
 * The setup pull: every page from nothing, merged into each device's store with its cursor (the
 * same pages for all: they are staff of one clinic, pulling before anything else is written).
 */
async function pullFirst(devices: readonly Device[]): Promise<void> {
  const first = devices[0];
  if (!first) return;
  // A kiosk's pull (as the app's kiosk pulls after setup).
  const transport = kioskTransport(new SupabaseTransport(first.client), () => true);
  for (let cursor: string | null = null, more = true; more; ) {
    const page: PullResponse = await transport.pull(cursor, {
      maxRows: DEFAULT_PULL_PAGE_ROWS,
      maxBytes: DEFAULT_PULL_PAGE_BYTES,
    });
    for (const d of devices) await d.store.applyPull(page, await d.store.getEpoch());
    cursor = page.cursor;
    more = page.hasMore;
  }
}

/**
 * Between drains that left it behind the others (its pull stopped below their pushes still running):
 * a kiosk's engine drains again on its next write or poll; here, after this long.
 */
const POLL_MS = 1_000;

const taken = async (store: MemoryStore): Promise<number> =>
  (await store.listRows('slots')).filter((s) => s.available === false).length;

const rowsIn = async (store: MemoryStore): Promise<number> =>
  (await Promise.all(PULLED_TABLES.map((t) => store.listRows(t)))).reduce((n, rows) => n + rows.length, 0);

/** `rowsBefore`: counted before the clock started (listing every row is no part of a drain). */
async function drainAll(
  { client, store }: Device,
  { slotsInDb, takenAtEnd }: Expected,
  input: WorkerInput,
  rowsBefore: number,
): Promise<DeviceResult> {
  const result: DeviceResult = {
    doneAt: 0,
    ackedAt: Number.NaN,
    sentAt: Number.NaN,
    pulledRows: 0,
    pulledByTable: Object.fromEntries(PULLED_TABLES.map((t) => [t, 0])) as Record<PulledTable, number>,
    failures: {},
    slotsMissing: 0,
    slotsStale: 0,
    calls: { push: { n: 0, ms: 0 }, pull: { n: 0, ms: 0 } },
    rowsBefore,
  };
  const timed = async <T>(kind: 'push' | 'pull', call: () => Promise<T>): Promise<T> => {
    const t = now();
    if (kind === 'push' && Number.isNaN(result.sentAt)) result.sentAt = t;
    try {
      return await call();
    } finally {
      result.calls[kind].n += 1;
      result.calls[kind].ms += now() - t;
    }
  };
  const count = (page: PullResponse | null) => {
    for (const t of PULLED_TABLES) result.pulledByTable[t] += page?.changes[t].length ?? 0;
  };
  // Answered pushes: the drain applies each answer as it comes, and pushes until the outbox is empty,
  // so the last answer is when every write of the device was acknowledged.
  const acked = () => {
    result.ackedAt = now();
  };
  const app = new SupabaseTransport(client);
  const inner =
    input.transport !== 'kiosk'
      ? app
      : kioskTransport(app, () => true, input.catchUpPause === false ? noPause : undefined);
  const { pushAndPull } = inner;
  const transport: SyncTransport = {
    push: (clientId, mutations) =>
      timed('push', async () => {
        const answer = await inner.push(clientId, mutations);
        acked();
        return answer;
      }),
    pull: (cursor, options) =>
      timed('pull', async () => {
        const cap = input.pullBytes;
        const page = await inner.pull(
          cursor,
          cap ? { ...options, maxBytes: Math.min(cap, options?.maxBytes ?? cap) } : options,
        );
        count(page);
        return page;
      }),
    ...(pushAndPull
      ? {
          pushAndPull: (clientId, mutations, request) =>
            timed('push', async () => {
              const answer = await pushAndPull(clientId, mutations, request);
              acked();
              count(answer.pull);
              return answer;
            }),
        }
      : {}),
  };
  const engine = new SyncEngine({ store, transport, maxRounds: 1000 });
  for (let round = 0; round < 1000; round++) {
    const outcome = await engine.drainOnce();
    if (outcome.status === 'failed') {
      result.failures[outcome.kind] = (result.failures[outcome.kind] ?? 0) + 1;
      // As the engine's scheduler would: wait out the backoff it chose (full jitter, Retry-After).
      if (outcome.retryAt !== null) await sleep(Math.max(0, outcome.retryAt - Date.now()));
    } else if (outcome.status === 'synced') {
      result.pulledRows += outcome.pulled;
      if (!outcome.morePull && (await store.listOutbox()).length === 0) {
        if ((await taken(store)) >= takenAtEnd) break;
        await sleep(POLL_MS);
      }
    }
  }
  result.doneAt = now();
  await engine.stop();
  const left = (await store.listOutbox()).length;
  if (left > 0) throw new Error(`a kiosk still holds ${left} writes after 100 drains`);
  // Nothing lost: it must hold every slot. Counted, so a loss is reported with the rate.
  result.slotsMissing = Math.max(0, slotsInDb - (await store.listRows('slots')).length);
  result.slotsStale = Math.max(0, takenAtEnd - (await taken(store)));
  return result;
}

/** The parent's next message of this type. */
function next<T extends ToWorker['type']>(type: T): Promise<Extract<ToWorker, { type: T }>> {
  return new Promise((resolve) => {
    const on = (message: ToWorker) => {
      if (message.type !== type) return;
      process.off('message', on);
      resolve(message as Extract<ToWorker, { type: T }>);
    };
    process.on('message', on);
  });
}

const send = (message: FromWorker) => process.send?.(message);

if (process.send) {
  const { input } = await next('build');
  const built = await Promise.all(input.devices.map((spec) => device(input, spec)));
  if (input.pulledFirst) await pullFirst(built);
  // The walk-ins come after the setup pull, as at the clinic.
  for (const [i, d] of built.entries()) {
    const spec = input.devices[i];
    if (spec) await queueWalkIns(d.store, spec.slots, input.patients, input.perPatient);
  }
  const before = await Promise.all(built.map((d) => rowsIn(d.store)));
  const go = next('go');
  send({ type: 'ready' });
  const { type: _, ...expected } = await go;
  const cpu = process.cpuUsage();
  const results = await Promise.all(built.map((d, i) => drainAll(d, expected, input, before[i] ?? 0)));
  const used = process.cpuUsage(cpu);
  send({ type: 'done', results, cpuMs: (used.user + used.system) / 1000 });
  process.disconnect();
}
