/**
 * Import of an exported queue into a development build, to reproduce a field bug on a desk: each
 * queued write is written again through the store, in the device's order, as the patient made it.
 * The store gives them new ids, deps and seqs, so the server's ledger treats them as new writes.
 * Only a file with the rows in it (personal data included) can be imported. A file is someone
 * else's data: one too big, of another version, or carrying keys that would reach an object's
 * prototype is refused whole, before anything is written.
 */
import { z } from 'zod/mini';
import { localMutation } from '../../../sync/local-mutation.ts';
import type { SyncStore } from '../../../sync/stores/sync-store.ts';
import { QA_REPORT_FORMAT, QA_REPORT_VERSION } from './qa-report.ts';
import { QUEUE_EXPORT_FORMAT, QUEUE_EXPORT_VERSION } from './queue-export.ts';

/** A field device's queue of 10,000 writes exports to about 10 MB; four times that is no export. */
export const MAX_IMPORT_BYTES = 40 * 1024 * 1024;

const queueFile = z.object({
  format: z.literal(QUEUE_EXPORT_FORMAT),
  version: z.literal(QUEUE_EXPORT_VERSION),
  // Absent in the first exports, which always held the rows.
  personalData: z.optional(z.boolean()),
  outbox: z.array(localMutation),
});
const reportFile = z.object({
  format: z.literal(QA_REPORT_FORMAT),
  version: z.literal(QA_REPORT_VERSION),
  personalData: z.boolean(),
  queue: queueFile,
});
/** Just enough to tell "an export, of another version" from "not an export". */
const anyExport = z.object({ format: z.enum([QUEUE_EXPORT_FORMAT, QA_REPORT_FORMAT]) });

/** No column or field is called so: in a file they can only be there to reach a prototype. */
const HOSTILE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type ImportRefusal =
  | 'too-big'
  | 'unreadable'
  | 'not-json'
  | 'hostile-keys'
  | 'not-an-export'
  | 'wrong-version'
  | 'redacted'
  | 'write-failed';

export type ImportResult =
  | { ok: true; written: number }
  | { ok: false; reason: Exclude<ImportRefusal, 'write-failed'> }
  | { ok: false; reason: 'write-failed'; written: number; detail: string };

/** Parses JSON, or says why not; a hostile key anywhere refuses the whole file. */
function parseJson(text: string): { json: unknown } | { reason: 'not-json' | 'hostile-keys' } {
  let hostile = false;
  let json: unknown;
  try {
    json = JSON.parse(text, (key, value: unknown) => {
      if (HOSTILE_KEYS.has(key)) hostile = true;
      return value;
    });
  } catch {
    return { reason: 'not-json' };
  }
  return hostile ? { reason: 'hostile-keys' } : { json };
}

/** The file's queue, or why it cannot be imported. */
function queueOf(json: unknown): z.infer<typeof queueFile> | Exclude<ImportRefusal, 'write-failed'> {
  const report = reportFile.safeParse(json);
  if (report.success) return report.data.personalData ? report.data.queue : 'redacted';
  const queue = queueFile.safeParse(json);
  if (queue.success) return queue.data.personalData === false ? 'redacted' : queue.data;
  if (!anyExport.safeParse(json).success) return 'not-an-export';
  const version = (json as { version?: unknown }).version;
  return version === QUEUE_EXPORT_VERSION || version === QA_REPORT_VERSION
    ? 'not-an-export'
    : 'wrong-version';
}

export async function importQueue(store: Pick<SyncStore, 'write'>, text: string): Promise<ImportResult> {
  if (text.length > MAX_IMPORT_BYTES) return { ok: false, reason: 'too-big' };
  const parsed = parseJson(text);
  if ('reason' in parsed) return { ok: false, reason: parsed.reason };
  const file = queueOf(parsed.json);
  if (typeof file === 'string') return { ok: false, reason: file };
  const outbox = [...file.outbox].sort((a, b) => a.seq - b.seq);
  let written = 0;
  try {
    for (const m of outbox) {
      if (m.op === 'delete') await store.write({ entity: m.entity, op: 'delete', key: m.key });
      else await store.write({ entity: m.entity, op: 'upsert', row: m.data ?? {} });
      written++;
    }
  } catch (error) {
    // A row the store refuses (this build's rules differ from the field device's): say which, and
    // how many went in before it, rather than fail silently halfway.
    return { ok: false, reason: 'write-failed', written, detail: String(error) };
  }
  return { ok: true, written: outbox.length };
}

/** A chosen file: its size is checked before it is read, so a huge one is never loaded whole. */
export async function importQueueFile(
  store: Pick<SyncStore, 'write'>,
  file: Pick<Blob, 'size' | 'text'>,
): Promise<ImportResult> {
  if (file.size > MAX_IMPORT_BYTES) return { ok: false, reason: 'too-big' };
  let text: string;
  try {
    text = await file.text();
  } catch {
    // Moved or deleted since it was chosen, or a folder: said, rather than an unhandled rejection.
    return { ok: false, reason: 'unreadable' };
  }
  return importQueue(store, text);
}
