/**
 * The QA report: the sync log and the queue in one JSON file for a bug report. By default it holds
 * no personal data: every string in a queued row is replaced by its length (ids stay, so the order
 * and the dependencies still read). QA may choose to include the rows, which an import needs.
 */
import type { LocalMutation } from '../../../sync/local-mutation.ts';
import type { QuarantineEntry } from '../../../sync/stores/sync-store.ts';
import type { DrainLogEntry } from '../../data/qa-sync-log.ts';
import type { EngineView } from './engine-view.ts';
import { buildQueueExport, type QueueExport } from './queue-export.ts';

export const QA_REPORT_FORMAT = 'consult-qa-report';
export const QA_REPORT_VERSION = 1;

export interface QaReport {
  format: typeof QA_REPORT_FORMAT;
  version: typeof QA_REPORT_VERSION;
  build: string;
  /** Whether the queue's rows are in the file as typed; false: redacted. */
  personalData: boolean;
  /** Newest first. */
  syncLog: DrainLogEntry[];
  queue: QueueExport;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keeps the shape, ids, numbers and flags; a string becomes its length only. */
export function redact(value: unknown): unknown {
  if (typeof value === 'string') return UUID.test(value) ? value : `‹redacted: ${value.length} characters›`;
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
  return value;
}

function redactMutation(m: LocalMutation): LocalMutation {
  return {
    ...m,
    data: redact(m.data) as LocalMutation['data'],
    before: m.before === null ? null : (redact(m.before) as Record<string, unknown>),
  };
}

export function buildQaReport(input: {
  syncLog: readonly DrainLogEntry[];
  outbox: readonly LocalMutation[];
  quarantine: readonly QuarantineEntry[];
  engine: EngineView;
  clientId: string | null;
  now: Date;
  build: string;
  includePersonalData: boolean;
}): QaReport {
  const keep = input.includePersonalData;
  const queue = buildQueueExport({
    ...input,
    outbox: keep ? input.outbox : input.outbox.map(redactMutation),
    quarantine: keep ? input.quarantine : input.quarantine.map((q) => ({ ...q, record: redact(q.record) })),
  });
  return {
    format: QA_REPORT_FORMAT,
    version: QA_REPORT_VERSION,
    build: input.build,
    personalData: keep,
    syncLog: [...input.syncLog],
    queue,
  };
}

/** `consult-qa-report-2025-03-01T09-05-07Z.json`. */
export function qaReportFileName(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
  return `consult-qa-report-${stamp}.json`;
}
