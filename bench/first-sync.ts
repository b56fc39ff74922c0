/**
 * A new phone's first sync: a patient signed in anonymously pulls from no cursor, page after page
 * of the size the engine asks for, on a stack holding only the seed (the demo clinics' slots).
 * Counts the bytes of each answer as they come over the wire, and gzipped.
 */
import { gzipSync } from 'node:zlib';
import { DEFAULT_PULL_PAGE_ROWS } from '../sync/drain.ts';
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
      body: JSON.stringify({ since, max_rows: DEFAULT_PULL_PAGE_ROWS }),
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
    since = page.cursor;
    more = page.hasMore;
  }
  return out;
}
