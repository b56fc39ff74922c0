/**
 * The QA report: the sync log and the queue in one JSON file for a bug report. By default it holds
 * no personal data (the queue is redacted, `redact.ts`); QA may choose to include the rows, which an
 * import needs.
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
  const queue = buildQueueExport(input);
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
