/**
 * Import of an exported queue into a development build, to reproduce a field bug on a desk: each
 * queued write is written again through the store, in the device's order, as the patient made it.
 * The store gives them new ids, deps and seqs, so the server's ledger treats them as new writes.
 * Only a file with the rows in it (personal data included) can be imported.
 */
import { z } from 'zod/mini';
import { localMutation } from '../../../sync/local-mutation.ts';
import type { SyncStore } from '../../../sync/stores/sync-store.ts';
import { QA_REPORT_FORMAT } from './qa-report.ts';
import { QUEUE_EXPORT_FORMAT } from './queue-export.ts';

const queueFile = z.object({ format: z.literal(QUEUE_EXPORT_FORMAT), outbox: z.array(localMutation) });
const reportFile = z.object({
  format: z.literal(QA_REPORT_FORMAT),
  personalData: z.boolean(),
  queue: queueFile,
});

export type ImportResult =
  | { ok: true; written: number }
  | { ok: false; reason: 'not-json' | 'not-an-export' | 'redacted' };

export async function importQueue(store: Pick<SyncStore, 'write'>, text: string): Promise<ImportResult> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not-json' };
  }
  const report = reportFile.safeParse(json);
  if (report.success && !report.data.personalData) return { ok: false, reason: 'redacted' };
  const file = report.success ? report.data.queue : queueFile.safeParse(json).data;
  if (!file) return { ok: false, reason: 'not-an-export' };
  const outbox = [...file.outbox].sort((a, b) => a.seq - b.seq);
  for (const m of outbox) {
    if (m.op === 'delete') await store.write({ entity: m.entity, op: 'delete', key: m.key });
    else await store.write({ entity: m.entity, op: 'upsert', row: m.data ?? {} });
  }
  return { ok: true, written: outbox.length };
}
