/**
 * Slots as runs: the pull parser rebuilds the rows the device always stored, from this server's runs
 * and from an older server's plain rows alike, and refuses a run that does not add up.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pullResponse } from './protocol.ts';
import { slotRowsOf, toSlotRuns, wireTime } from './slot-runs.ts';
import { propertyRuns, propertySeed } from './testing/seeded-random.ts';

const DOCTOR = 'd0c70000-0000-4000-8000-000000000001';
const OTHER = 'd0c70000-0000-4000-8000-000000000002';

function slot(n: number, doctor: string, startsAt: string, minutes: number, mode: string, available = true) {
  const start = Date.parse(startsAt);
  return {
    id: `5107${String(n).padStart(4, '0')}-0000-4000-8000-00000000000${n % 10}`,
    doctor_id: doctor,
    starts_at: wireTime(start / 1000),
    ends_at: wireTime(start / 1000 + minutes * 60),
    mode,
    available,
  };
}

const SLOTS = [
  slot(1, DOCTOR, '2026-11-30T03:30:00Z', 30, 'in_person'),
  slot(2, DOCTOR, '2026-11-30T04:00:00Z', 30, 'in_person', false),
  slot(3, DOCTOR, '2026-11-30T06:30:00Z', 30, 'video'),
  slot(4, OTHER, '2026-12-01T03:30:00Z', 15, 'in_person'),
  slot(5, DOCTOR, '2026-12-01T03:30:00Z', 30, 'in_person'),
];

function page(slots: unknown) {
  return {
    cursor: '42',
    hasMore: false,
    changes: { patients: [], appointments: [], clinics: [], doctors: [], slots },
    deleted: [],
  };
}

const byId = (rows: readonly Record<string, unknown>[]) =>
  [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id)));

describe('slot runs', () => {
  it('write Postgres’s UTC text, so a rebuilt time equals a time sent as a row', () => {
    expect(wireTime(Date.parse('2026-11-30T03:30:00Z') / 1000)).toBe('2026-11-30T03:30:00+00:00');
  });

  it('group one doctor’s slots of one mode and length, starts as gaps, taken by position', () => {
    const { runs, rows } = toSlotRuns(SLOTS);
    expect(rows).toEqual([]);
    const inPerson = runs.find((r) => r.doctor_id === DOCTOR && r.mode === 'in_person');
    expect(inPerson).toMatchObject({
      seconds: 1800,
      starts: [Date.parse('2026-11-30T03:30:00Z') / 1000, 1800, 23.5 * 3600],
      ids: [SLOTS[0], SLOTS[1], SLOTS[4]].map((s) => s?.id.replaceAll('-', '')).join(''),
      taken: [1],
    });
    expect(runs).toHaveLength(3);
  });

  it('parse back to the very rows, and an older server’s plain rows parse as they are', () => {
    const fromRuns = pullResponse.parse(page(toSlotRuns(SLOTS))).changes.slots;
    expect(byId(fromRuns)).toEqual(byId(SLOTS));
    const withExtra = SLOTS.map((s) => ({ ...s, created_at: '2026-11-01T00:00:00+00:00' }));
    expect(pullResponse.parse(page(withExtra)).changes.slots).toEqual(withExtra);
  });

  it('carry a slot that is not on a whole second as a plain row, unchanged', () => {
    const odd = {
      ...slot(6, DOCTOR, '2026-12-02T03:30:00Z', 30, 'video'),
      starts_at: '2026-12-02T03:30:00.5+00:00',
    };
    const compact = toSlotRuns([odd, ...SLOTS]);
    expect(compact.rows).toEqual([odd]);
    expect(byId(slotRowsOf(compact))).toEqual(byId([odd, ...SLOTS]));
  });

  it('refuse a run whose ids and starts differ in number, or whose taken is out of range', () => {
    const [run] = toSlotRuns(SLOTS.slice(0, 2)).runs;
    if (!run) throw new Error('no run');
    const short = { runs: [{ ...run, ids: run.ids.slice(32) }], rows: [] };
    expect(pullResponse.safeParse(page(short)).success).toBe(false);
    const outside = { runs: [{ ...run, taken: [2] }], rows: [] };
    expect(pullResponse.safeParse(page(outside)).success).toBe(false);
    const notHex = { runs: [{ ...run, ids: run.ids.replace(/^./, 'g') }], rows: [] };
    expect(pullResponse.safeParse(page(notHex)).success).toBe(false);
    expect(pullResponse.safeParse(page({ runs: [run] })).success).toBe(true);
  });

  it('give back any set of slots exactly, through the parser (seeded; FC_SEED replays)', () => {
    const doctors = [DOCTOR, OTHER, 'd0c70000-0000-4000-8000-000000000003'];
    const slotArb = fc.record({
      id: fc.uuid(),
      doctor: fc.constantFrom(...doctors),
      // Whole seconds from 2026 on, some far apart; a start is unique per doctor, as in the table.
      at: fc.integer({ min: 1_767_225_600, max: 1_767_225_600 + 400 * 86_400 }),
      minutes: fc.constantFrom(10, 15, 30, 45),
      mode: fc.constantFrom('video', 'in_person'),
      available: fc.boolean(),
      fraction: fc.constantFrom(0, 0, 0, 0.5),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(slotArb, { selector: (s) => `${s.doctor}|${s.at}`, maxLength: 60 }),
        (drawn) => {
          const unique = [...new Map(drawn.map((s) => [s.id, s])).values()];
          const rows = unique.map((s) => ({
            id: s.id,
            doctor_id: s.doctor,
            starts_at: s.fraction ? new Date((s.at + s.fraction) * 1000).toISOString() : wireTime(s.at),
            ends_at: wireTime(s.at + s.minutes * 60),
            mode: s.mode,
            available: s.available,
          }));
          const parsed = pullResponse.parse(JSON.parse(JSON.stringify(page(toSlotRuns(rows))))).changes.slots;
          expect(byId(parsed)).toEqual(byId(rows));
        },
      ),
      { seed: propertySeed(), numRuns: propertyRuns(200) },
    );
  });
});
