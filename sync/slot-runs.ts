/**
 * The compact wire form of slots in a pull page (`changes.slots`), and its way back to the rows the
 * device has always stored. About 40 bytes a slot instead of 300: a new phone's first sync carries
 * every bookable slot, and most of a row was the same doctor, mode and times written out again.
 *
 * A run is the page's slots of one doctor, one mode and one length, in start order:
 * - `starts`: the first start in Unix seconds, then each start's gap to the one before;
 * - `ids`: the slot ids, 32 hex digits each (a uuid without its dashes), one string;
 * - `taken`: 0-based positions of the slots an active appointment holds (`available: false`).
 * `rows` carries, as plain rows, any slot a run cannot hold exactly (a start that is not a whole
 * second). The SQL that writes it is `private.slot_runs` (migration 20261130300000).
 */
import { z } from 'zod/mini';
import { plainRecord } from './plain-record.ts';
import { object } from './zod-object.ts';

export type SlotRow = Record<string, unknown>;

export const slotRun = object({
  doctor_id: z.string(),
  mode: z.string(),
  seconds: z.int().check(z.positive()),
  starts: z.array(z.int().check(z.nonnegative())),
  ids: z.string().check(z.regex(/^(?:[0-9a-f]{32})*$/)),
  taken: z._default(z.array(z.int().check(z.nonnegative())), []),
});
export type SlotRun = z.infer<typeof slotRun>;

export const slotRuns = object({
  runs: z.array(slotRun),
  rows: z._default(z.array(plainRecord), []),
});
export type SlotRuns = z.infer<typeof slotRuns>;

/** A uuid from its 32 hex digits. */
function uuidOf(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A time as Postgres writes a timestamptz in UTC (`2026-11-30T03:30:00+00:00`), so a rebuilt slot
 * and a slot sent as a row, and the appointment copying its times, hold the same text.
 */
export function wireTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace('.000Z', '+00:00');
}

/** Why a run cannot be read, or null when it can. */
export function runProblem(run: SlotRun): string | null {
  if (run.ids.length !== run.starts.length * 32) return 'ids and starts differ in length';
  if (run.starts.slice(1).some((step) => step === 0)) return 'two slots start at the same time';
  if (run.taken.some((i) => i >= run.starts.length)) return 'taken names a slot the run does not hold';
  return null;
}

/** The slot rows a page's runs stand for, in run order, then the plain rows. */
export function slotRowsOf(compact: SlotRuns): SlotRow[] {
  const out: SlotRow[] = [];
  for (const run of compact.runs) {
    const taken = new Set(run.taken);
    let at = 0;
    run.starts.forEach((step, i) => {
      at += step;
      out.push({
        id: uuidOf(run.ids.slice(i * 32, i * 32 + 32)),
        doctor_id: run.doctor_id,
        starts_at: wireTime(at),
        ends_at: wireTime(at + run.seconds),
        mode: run.mode,
        available: !taken.has(i),
      });
    });
  }
  // Not spread into arguments: a page's plain rows are as many as the server sent.
  for (const row of compact.rows) out.push(row);
  return out;
}

/**
 * Slots as runs, as the server sends them: for the in-process server and tests. Rows without whole
 * second times (or without the columns a run needs) go as plain rows.
 */
export function toSlotRuns(rows: readonly SlotRow[]): SlotRuns {
  const groups = new Map<string, { run: SlotRun; at: number[]; ids: string[]; free: boolean[] }>();
  const plain: SlotRow[] = [];
  for (const row of rows) {
    const start = Date.parse(String(row.starts_at));
    const end = Date.parse(String(row.ends_at));
    const { id, doctor_id, mode } = row;
    const whole = start % 1000 === 0 && end % 1000 === 0 && end > start && start >= 0;
    if (!whole || typeof id !== 'string' || typeof doctor_id !== 'string' || typeof mode !== 'string') {
      plain.push(row);
      continue;
    }
    const seconds = (end - start) / 1000;
    const key = `${doctor_id}|${mode}|${seconds}`;
    const group = groups.get(key) ?? {
      run: { doctor_id, mode, seconds, starts: [], ids: '', taken: [] },
      at: [],
      ids: [],
      free: [],
    };
    groups.set(key, group);
    group.at.push(start / 1000);
    group.ids.push(id.replaceAll('-', '').toLowerCase());
    group.free.push(row.available !== false);
  }
  const runs = [...groups.values()].map(({ run, at, ids, free }) => {
    const order = at.map((_, i) => i).sort((a, b) => (at[a] ?? 0) - (at[b] ?? 0));
    const starts = order.map((i, n) => (at[i] ?? 0) - (n === 0 ? 0 : (at[order[n - 1] ?? 0] ?? 0)));
    return {
      ...run,
      starts,
      ids: order.map((i) => ids[i]).join(''),
      taken: order.flatMap((i, n) => (free[i] ? [] : [n])),
    };
  });
  return { runs, rows: plain };
}
