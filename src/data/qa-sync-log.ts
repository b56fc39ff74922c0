/**
 * The device's sync log: one entry per drain (when, what started it, batches, bytes up and down,
 * duration, the answer for each mutation, the backoff decision), the last 200 kept in IndexedDB.
 * It keeps ids, kinds, codes and counts: no row, so nothing a patient typed.
 */
import type { DrainEndReport } from '../../sync/ports.ts';
import type { PushResult } from '../../sync/protocol.ts';
import { SyncLogDb } from './qa-sync-log-db.ts';
import type { SyncLogConsumer, SyncLogEvent } from './qa-sync-log-hook.ts';

export type AnswerStatus = PushResult['status'];

/** What the log says started a drain the service worker ran for the browser's `sync` event. */
export const BACKGROUND_SYNC_TRIGGER = 'background-sync';

export interface MutationAnswer {
  id: string;
  entity: string;
  op: string;
  /** The row's key (a UUID, not a person's detail). */
  key: string;
  status: AnswerStatus;
  /** Rejected: the stable code and the server's reason; blocked: what it waits behind. */
  code?: string;
  reason?: string;
  blockedBy?: string;
}

export interface DrainLogEntry {
  startedAt: number;
  trigger: string;
  /** null while the drain runs (an entry is only stored once it ended). */
  durationMs: number | null;
  /** Push calls made, and how many of them failed as a whole (network, 5xx, timeout). */
  batches: number;
  /** UTF-8 bytes of the JSON sent and received (bodies only, before compression). */
  bytesUp: number;
  bytesDown: number;
  pullPages: number;
  pulledRows: number;
  answers: MutationAnswer[];
  /** Calls that failed whole: what the transport said. */
  failures: { call: 'push' | 'pull'; ms: number; error: string }[];
  end: DrainEndReport | null;
  /** The wait armed after a failure (retryAt − end), the backoff decision in milliseconds. */
  backoffMs: number | null;
}

const encoder = new TextEncoder();
function bytes(value: unknown): number {
  return value === null ? 0 : encoder.encode(JSON.stringify(value)).length;
}

function answerOf(
  m: { id: string; entity: string; op: string; key: string },
  r: PushResult | undefined,
): MutationAnswer | null {
  if (!r) return null;
  const base = { id: m.id, entity: m.entity, op: m.op, key: m.key, status: r.status };
  if (r.status === 'rejected') return { ...base, code: r.code, reason: r.message };
  if (r.status === 'blocked') return { ...base, blockedBy: r.blockedBy };
  return base;
}

/** Folds the hook's events into entries; each ended drain goes to `sink`. */
export class SyncLogRecorder implements SyncLogConsumer {
  private current: DrainLogEntry | null = null;

  constructor(private readonly sink: (entry: DrainLogEntry) => void) {}

  consume(event: SyncLogEvent): void {
    if (event.type === 'started') {
      this.current = {
        startedAt: event.at,
        trigger: event.trigger,
        durationMs: null,
        batches: 0,
        bytesUp: 0,
        bytesDown: 0,
        pullPages: 0,
        pulledRows: 0,
        answers: [],
        failures: [],
        end: null,
        backoffMs: null,
      };
      return;
    }
    const entry = this.current;
    // A call outside any drain the observer saw (none today): nothing to attach it to.
    if (!entry) return;
    if (event.type === 'push') {
      entry.batches++;
      entry.bytesUp += bytes({ mutations: event.mutations });
      entry.bytesDown += bytes(event.results);
      if (event.error !== null) entry.failures.push({ call: 'push', ms: event.ms, error: event.error });
      for (const m of event.mutations) {
        const answer = answerOf(
          m,
          event.results?.find((r) => r.id === m.id),
        );
        if (answer) entry.answers.push(answer);
      }
      return;
    }
    if (event.type === 'pull') {
      entry.pullPages++;
      entry.bytesDown += bytes(event.page);
      if (event.page)
        entry.pulledRows +=
          Object.values(event.page.changes).reduce((n, rows) => n + rows.length, 0) +
          event.page.deleted.length;
      if (event.error !== null) entry.failures.push({ call: 'pull', ms: event.ms, error: event.error });
      return;
    }
    const { report } = event;
    entry.end = report;
    entry.durationMs = report.at - entry.startedAt;
    entry.backoffMs = report.retryAt === null ? null : Math.max(0, report.retryAt - report.at);
    this.current = null;
    this.sink(entry);
  }
}

let db: SyncLogDb | null = null;
export function syncLogDb(): SyncLogDb {
  db ??= new SyncLogDb();
  return db;
}

/** The recorder the page's engine feeds; a failed write loses one entry, never the drain. */
export function deviceSyncLog(): SyncLogRecorder {
  return new SyncLogRecorder((entry) => {
    syncLogDb()
      .add(entry)
      .catch((e: unknown) => console.warn('sync log: could not save a drain', e));
  });
}
