import { describe, expect, it } from 'vitest';
import { OutboxRows } from './outbox-rows.ts';
import type { RawTx } from './raw-tables.ts';

/** The one read the index makes, over records held in seq order (what a transaction would see). */
function txOver(records: Record<string, unknown>[]): RawTx {
  const tx: Pick<RawTx, 'mutationsAfter'> = {
    mutationsAfter: async (afterSeq, limit) =>
      records.filter((r) => typeof r.seq !== 'number' || r.seq > afterSeq).slice(0, limit),
  };
  // Only mutationsAfter is ever called by the index.
  return tx as RawTx;
}

const entry = (id: string, key: string, seq: number) => ({ id, entity: 'patients', key, seq });

describe('OutboxRows', () => {
  it('forgets an entry only once the transaction that removed it committed', async () => {
    const outbox = [entry('m1', 'a', 1), entry('m2', 'b', 2)];
    const index = new OutboxRows();
    const wanted = new Set(['patients:a', 'patients:b']);
    const build = index.session(txOver(outbox));
    expect(await build.holding(wanted, 2)).toEqual(new Set(['patients:a', 'patients:b']));
    build.commit();

    const aborted = index.session(txOver(outbox.slice(1)));
    aborted.remove(['m1']);
    expect(await aborted.holding(wanted, 2)).toEqual(new Set(['patients:b']));
    // Never committed: m1 is still there, and so its row.
    const after = index.session(txOver(outbox));
    expect(await after.holding(wanted, 2)).toEqual(new Set(['patients:a', 'patients:b']));

    const removed = index.session(txOver(outbox.slice(1)));
    removed.remove(['m1']);
    await removed.holding(wanted, 2);
    removed.commit();
    expect(await index.session(txOver(outbox.slice(1))).holding(wanted, 2)).toEqual(new Set(['patients:b']));
  });

  it('keeps a replacement that took the seq of what it replaced, and reads entries queued since', async () => {
    const index = new OutboxRows();
    const build = index.session(txOver([entry('m1', 'a', 1), entry('m2', 'b', 2)]));
    await build.holding(new Set(), 2);
    build.commit();
    // m1 collapsed into m9 at seq 1 (same row), then c queued at seq 3.
    const now = [entry('m9', 'a', 1), entry('m2', 'b', 2), entry('m3', 'c', 3)];
    const replaced = index.session(txOver(now));
    replaced.remove(['m1']);
    replaced.put(entry('m9', 'a', 1));
    replaced.commit();
    const wanted = new Set(['patients:a', 'patients:c', 'patients:d']);
    expect(await index.session(txOver(now)).holding(wanted, 2)).toEqual(
      new Set(['patients:a', 'patients:c']),
    );
  });

  it('drops what it holds once the outbox is seen empty (ids another tab removed)', async () => {
    const index = new OutboxRows();
    const build = index.session(txOver([entry('m1', 'a', 1)]));
    await build.holding(new Set(), 1);
    build.commit();
    const empty = index.session(txOver([]));
    empty.emptied();
    empty.commit();
    const wanted = new Set(['patients:a', 'patients:b']);
    expect(await index.session(txOver([entry('m5', 'b', 5)])).holding(wanted, 1)).toEqual(
      new Set(['patients:b']),
    );
  });

  it('asks for every row when a record is not readable as an entry', async () => {
    const index = new OutboxRows();
    const session = index.session(txOver([entry('m1', 'a', 1), { id: 'm2', seq: 2 }]));
    expect(await session.holding(new Set(['patients:a']), 2)).toBeNull();
  });
});
