import { describe, expect, it, vi } from 'vitest';
import type { Mutation } from '../../sync/protocol.ts';
import { SyncEngine } from '../../sync/sync-engine.ts';
import { FakeNetwork, FakeVisibility } from '../../sync/testing/fake-signals.ts';
import { appointmentRow, patientRow, REFERENCE_DATA } from '../../sync/testing/fixtures.ts';
import { InProcessServer } from '../../sync/testing/in-process-server.ts';
import { ManualClock } from '../../sync/testing/manual-clock.ts';
import { MemoryStore } from '../../sync/testing/memory-store.ts';
import { seededIds } from '../../sync/testing/seeded-random.ts';
import { localAnswers, MADE_BY_ANOTHER_ACCOUNT, withOwnWrites } from './own-writes.ts';
import {
  actorOf,
  currentActor,
  followSessionUser,
  loadStoredSessionUser,
  madeByAnother,
  type SessionUser,
  sessionUserOf,
} from './session-user.ts';

const A: SessionUser = { id: 'aaaaaaaa-0000-4000-8000-00000000000a', anonymous: false };
const B: SessionUser = { id: 'bbbbbbbb-0000-4000-8000-00000000000b', anonymous: false };
const anonA: SessionUser = { id: 'aaaaaaaa-0000-4000-8000-0000000000aa', anonymous: true };
const anonB: SessionUser = { id: 'bbbbbbbb-0000-4000-8000-0000000000bb', anonymous: true };

describe('madeByAnother', () => {
  it("holds another account's writes back, and lets the same account's and unstamped ones go", () => {
    expect(madeByAnother(actorOf(A), B)).toBe(true);
    expect(madeByAnother(actorOf(A), anonB)).toBe(true);
    expect(madeByAnother(actorOf(anonA), B)).toBe(true);
    expect(madeByAnother(actorOf(A), A)).toBe(false);
    expect(madeByAnother(null, B)).toBe(false);
    expect(madeByAnother(undefined, B)).toBe(false);
  });

  it('lets a lost anonymous session’s writes go with the next anonymous one (nobody chose an account)', () => {
    expect(madeByAnother(actorOf(anonA), anonB)).toBe(false);
  });

  it('lets an anonymous user’s writes go once that user has taken an email or phone (same id)', () => {
    expect(madeByAnother(actorOf(anonA), { id: anonA.id, anonymous: false })).toBe(false);
  });

  it('reads the user of a supabase-js session', () => {
    expect(sessionUserOf({ user: { id: A.id } })).toEqual(A);
    expect(sessionUserOf({ user: { id: anonA.id, is_anonymous: true } })).toEqual(anonA);
    expect(sessionUserOf(null)).toBeNull();
    expect(sessionUserOf({ access_token: 'x' })).toBeNull();
  });
});

function m(id: string, actor: string | null, deps: string[] = []): Mutation {
  return {
    id,
    clientId: 'cccccccc-0000-4000-8000-00000000000c',
    entity: 'patients',
    op: 'upsert',
    key: id,
    data: { id },
    deps,
    actor,
    createdAt: '2026-11-30T01:00:00.000Z',
  };
}

describe('localAnswers', () => {
  it("refuses another account's writes, blocks what waits on them, sends the rest in order", () => {
    const ids = ['10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002'];
    const [theirs, behind, mine, unstamped] = [
      m(ids[0] as string, actorOf(A)),
      m(ids[1] as string, actorOf(B), [ids[0] as string]),
      m('10000000-0000-4000-8000-000000000003', actorOf(B)),
      m('10000000-0000-4000-8000-000000000004', null),
    ];
    const { send, answers } = localAnswers(
      [theirs, behind, mine, unstamped].map((x) => x as Mutation),
      B,
    );
    expect(send.map((x) => x.id)).toEqual([mine?.id, unstamped?.id]);
    expect(answers.get(theirs?.id as string)).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect(answers.get(behind?.id as string)).toMatchObject({ status: 'blocked', blockedBy: theirs?.id });
  });
});

describe('a drain after another account signed in on the phone', () => {
  it("sends none of the first account's writes, and tells them apart as needing attention", async () => {
    const clock = new ManualClock();
    const server = new InProcessServer(REFERENCE_DATA, () => new Date(clock.now()));
    const ids = seededIds(21);
    const store = new MemoryStore({ newId: ids, now: () => new Date(clock.now()) });
    // A's profile and booking, made offline under A's session; then B's own profile.
    const theirs = patientRow(ids());
    await store.write({ entity: 'patients', op: 'upsert', row: theirs, actor: actorOf(A) });
    const booking = await store.write({
      entity: 'appointments',
      op: 'upsert',
      row: appointmentRow(ids(), theirs.id),
      actor: actorOf(A),
    });
    const mine = patientRow(ids(), { full_name: 'Bina Second' });
    await store.write({ entity: 'patients', op: 'upsert', row: mine, actor: actorOf(B) });
    const engine = new SyncEngine({
      store,
      transport: withOwnWrites(server.transport({ userId: B.id }), async () => B),
      clock,
      network: new FakeNetwork(true),
      visibility: new FakeVisibility(true),
      random: () => 0.5,
      newId: ids,
      debounceMs: 500,
      pollMs: 30_000,
      backoff: { baseMs: 1_000, maxMs: 60_000 },
    });
    await engine.drainOnce();
    expect(server.rows('patients').map((p) => p.id)).toEqual([mine.id]);
    expect(server.rows('appointments')).toEqual([]);
    const left = await store.listOutbox();
    expect(left.map((x) => [x.entity, x.state])).toEqual([
      ['patients', 'rejected'],
      ['appointments', 'blocked'],
    ]);
    expect(left[0]?.error?.message).toBe(MADE_BY_ANOTHER_ACCOUNT);
    expect(left[1]?.id).toBe(booking.id);
    await engine.stop();
  });
});

describe('the actor a write is stamped with', () => {
  it('is the stored session’s user from start-up, then whoever the auth events say', async () => {
    await loadStoredSessionUser(async () => [{ unrelated: true }, { user: { id: A.id } }]);
    expect(currentActor()).toBe(A.id);
    let emit: (event: string, session: unknown) => void = () => {};
    followSessionUser({
      onAuthStateChange: (callback) => {
        emit = callback;
      },
    });
    emit('SIGNED_IN', { user: { id: anonB.id, is_anonymous: true } });
    expect(currentActor()).toBe(`anonymous:${anonB.id}`);
    emit('SIGNED_OUT', null);
    expect(currentActor()).toBeNull();
    // A stored session read late does not undo what an auth event said.
    await loadStoredSessionUser(async () => [{ user: { id: A.id } }]);
    expect(currentActor()).toBeNull();
  });
});

describe('a session for another user than the last one', () => {
  it("clears the last user's pulled data once, and not for the same user again", async () => {
    const items = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
    });
    let emit: (event: string, session: unknown) => void = () => {};
    let cleared = 0;
    followSessionUser(
      {
        onAuthStateChange: (callback) => {
          emit = callback;
        },
      },
      async () => {
        cleared++;
      },
    );
    emit('INITIAL_SESSION', { user: { id: A.id } });
    emit('TOKEN_REFRESHED', { user: { id: A.id } });
    // A's session is lost (signed out elsewhere): nothing to clear until someone signs in.
    emit('SIGNED_OUT', null);
    expect(cleared).toBe(0);
    emit('SIGNED_IN', { user: { id: B.id } });
    expect(cleared).toBe(1);
    emit('SIGNED_IN', { user: { id: B.id } });
    expect(cleared).toBe(1);
    vi.unstubAllGlobals();
  });
});
