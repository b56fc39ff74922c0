import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../testing/memory-storage.ts';
import {
  LOOKUP_FREE_MISSES,
  limitedFind,
  loadLookupBudget,
  lookupWait,
  MISS_FORGIVEN_MS,
} from './kiosk-lookup-limit.ts';

const T0 = 1_800_000_000_000;
const nobody = async (): Promise<string[]> => [];
const someone = async (): Promise<string[]> => ['Sita'];

describe('"Find me" searches that find nobody', () => {
  it('a stranger trying the years of birth of one phone number is stopped after the free misses', async () => {
    const storage = memoryStorage();
    let searched = 0;
    const guess = async () => {
      searched++;
      return [];
    };
    const answers = [];
    for (let year = 1930; year < 2010; year++) answers.push(await limitedFind(guess, () => T0, storage));
    expect(searched).toBe(LOOKUP_FREE_MISSES);
    expect(answers.filter((a) => a.kind === 'wait')).toHaveLength(80 - LOOKUP_FREE_MISSES);
  });

  it('misses are forgiven one by one with time, not all at once', async () => {
    const storage = memoryStorage();
    for (let i = 0; i < LOOKUP_FREE_MISSES; i++) await limitedFind(nobody, () => T0, storage);
    const wait = lookupWait(loadLookupBudget(storage), T0);
    expect(wait).toBe(MISS_FORGIVEN_MS);
    const later = T0 + MISS_FORGIVEN_MS;
    expect((await limitedFind(nobody, () => later, storage)).kind).toBe('found');
    expect((await limitedFind(nobody, () => later, storage)).kind).toBe('wait');
  });

  it('a clock set back forgives nothing', async () => {
    const storage = memoryStorage();
    for (let i = 0; i < LOOKUP_FREE_MISSES; i++) await limitedFind(nobody, () => T0, storage);
    expect((await limitedFind(nobody, () => T0 - 365 * 86_400_000, storage)).kind).toBe('wait');
  });

  it('patients who find themselves cost nothing, and a search is counted before its answer', async () => {
    const storage = memoryStorage();
    for (let i = 0; i < 20; i++) expect((await limitedFind(someone, () => T0, storage)).kind).toBe('found');
    expect(loadLookupBudget(storage).level).toBe(0);
    const pending = limitedFind(nobody, () => T0, storage);
    expect(loadLookupBudget(storage).level).toBe(1);
    await pending;
  });

  it('a damaged budget counts as spent, not as fresh', () => {
    const storage = memoryStorage();
    storage.setItem('consult.kiosk.lookups', '{"level":-100}');
    expect(lookupWait(loadLookupBudget(storage), Date.now())).toBeGreaterThan(0);
  });
});
