import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localMutation } from '../../sync/local-mutation.ts';
import { ConsultDb } from '../../sync/stores/dexie-db.ts';
import { ADOPTED_KEY, adoptUnstampedWrites } from './adopt-unstamped.ts';
import fixture from './fixtures/outbox-before-actor.json';
import { localAnswers } from './own-writes.ts';
import { knownLastUser } from './session-user.ts';

const A = { id: 'aaaaaaaa-0000-4000-8000-000000000001', anonymous: false };
const B = { id: 'bbbbbbbb-0000-4000-8000-000000000002', anonymous: false };
const ANON = { id: 'cccccccc-0000-4000-8000-000000000003', anonymous: true };

let db: ConsultDb;
let n = 0;

beforeEach(async () => {
  const items = new Map<string, string>();
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  });
  db = new ConsultDb(`adopt-${n++}`);
  await db.open();
  // The outbox exactly as the release before `actor` stored it.
  await db.outbox.bulkAdd(structuredClone(fixture.outbox) as never[]);
});

afterEach(async () => {
  db.close();
  vi.unstubAllGlobals();
});

async function mutations() {
  return (await db.outbox.orderBy('seq').toArray()).map((r) => localMutation.parse(r));
}

describe('writes queued by a release before actor', () => {
  it('are given the session the device holds, and not sent under another account', async () => {
    expect(await adoptUnstampedWrites(db, A, false)).toBe(4);
    const queued = await mutations();
    expect(queued.map((m) => m.actor)).toEqual([A.id, A.id, A.id, A.id]);
    // Everything else of each record is as stored.
    expect(queued.map((m) => [m.state, m.seq, m.deps])).toEqual(
      fixture.outbox.map((r) => [r.state, r.seq, r.deps ?? []]),
    );
    expect(localAnswers(queued, A).send).toHaveLength(4);
    const underB = localAnswers(queued, B);
    expect(underB.send).toEqual([]);
    expect([...underB.answers.values()].map((a) => a.status)).toEqual([
      'rejected',
      'blocked',
      'rejected',
      'blocked',
    ]);
  });

  it('is done once: a later unstamped write (made with no session) is left as it is', async () => {
    await adoptUnstampedWrites(db, A, false);
    await db.outbox.update('a0000000-0000-4000-8000-000000000001', { actor: null });
    expect(await adoptUnstampedWrites(db, B, false)).toBe(0);
    expect((await db.outbox.get('a0000000-0000-4000-8000-000000000001'))?.actor).toBeNull();
    expect(await db.meta.get(ADOPTED_KEY)).toBeDefined();
  });

  it('with the session lost before the update, go to the one account whose profile was pulled', async () => {
    await db.patients.bulkAdd([
      { id: 'p1', user_id: A.id, clinic_id: null, full_name: 'Asha Rao' },
      { id: 'p2', user_id: null, clinic_id: 'k1', registered_by: B.id, full_name: 'Walk-in' },
    ]);
    expect(await adoptUnstampedWrites(db, null, false)).toBe(4);
    const queued = await mutations();
    expect(localAnswers(queued, B).send).toEqual([]);
    expect(localAnswers(queued, A).send).toHaveLength(4);
    // Whether that account was anonymous is not known: a later anonymous session carries on.
    expect(localAnswers(queued, ANON).send).toHaveLength(4);
    // The next account's sign-in clears what was pulled for this one.
    expect(knownLastUser()).toBe(A.id);
  });

  it('are left unstamped when no account can be told (none pulled, or two)', async () => {
    expect(await adoptUnstampedWrites(db, null, false)).toBe(0);
    await db.meta.delete(ADOPTED_KEY);
    await db.patients.bulkAdd([
      { id: 'p1', user_id: A.id, clinic_id: null },
      { id: 'p2', user_id: B.id, clinic_id: null },
    ]);
    expect(await adoptUnstampedWrites(db, null, false)).toBe(0);
    expect((await mutations()).every((m) => m.actor === null)).toBe(true);
  });

  it('keep an actor they already have, and are never stamped on a kiosk', async () => {
    await db.outbox.update('a0000000-0000-4000-8000-000000000002', { actor: B.id });
    expect(await adoptUnstampedWrites(db, A, false)).toBe(3);
    expect((await mutations()).map((m) => m.actor)).toEqual([A.id, B.id, A.id, A.id]);
    await db.outbox.clear();
    await db.meta.delete(ADOPTED_KEY);
    await db.outbox.bulkAdd(structuredClone(fixture.outbox) as never[]);
    expect(await adoptUnstampedWrites(db, A, true)).toBe(0);
    expect((await mutations()).every((m) => m.actor === null)).toBe(true);
  });
});
