/**
 * The queue export: the outbox, the quarantine and the engine's status in one JSON file that QA
 * attaches to a bug report. By default the queued rows are redacted (`redact.ts`): what the patient
 * typed is in the file only when QA ticks "Include personal data" (before, this file always held
 * it, while the report beside it did not). Built on the device and handed to the browser as a
 * download the user asked for.
 */
import type { LocalMutation } from '../../../sync/local-mutation.ts';
import type { QuarantineEntry } from '../../../sync/stores/sync-store.ts';
import type { EngineView } from './engine-view.ts';
import { redactQueue } from './redact.ts';

export const QUEUE_EXPORT_FORMAT = 'consult-queue';
export const QUEUE_EXPORT_VERSION = 1;

export interface QueueExport {
  format: typeof QUEUE_EXPORT_FORMAT;
  version: typeof QUEUE_EXPORT_VERSION;
  exportedAt: string;
  /** Whether the queued rows are in the file as typed; false: redacted, and it cannot be imported. */
  personalData: boolean;
  /** This device's sync client id: the server's ledger is keyed by it. */
  clientId: string | null;
  engine: EngineView;
  counts: { outbox: number; quarantine: number };
  /** In enqueue (`seq`) order. */
  outbox: LocalMutation[];
  quarantine: QuarantineEntry[];
}

export function buildQueueExport(input: {
  outbox: readonly LocalMutation[];
  quarantine: readonly QuarantineEntry[];
  engine: EngineView;
  clientId: string | null;
  now: Date;
  includePersonalData: boolean;
}): QueueExport {
  const keep = input.includePersonalData;
  const sorted = [...input.outbox].sort((a, b) => a.seq - b.seq);
  const { outbox, quarantine } = keep
    ? { outbox: sorted, quarantine: [...input.quarantine] }
    : redactQueue({ outbox: sorted, quarantine: input.quarantine });
  return {
    format: QUEUE_EXPORT_FORMAT,
    version: QUEUE_EXPORT_VERSION,
    exportedAt: input.now.toISOString(),
    personalData: keep,
    clientId: input.clientId,
    engine: input.engine,
    counts: { outbox: outbox.length, quarantine: quarantine.length },
    outbox,
    quarantine,
  };
}

/**
 * A quarantined record is whatever IndexedDB held: it may carry values JSON cannot write (bigint)
 * or would silently empty (a Map). Those are written as tagged strings so the file always saves.
 */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return `${value.toString()}n`;
  if (value instanceof Map) return Object.fromEntries(value);
  if (value instanceof Set) return [...value];
  if (typeof Blob !== 'undefined' && value instanceof Blob) return `[Blob ${value.type} ${value.size} bytes]`;
  return value;
}

export function serializeQueueExport(payload: QueueExport): string {
  return serializeExport(payload);
}

/** Any export file (the queue, the QA report) as pretty JSON that always saves. */
export function serializeExport(payload: object): string {
  return `${JSON.stringify(payload, replacer, 2)}\n`;
}

/** `consult-queue-2025-03-01T09-05-07Z.json`: UTC, no characters a file system refuses. */
export function queueExportFileName(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
  return `consult-queue-${stamp}.json`;
}
