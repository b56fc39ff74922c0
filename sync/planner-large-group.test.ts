import { describe, expect, it } from 'vitest';
import type { LocalMutation } from './local-mutation.ts';
import { planOutbox } from './planner.ts';
import { slotRowsOf } from './slot-runs.ts';
import { patientRow } from './testing/fixtures.ts';
import { MemoryStore } from './testing/memory-store.ts';
import { seededIds } from './testing/seeded-random.ts';

// More than a call's arguments can hold: a spread of this many throws RangeError.
const HUGE = 200_000;

describe('sizes users control are folded, never spread into a call', () => {
  it('plans one row edited offline 200,000 times as one write under its newest seq', async () => {
    const store = new MemoryStore({ newId: seededIds(1) });
    const row = patientRow(seededIds(2)());
    await store.write({ entity: 'patients', op: 'upsert', row });
    const [first, second] = [
      ...(await store.listOutbox()),
      await store.write({ entity: 'patients', op: 'upsert', row: { ...row, full_name: 'Edit' } }),
    ];
    if (!first || !second) throw new Error('two writes were queued');
    const edits: LocalMutation[] = [first];
    for (let i = 1; i < HUGE; i++) {
      const prev = edits[i - 1] as LocalMutation;
      edits.push({ ...second, id: `edit-${i}`, seq: first.seq + i, deps: [prev.id] });
    }
    const plan = planOutbox(edits);
    expect(plan.batches.flat()).toHaveLength(1);
    const [only] = plan.batches.flat();
    expect(only?.covers).toHaveLength(HUGE);
    expect(only?.wire.seq).toBe(first.seq + HUGE - 1);
  });

  it("expands a page's 200,000 plain slot rows", () => {
    const row = {
      id: '00000000-0000-4000-8000-000000000001',
      doctor_id: '00000000-0000-4000-8000-000000000002',
      starts_at: '2031-01-01T09:00:00.000Z',
      ends_at: '2031-01-01T09:30:00.000Z',
      mode: 'video',
      available: true,
    } as const;
    const rows = slotRowsOf({ runs: [], rows: Array.from({ length: HUGE }, () => row) });
    expect(rows).toHaveLength(HUGE);
  });
});
