import { describe, expect, it } from 'vitest';
import { patientRow } from '../testing/fixtures.ts';
import { MemoryTables } from '../testing/memory-store.ts';
import { applyChange } from './apply-change.ts';
import { sameRecord } from './merge-rows.ts';
import type { RawTx } from './raw-tables.ts';
import type { RowChange } from './sync-store.ts';
import { TxReader } from './tx-reader.ts';

describe('sameRecord', () => {
  it.each([
    [{ a: 1, b: 'x' }, { b: 'x', a: 1 }, true],
    [{ a: 1 }, { a: 1, b: null }, false],
    [{ a: 1, b: null }, { a: 1 }, false],
    [{ a: 1 }, { a: 2 }, false],
    [{ a: { b: [1, 2] } }, { a: { b: [1, 2] } }, true],
    [{ a: { b: [1, 2] } }, { a: { b: [2, 1] } }, false],
    [{ a: [1] }, { a: { 0: 1 } }, false],
    [{ a: 1 }, undefined, false],
    [null, null, true],
  ])('%j and %j: %s', (a, b, same) => {
    expect(sameRecord(a, b)).toBe(same);
  });
});

describe('applyChange, server rows', () => {
  /** Applies `rows` in one transaction, counting the rows it put. */
  async function merge(tables: MemoryTables, rows: RowChange[]) {
    let put = 0;
    const report = await tables.transaction((tx) => {
      const counting: RawTx = {
        ...tx,
        putRows: (table, written) => {
          put += written.length;
          return tx.putRows(table, written);
        },
      };
      return applyChange(new TxReader(counting, () => new Date()), { serverRows: rows });
    });
    return { report, put };
  }

  it('merges a row stored exactly as it comes without writing it again (a push row the next page repeats)', async () => {
    const tables = new MemoryTables();
    const row = { ...patientRow('00000000-0000-4000-8000-0000000000a1'), version: 1 };
    const change: RowChange = { table: 'patients', key: row.id, row };
    expect(await merge(tables, [change])).toEqual({ report: { merged: 1, skipped: 0 }, put: 1 });
    expect(await merge(tables, [{ ...change, row: { ...row } }])).toEqual({
      report: { merged: 1, skipped: 0 },
      put: 0,
    });
    // The same version with something more (a column the server added since) is written.
    const more = { ...row, notes: 'added' };
    expect(await merge(tables, [{ ...change, row: more }])).toEqual({
      report: { merged: 1, skipped: 0 },
      put: 1,
    });
    const stored = await tables.transaction((tx) => tx.getRow('patients', row.id));
    expect(stored).toEqual(more);
  });
});
