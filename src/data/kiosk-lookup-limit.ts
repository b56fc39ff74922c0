/**
 * How many "Find me" searches may find nobody. Without a limit, a stranger at the tablet who knows
 * someone's phone number tries the years of birth one after another (about 80 searches) and learns
 * that this person is registered at this clinic, their first name and their year of birth; with a
 * full name, the dates of birth. The PIN has a lockout; the search now has a budget of misses:
 *
 *  - a few misses are free (people mistype);
 *  - beyond them, one search per `MISS_FORGIVEN_MS`, as misses are forgiven one by one with time:
 *    the 80 years take hours at the tablet, in a waiting room, instead of a minute;
 *  - a search is counted as a miss before it is made (closing the page during it gives nothing
 *    back) and refunded when it finds someone, so patients who find themselves cost nothing.
 *
 * Kept in localStorage beside the kiosk's configuration (kiosk-config.ts), device-wide: a reload, a
 * new patient session or a second tab does not reset it. A clock set back forgives nothing (no time
 * is taken to have passed); a clock set forward does, which needs the tablet's system settings.
 */

export const LOOKUP_FREE_MISSES = 5;
export const MISS_FORGIVEN_MS = 2 * 60_000;
const KEY = 'consult.kiosk.lookups';

/** Misses not yet forgiven (`level`) as of `at` (epoch ms). */
export interface LookupBudget {
  level: number;
  at: number;
}

const FRESH: LookupBudget = { level: 0, at: 0 };

function isBudget(v: unknown): v is LookupBudget {
  const b = v as Partial<LookupBudget> | null;
  return (
    typeof b === 'object' &&
    b !== null &&
    typeof b.level === 'number' &&
    Number.isFinite(b.level) &&
    b.level >= 0 &&
    typeof b.at === 'number' &&
    Number.isFinite(b.at)
  );
}

export function loadLookupBudget(storage: Storage | undefined = globalThis.localStorage): LookupBudget {
  try {
    const raw = storage?.getItem(KEY);
    if (!raw) return FRESH;
    const parsed: unknown = JSON.parse(raw);
    // Damaged or edited by hand: as if every free miss were spent, not as if none were.
    return isBudget(parsed) ? parsed : { level: LOOKUP_FREE_MISSES, at: Date.now() };
  } catch {
    return FRESH;
  }
}

function save(budget: LookupBudget, storage: Storage | undefined): void {
  storage?.setItem(KEY, JSON.stringify(budget));
}

/** Misses still counted at `now`. */
function levelAt(budget: LookupBudget, now: number): number {
  const elapsed = Math.max(0, now - budget.at);
  return Math.max(0, budget.level - elapsed / MISS_FORGIVEN_MS);
}

/** Milliseconds before a search may be made; 0 when it may be made now. */
export function lookupWait(budget: LookupBudget, now: number): number {
  const over = levelAt(budget, now) - (LOOKUP_FREE_MISSES - 1);
  return over > 0 ? Math.ceil(over * MISS_FORGIVEN_MS) : 0;
}

export type LimitedFind<T> = { kind: 'found'; matches: T[] } | { kind: 'wait'; ms: number };

/** Runs `find` if the budget allows, counting it as a miss unless it finds someone. */
export async function limitedFind<T>(
  find: () => Promise<T[]>,
  now: () => number,
  storage: Storage | undefined = globalThis.localStorage,
): Promise<LimitedFind<T>> {
  const before = loadLookupBudget(storage);
  const wait = lookupWait(before, now());
  if (wait > 0) return { kind: 'wait', ms: wait };
  const t = now();
  save({ level: levelAt(before, t) + 1, at: Math.max(t, before.at) }, storage);
  const matches = await find();
  if (matches.length > 0) {
    const after = loadLookupBudget(storage);
    save({ level: Math.max(0, after.level - 1), at: after.at }, storage);
  }
  return { kind: 'found', matches };
}
