/**
 * Which rows the outbox holds entries of, kept by a store between its transactions, so that merging
 * a batch's answers need not look each of its rows up in the outbox. That lookup is an IndexedDB
 * request per row: at 10,000 queued writes, 1,000 requests a round, with their events and results,
 * about a fifth of the page's and of IndexedDB's CPU over the drain and much of its garbage
 * (`DRAIN_10K_PROFILE=heap npm run bench -- drain-10k`). With this index only the rows it names are
 * looked up, exactly as before; the others hold no entry.
 *
 * Why it stays a superset of the truth without being read again:
 * - an entry never changes its row;
 * - a new entry takes a seq above every entry committed before it (seqs are never reused, and the
 *   outbox's read-write transactions run one after another), so entries past `upTo` are read anew
 *   each time;
 * - an entry may take a seq at or below `upTo` only as a replacement (a retry, a collapsed group),
 *   which `OutboxChange.replace` records here; one made elsewhere (another tab) replaces an entry of
 *   the same row, whose id this index still holds;
 * - removals are forgotten only once their transaction committed; one this index never hears of
 *   (another tab, a quarantine) leaves a stale id, which only makes its row looked up.
 * The one case it can miss: this store removes an entry another tab has just replaced in place
 * (the same rejected write discarded here and retried there at once). The retry is still sent; only
 * an answer of that row merged before it is answered may show the server's row meanwhile. The
 * index is read whole again whenever a change finds the outbox empty or the index far larger.
 */
import type { RawTx } from './raw-tables.ts';

/** Entries read per request while building. */
const WINDOW = 1000;

interface Entry {
  id: string;
  /** `entity:key` (as `refKey` writes it). */
  row: string;
  seq: number;
}

/** The id, row and seq of a stored record, unparsed; null when it has none (it makes the index unsure). */
function entryOf(raw: unknown): Entry | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { id, entity, key, seq } = raw as Record<string, unknown>;
  if (typeof id !== 'string' || typeof entity !== 'string' || typeof key !== 'string') return null;
  if (typeof seq !== 'number') return null;
  return { id, row: `${entity}:${key}`, seq };
}

export class OutboxRows {
  private readonly rowOf = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  /** Every entry with a seq up to this one is in the maps (or was removed since); null: never built. */
  private upTo: number | null = null;

  /** What one transaction reads of the index and changes in it: kept only if it commits (`commit`). */
  session(tx: RawTx): OutboxRowsSession {
    return new OutboxRowsSession(this, tx);
  }

  /** For a session: the row of a known entry, and the entries known of a row. */
  rowOfId(id: string): string | undefined {
    return this.rowOf.get(id);
  }

  entriesOf(row: string): number {
    return this.counts.get(row) ?? 0;
  }

  get builtUpTo(): number | null {
    return this.upTo;
  }

  /** Entries it holds, stale ones included. */
  get size(): number {
    return this.rowOf.size;
  }

  /** A committed session's changes, removals before additions: a collapse removes and puts one id. */
  update(
    rebuilt: readonly Entry[] | null,
    upTo: number | null,
    removed: ReadonlySet<string>,
    added: readonly Entry[],
  ): void {
    if (rebuilt) {
      this.rowOf.clear();
      this.counts.clear();
      for (const e of rebuilt) this.add(e);
    }
    // Only a session that read the outbox past the index (or all of it) moves this on.
    if (upTo !== null && (rebuilt || this.upTo !== null)) this.upTo = Math.max(this.upTo ?? -1, upTo);
    for (const id of removed) {
      const row = this.rowOf.get(id);
      if (row === undefined) continue;
      this.rowOf.delete(id);
      const left = (this.counts.get(row) ?? 1) - 1;
      if (left > 0) this.counts.set(row, left);
      else this.counts.delete(row);
    }
    for (const e of added) this.add(e);
  }

  private add(e: Entry): void {
    if (this.rowOf.has(e.id)) return;
    this.rowOf.set(e.id, e.row);
    this.counts.set(e.row, (this.counts.get(e.row) ?? 0) + 1);
  }
}

export class OutboxRowsSession {
  private readonly removed = new Set<string>();
  private readonly added: Entry[] = [];
  private rebuilt: Entry[] | null = null;
  /** The last seq this session read up to; null if it read nothing. */
  private upTo: number | null = null;

  constructor(
    private readonly index: OutboxRows,
    private readonly tx: RawTx,
  ) {}

  /** Entries this transaction deleted. */
  remove(ids: readonly string[]): void {
    for (const id of ids) this.removed.add(id);
  }

  /** An entry this transaction put in place of others (it may keep their seq). */
  put(record: unknown): void {
    const e = entryOf(record);
    if (e) this.added.push(e);
  }

  /**
   * The outbox is empty in this transaction: the index drops what it holds (stale ids of other
   * tabs' removals) and keeps its `upTo`, past which every later entry's seq lies.
   */
  emptied(): void {
    this.rebuilt = [];
  }

  /**
   * Which of `wanted` (`entity:key`) may hold entries now, as this transaction sees the outbox of
   * `size` entries: a superset, from the index and the entries past it; null when a record could not
   * be read as an entry (then every row is to be looked up). An index holding far more entries than
   * the outbox (other tabs' removals) is read again.
   */
  async holding(wanted: ReadonlySet<string>, size: number): Promise<Set<string> | null> {
    const stale = this.index.size > 2 * size + WINDOW;
    const from = stale ? null : this.index.builtUpTo;
    const after = await this.readAfter(from ?? -1);
    if (after === null) return null;
    const { read, upTo } = after;
    this.upTo = upTo;
    if (from === null) {
      // Read now, within this transaction: its removals and additions are already in it.
      this.rebuilt = read;
      return new Set(read.filter((e) => wanted.has(e.row)).map((e) => e.row));
    }
    const count = new Map<string, number>();
    const change = (row: string | undefined, by: number) => {
      if (row !== undefined && wanted.has(row)) count.set(row, (count.get(row) ?? 0) + by);
    };
    for (const row of wanted) count.set(row, this.index.entriesOf(row));
    for (const id of this.removed) change(this.index.rowOfId(id), -1);
    for (const e of this.added) change(e.row, 1);
    // One at a time: spread as arguments, an outbox of some 100,000 entries overflows the stack.
    for (const e of read) {
      change(e.row, 1);
      this.added.push(e);
    }
    return new Set([...count].filter(([, n]) => n > 0).map(([row]) => row));
  }

  /** Entries with a seq above `after`, a window at a time, and the last seq read; null if one is not an entry. */
  private async readAfter(after: number): Promise<{ read: Entry[]; upTo: number } | null> {
    const read: Entry[] = [];
    let upTo = after;
    for (;;) {
      const raws = await this.tx.mutationsAfter(upTo, WINDOW);
      for (const raw of raws) {
        const e = entryOf(raw);
        if (!e) return null;
        read.push(e);
        upTo = e.seq;
      }
      if (raws.length < WINDOW) return { read, upTo };
    }
  }

  /** Called once the transaction committed. */
  commit(): void {
    this.index.update(this.rebuilt, this.upTo, this.removed, this.added);
  }
}
