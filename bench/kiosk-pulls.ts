/**
 * The kiosk row's raw calls to `sync_pull`, no engine: a device's first pull read raw (its
 * baseline), and what a full pull carries by table (printed after the runs).
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { KIOSK_PULL_PAGE_BYTES } from '../src/data/kiosk-transport.ts';
import { DEFAULT_PULL_PAGE_BYTES, DEFAULT_PULL_PAGE_ROWS } from '../sync/drain.ts';
import type { PullWire } from '../sync/protocol.ts';
import type { BenchStack } from './bench-stack.ts';

/** A call the server turned away (no connection free in time, 5xx) is sent again at once. */
export async function untilAnswered<T>(
  call: () => Promise<{ status: number; value: T }>,
  tally: () => void,
): Promise<{ status: number; value: T }> {
  for (;;) {
    const { status, value } = await call();
    if (status < 500) return { status, value };
    tally();
  }
}

/**
 * A kiosk's first pull, read raw: of each page only the cursor and `hasMore` are looked at, so the
 * Node thread that plays every device does next to nothing per row. Returns the rows it carried
 * (counted in the text: each row's "id", and 32 hex digits per slot of a run's "ids").
 */
export async function rawPull(bench: BenchStack, client: SupabaseClient, tally: () => void): Promise<number> {
  const token = (await client.auth.getSession()).data.session?.access_token;
  if (!token) throw new Error('raw pull: no session');
  let since: string | null = null;
  let rows = 0;
  for (let more = true; more; ) {
    // As the app's kiosk pulls (kiosk-transport.ts): its page, its page size.
    const body: string = JSON.stringify({
      since,
      max_rows: DEFAULT_PULL_PAGE_ROWS,
      max_bytes: KIOSK_PULL_PAGE_BYTES,
      kiosk: true,
    });
    const answer: { status: number; value: string } = await untilAnswered(async () => {
      const res = await fetch(`${bench.stack.url}/rest/v1/rpc/sync_pull`, {
        method: 'POST',
        headers: {
          apikey: bench.stack.anonKey,
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body,
      });
      return { status: res.status, value: await res.text() };
    }, tally);
    const text: string = answer.value;
    if (answer.status !== 200) throw new Error(`raw pull failed: ${answer.status} ${text.slice(0, 200)}`);
    // jsonb prints keys by length, then bytes: "cursor" first, "hasMore" last; every row has one "id".
    since = /^\{"cursor": "([^"]+)"/.exec(text)?.[1] ?? null;
    if (since === null) throw new Error('raw pull: no cursor in the answer');
    more = text.endsWith('"hasMore": true}');
    rows += text.split('"id": ').length - 1;
    // Slots travel as runs: 32 hex digits of id each.
    for (const ids of text.matchAll(/"ids": "([0-9a-f]*)"/g)) rows += (ids[1]?.length ?? 0) / 32;
  }
  return rows;
}

/** Rows and bytes of one table in a pull. */
export interface PulledKind {
  rows: number;
  bytes: number;
}

/**
 * What a staff device's full pull from nothing carries now, by table: rows (slots counted one by
 * one, though they travel as runs) and bytes of each table's JSON as the server wrote it. Read
 * after a run, so it holds the run's patients and appointments: what a kiosk set up then pulls
 * (`kiosk`), or what it pulled before `sync_pull` had a kiosk's page.
 */
export async function firstPullByKind(
  bench: BenchStack,
  kiosk: boolean,
): Promise<Record<string, PulledKind> & { total: PulledKind }> {
  const client = await bench.staffClient();
  const token = (await client.auth.getSession()).data.session?.access_token;
  if (!token) throw new Error('first pull by kind: no session');
  const out: Record<string, PulledKind> = {};
  const total: PulledKind = { rows: 0, bytes: 0 };
  const add = (kind: string, rows: number, bytes: number) => {
    const k = out[kind] ?? { rows: 0, bytes: 0 };
    out[kind] = { rows: k.rows + rows, bytes: k.bytes + bytes };
  };
  for (let since: string | null = null, more = true; more; ) {
    const res = await fetch(`${bench.stack.url}/rest/v1/rpc/sync_pull`, {
      method: 'POST',
      headers: {
        apikey: bench.stack.anonKey,
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        since,
        max_rows: DEFAULT_PULL_PAGE_ROWS,
        max_bytes: DEFAULT_PULL_PAGE_BYTES,
        ...(kiosk ? { kiosk } : {}),
      }),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`first pull by kind: ${res.status} ${text.slice(0, 200)}`);
    const page = JSON.parse(text) as PullWire;
    total.bytes += Buffer.byteLength(text);
    for (const [table, value] of Object.entries(page.changes)) {
      // Each table's JSON as Postgres prints jsonb (", " and ": "), so the kinds add up to the page.
      const bytes = Buffer.byteLength(JSON.stringify(value).replace(/([,:])(?=["[{0-9tfn-])/g, '$1 '));
      const rows = Array.isArray(value)
        ? value.length
        : value.runs.reduce((n, r) => n + r.ids.length / 32, 0) + (value.rows?.length ?? 0);
      add(table, rows, bytes);
      total.rows += rows;
    }
    add('deleted', page.deleted.length, Buffer.byteLength(JSON.stringify(page.deleted)));
    total.rows += page.deleted.length;
    since = page.cursor;
    more = page.hasMore ?? false;
  }
  return { ...out, total };
}
