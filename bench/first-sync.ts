/**
 * A new phone's first sync: a patient signed in anonymously pulls from no cursor, page after page
 * of the size the engine asks for, on a stack holding only the seed (the demo clinics' slots).
 * Counts the bytes of each answer as they come over the wire, and gzipped, and what the same pages
 * weighed before slots travelled as runs (each page with its slots as whole rows, as the server
 * wrote them then: measured in the same run, from the same database).
 */
import { gzipSync } from 'node:zlib';
import { DEFAULT_PULL_PAGE_BYTES, DEFAULT_PULL_PAGE_ROWS } from '../sync/drain.ts';
import { PULLED_TABLES, pullResponse } from '../sync/protocol.ts';
import type { BenchStack } from './bench-stack.ts';

export interface FirstSync {
  pages: number;
  rows: number;
  slots: number;
  slotsInDb: number;
  rawBytes: number;
  gzipBytes: number;
  largestPageRows: number;
  largestPageBytes: number;
  /** The same pages with slots as whole rows: the format before runs. */
  rowsFormat: { rawBytes: number; gzipBytes: number };
}

export async function measureFirstSync(bench: BenchStack): Promise<FirstSync> {
  const client = await bench.anonClient();
  const token = (await client.auth.getSession()).data.session?.access_token;
  if (!token) throw new Error('first sync: no session');
  const out: FirstSync = {
    pages: 0,
    rows: 0,
    slots: 0,
    slotsInDb: await bench.countSlots(),
    rawBytes: 0,
    gzipBytes: 0,
    largestPageRows: 0,
    largestPageBytes: 0,
    rowsFormat: { rawBytes: 0, gzipBytes: 0 },
  };
  let since: string | null = null;
  for (let more = true; more; ) {
    const res = await fetch(`${bench.stack.url}/rest/v1/rpc/sync_pull`, {
      method: 'POST',
      headers: {
        apikey: bench.stack.anonKey,
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ since, max_rows: DEFAULT_PULL_PAGE_ROWS, max_bytes: DEFAULT_PULL_PAGE_BYTES }),
    });
    const body = Buffer.from(await res.arrayBuffer());
    if (!res.ok) throw new Error(`first sync: ${res.status} ${body.toString('utf8')}`);
    const page = pullResponse.parse(JSON.parse(body.toString('utf8')));
    const rows = PULLED_TABLES.reduce((sum, t) => sum + page.changes[t].length, 0);
    out.pages += 1;
    out.rows += rows;
    out.slots += page.changes.slots.length;
    out.rawBytes += body.length;
    out.gzipBytes += gzipSync(body).length;
    out.largestPageRows = Math.max(out.largestPageRows, rows);
    out.largestPageBytes = Math.max(out.largestPageBytes, body.length);
    const before = await rowsFormatPage(bench, body.toString('utf8'), page.changes.slots);
    out.rowsFormat.rawBytes += before.length;
    out.rowsFormat.gzipBytes += gzipSync(before).length;
    since = page.cursor;
    more = page.hasMore;
  }
  return out;
}

/**
 * The page as the server wrote it before runs: its text with the slots' runs swapped for the same
 * slots as whole rows, both printed by Postgres (the runs by the very function that wrote the page).
 */
async function rowsFormatPage(
  bench: BenchStack,
  text: string,
  slots: readonly Record<string, unknown>[],
): Promise<Buffer> {
  const { runs, rows } = await bench.slotTexts(slots.map((s) => String(s.id)));
  const at = text.indexOf(`"slots": ${runs}`);
  if (at < 0) throw new Error('first sync: the page does not hold its slots as runs');
  return Buffer.from(text.replace(`"slots": ${runs}`, `"slots": ${rows}`), 'utf8');
}
