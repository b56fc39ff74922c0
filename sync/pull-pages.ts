/**
 * The pull half of a drain: page after page from the cursor the store holds, each merged with its
 * cursor in one store transaction as it arrives (one page in memory at a time, and a failure mid-way
 * keeps the pages already merged), and the full resync when the server will not go on from that
 * cursor. The push rounds merge the page a push brought back through the same `store.applyPull`.
 */
import { type Call, Refused, Stop } from './drain-calls.ts';
import { ERROR_KINDS, isTransportError } from './errors.ts';
import type { Logger } from './ports.ts';
import type { SyncStore } from './stores/sync-store.ts';
import type { PullOptions, SyncTransport } from './transports/transport.ts';

export interface PullPagesContext {
  store: SyncStore;
  transport: SyncTransport;
  log: Logger;
  /** The size of each page. */
  page: PullOptions;
  /** Most pages in this drain, counting those the push rounds merged already (`pagesSoFar`). */
  maxPages: number;
}

export interface PulledPages {
  /** Rows merged from these pages. */
  pulled: number;
  /** Pages of this drain, `pagesSoFar` included (a refused cursor's call counts as one). */
  pages: number;
  /** Pages were left for the next drain. */
  morePull: boolean;
}

/** A pull the server will not continue from this cursor: resync from the start. */
const CURSOR_GONE: unique symbol = Symbol('cursor gone');

/** `startEpoch`: the store's when the drain began; a page is merged only while its epoch holds. */
export async function pullPages(
  ctx: PullPagesContext,
  call: Call,
  startEpoch: number,
  pagesSoFar: number,
): Promise<PulledPages> {
  const { store, transport } = ctx;
  let epoch = startEpoch;
  let pulled = 0;
  let resynced = false;
  for (let pages = pagesSoFar + 1; ; pages++) {
    const cursor = await store.getCursor();
    const page = await call(() =>
      transport.pull(cursor, ctx.page).catch((e: unknown): typeof CURSOR_GONE => {
        // 410: the server purged the history this cursor points into (sync retention).
        if (cursor !== null && isTransportError(e) && e.status === 410) return CURSOR_GONE;
        throw e;
      }),
    ).catch((e: unknown): typeof CURSOR_GONE => {
      // A page cannot be split. A refused pull from a cursor is a cursor the server will not take.
      if (e instanceof Refused && cursor !== null) return CURSOR_GONE;
      if (!(e instanceof Refused)) throw e;
      const { kind, error } = e.action;
      throw new Stop({ type: 'retry-later', kind, message: error.message, retryAfterMs: null });
    });
    if (page === CURSOR_GONE) {
      if (resynced) {
        const message = 'the server refused a full pull after a resync';
        throw new Stop({ type: 'retry-later', kind: ERROR_KINDS.badRequest, message, retryAfterMs: null });
      }
      // Full resync, never silent loss: the device's copies of server rows go (rows with unsent
      // writes stay, and so does the whole outbox), and the pull starts again from nothing, so a row
      // deleted on the server while this device was away does not linger. Conflict notices and
      // quarantined records go with them, as on sign-out.
      ctx.log.warn('pull cursor refused: full resync', { hadCursor: true });
      await store.purge({ everyone: true });
      epoch = await store.getEpoch();
      resynced = true;
      continue;
    }
    pulled += (await store.applyPull(page, epoch)).merged;
    if (!page.hasMore) return { pulled, pages, morePull: false };
    // Signed out meanwhile: the page was dropped and the cursor reset; the next session's drain
    // starts over under its own user.
    if ((await store.getEpoch()) !== epoch) return { pulled, pages, morePull: false };
    if (pages >= ctx.maxPages) return { pulled, pages, morePull: true };
  }
}
