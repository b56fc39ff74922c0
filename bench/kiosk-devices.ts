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
import type { ErrorKind } from '../sync/errors.ts';
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
}

/** Times are absolute (`performance.timeOrigin + performance.now()`), comparable across threads. */
export interface DeviceResult {
  doneAt: number;
  /** When its first pull began: its pushes were all answered. */
  pushedAt: number;
  pulledRows: number;
  failures: Partial<Record<ErrorKind, number>>;
  slotsMissing: number;
  /** Push and pull calls as the engine saw them (waiting for a connection included). */
  calls: Record<'push' | 'pull', { n: number; ms: number }>;
}

export type ToWorker = { type: 'build'; input: WorkerInput } | { type: 'go'; slotsInDb: number };
export type FromWorker =
  | { type: 'ready' }
  /** `cpuMs`: the CPU this process used for its devices while they drained (user + system). */
  | { type: 'done'; results: DeviceResult[]; cpuMs: number };

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function device(input: WorkerInput, spec: DeviceSpec) {
  const client = createClient(input.url, input.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: ws as unknown as typeof WebSocket },
  });
  const { error } = await client.auth.setSession(spec.session);
  if (error) throw new Error(`kiosk device sign-in failed: ${error.message}`);
  const store = await queueWalkIns(new MemoryStore(), spec.slots, input.patients, input.perPatient);
  return { client, store };
}

async function drainAll(
  { client, store }: Awaited<ReturnType<typeof device>>,
  slotsInDb: number,
): Promise<DeviceResult> {
  const result: DeviceResult = {
    doneAt: 0,
    pushedAt: Number.NaN,
    pulledRows: 0,
    failures: {},
    slotsMissing: 0,
    calls: { push: { n: 0, ms: 0 }, pull: { n: 0, ms: 0 } },
  };
  const timed = async <T>(kind: 'push' | 'pull', call: () => Promise<T>): Promise<T> => {
    const t = now();
    try {
      return await call();
    } finally {
      result.calls[kind].n += 1;
      result.calls[kind].ms += now() - t;
    }
  };
  const inner = new SupabaseTransport(client);
  const transport: SyncTransport = {
    push: (clientId, mutations) => timed('push', () => inner.push(clientId, mutations)),
    pull: (cursor, options) => {
      // A drain pushes everything first: its first pull marks the end of the push phase.
      if (Number.isNaN(result.pushedAt)) result.pushedAt = now();
      return timed('pull', () => inner.pull(cursor, options));
    },
  };
  const engine = new SyncEngine({ store, transport, maxRounds: 1000 });
  for (let round = 0; round < 100; round++) {
    const outcome = await engine.drainOnce();
    if (outcome.status === 'failed') {
      result.failures[outcome.kind] = (result.failures[outcome.kind] ?? 0) + 1;
      // As the engine's scheduler would: wait out the backoff it chose (full jitter, Retry-After).
      if (outcome.retryAt !== null) await sleep(Math.max(0, outcome.retryAt - Date.now()));
    } else if (outcome.status === 'synced') {
      result.pulledRows += outcome.pulled;
      if (!outcome.morePull && (await store.listOutbox()).length === 0) break;
    }
  }
  result.doneAt = now();
  await engine.stop();
  const left = (await store.listOutbox()).length;
  if (left > 0) throw new Error(`a kiosk still holds ${left} writes after 100 drains`);
  // Nothing lost: its first pull must hold every slot. Counted, so a loss is reported with the rate.
  result.slotsMissing = Math.max(0, slotsInDb - (await store.listRows('slots')).length);
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
  const go = next('go');
  send({ type: 'ready' });
  const { slotsInDb } = await go;
  const cpu = process.cpuUsage();
  const results = await Promise.all(built.map((d) => drainAll(d, slotsInDb)));
  const used = process.cpuUsage(cpu);
  send({ type: 'done', results, cpuMs: (used.user + used.system) / 1000 });
  process.disconnect();
}
