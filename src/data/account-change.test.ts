import type { SupabaseClient } from '@supabase/supabase-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalMutation } from '../../sync/local-mutation.ts';
import { ConsultDb } from '../../sync/stores/dexie-db.ts';
import { DexieStore } from '../../sync/stores/dexie-store.ts';
import { INITIAL_STATUS } from '../../sync/sync-status.ts';
import {
  type CurrentUser,
  isAlreadyRegistered,
  planAccountChange,
  sameIdentifier,
  startPhoneUpgrade,
  switchAccount,
  upgradeWithEmail,
  writesAtStake,
} from './account-change.ts';
import type { EnginePort } from './engine-port.ts';
import type { Services } from './services.ts';

const unsent = { id: crypto.randomUUID() } as LocalMutation;
const anonymous: CurrentUser = { kind: 'anonymous' };
const asha: CurrentUser = { kind: 'user', who: 'asha@example.in' };
const create = { action: 'create', identifier: 'asha@example.in' } as const;
const signIn = { action: 'sign-in', identifier: 'ravi@example.in' } as const;

describe('writesAtStake', () => {
  it("counts the session user's unsent writes, not another account's, which signing in to it sends", () => {
    const mine = { id: 'm', actor: 'ravi' } as LocalMutation;
    const before = { id: 'b', actor: null } as LocalMutation;
    const theirs = { id: 't', actor: 'asha' } as LocalMutation;
    const ravi = { id: 'ravi', anonymous: false };
    expect(writesAtStake([mine, before, theirs], ravi).map((m) => m.id)).toEqual(['m', 'b']);
    expect(
      planAccountChange({
        current: asha,
        intent: signIn,
        outbox: writesAtStake([theirs], ravi),
        localRows: 0,
      }),
    ).toEqual({ kind: 'switch', confirm: false });
    // With no session known, every write is at stake.
    expect(writesAtStake([mine, theirs], null)).toHaveLength(2);
  });
});

describe('planAccountChange', () => {
  it('with no session, signs in or up as usual: writes made before sign-in go with it', () => {
    for (const intent of [create, signIn])
      expect(
        planAccountChange({ current: { kind: 'none' }, intent, outbox: [unsent], localRows: 3 }),
      ).toEqual({
        kind: 'plain',
      });
  });

  it('anonymous + create account is an upgrade, even with unsent writes: they stay the same user’s', () => {
    expect(planAccountChange({ current: anonymous, intent: create, outbox: [unsent], localRows: 2 })).toEqual(
      {
        kind: 'upgrade',
      },
    );
    const phone = { action: 'create', identifier: '+91 98123-45678' } as const;
    expect(planAccountChange({ current: anonymous, intent: phone, outbox: [], localRows: 0 }).kind).toBe(
      'upgrade',
    );
  });

  it('anonymous + sign in to an existing account: refused while writes are unsent', () => {
    expect(planAccountChange({ current: anonymous, intent: signIn, outbox: [unsent], localRows: 2 })).toEqual(
      {
        kind: 'refuse-unsent',
        unsent: [unsent],
      },
    );
  });

  it('anonymous + sign in with everything sent: a switch, confirmed first when rows would leave the phone', () => {
    expect(planAccountChange({ current: anonymous, intent: signIn, outbox: [], localRows: 2 })).toEqual({
      kind: 'switch',
      confirm: true,
    });
    expect(planAccountChange({ current: anonymous, intent: signIn, outbox: [], localRows: 0 })).toEqual({
      kind: 'switch',
      confirm: false,
    });
  });

  it('a signed-in user: the same account again is plain; another account (sign in or create) is a switch', () => {
    const again = { action: 'sign-in', identifier: ' Asha@Example.in ' } as const;
    expect(planAccountChange({ current: asha, intent: again, outbox: [unsent], localRows: 2 }).kind).toBe(
      'plain',
    );
    expect(planAccountChange({ current: asha, intent: signIn, outbox: [unsent], localRows: 2 }).kind).toBe(
      'refuse-unsent',
    );
    const other = { action: 'create', identifier: 'new@example.in' } as const;
    expect(planAccountChange({ current: asha, intent: other, outbox: [], localRows: 1 })).toEqual({
      kind: 'switch',
      confirm: true,
    });
  });

  it('compares emails without case and phones without spaces, dashes or +', () => {
    expect(sameIdentifier('A@B.in', 'a@b.in ')).toBe(true);
    expect(sameIdentifier('+91 98123-45678', '919812345678')).toBe(true);
    expect(sameIdentifier('', '')).toBe(false);
    expect(sameIdentifier('a@b.in', 'c@b.in')).toBe(false);
  });

  it('recognises "already registered" answers (hosted Auth codes, the local stand-in’s unique violation)', () => {
    expect(isAlreadyRegistered({ message: 'x', code: 'email_exists' })).toBe(true);
    expect(
      isAlreadyRegistered({ message: 'duplicate key value violates unique constraint "users_email_key"' }),
    ).toBe(true);
    expect(isAlreadyRegistered({ message: 'Invalid login credentials', code: 'invalid_credentials' })).toBe(
      false,
    );
  });
});

// ---- the actions, over a real Dexie store and a fake auth client ----

const dbs: ConsultDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

interface FakeAuth {
  userId: string | null;
  updateUserAnswer: {
    user: Record<string, unknown> | null;
    error: { message: string; code?: string } | null;
  };
  calls: string[];
}

function harness(auth: FakeAuth) {
  const db = new ConsultDb(`account-${crypto.randomUUID()}`);
  dbs.push(db);
  const events = auth.calls;
  const engine: EnginePort = {
    getStatus: () => INITIAL_STATUS,
    subscribe: () => () => {},
    syncNow: () => events.push('syncNow'),
    discard: async () => {},
    setAsideUnreadable: async () => {},
    retry: async () => {},
    start: () => events.push('start'),
    stop: async () => {
      events.push('stop');
    },
  };
  const client = {
    auth: {
      getSession: async () => ({ data: { session: auth.userId ? { user: { id: auth.userId } } : null } }),
      updateUser: async (attrs: Record<string, unknown>) => {
        events.push(`updateUser:${Object.keys(attrs).sort().join(',')}`);
        return { data: { user: auth.updateUserAnswer.user }, error: auth.updateUserAnswer.error };
      },
      refreshSession: async () => ({ data: {}, error: null }),
    },
  } as unknown as SupabaseClient;
  const store = new DexieStore(db);
  const services: Services = { db, store, engine, supabase: async () => client };
  return { services, store, client };
}

const patient = {
  id: crypto.randomUUID(),
  full_name: 'Asha Devi',
  date_of_birth: '1990-04-01',
  sex: 'female',
  preferred_language: 'hi',
};
const empty = { patients: [], appointments: [], clinics: [], doctors: [], slots: [] };

describe('upgrade and switch', () => {
  it('upgrades the anonymous user in place: rows and outbox untouched, sync resumes', async () => {
    const auth: FakeAuth = {
      userId: 'anon-1',
      updateUserAnswer: { user: { id: 'anon-1', is_anonymous: false }, error: null },
      calls: [],
    };
    const { services, store } = harness(auth);
    await store.write({ entity: 'patients', op: 'upsert', row: patient });
    expect(await upgradeWithEmail(services, 'asha@example.in', 'secret1')).toEqual({ ok: true });
    expect(auth.calls).toEqual(['updateUser:email,password', 'syncNow']);
    expect(await store.listOutbox()).toHaveLength(1);
    expect(await store.getRow('patients', patient.id)).toBeDefined();
  });

  it('reports an email that already has an account, changing nothing', async () => {
    const auth: FakeAuth = {
      userId: 'anon-1',
      updateUserAnswer: { user: null, error: { message: 'already registered', code: 'email_exists' } },
      calls: [],
    };
    const { services } = harness(auth);
    expect(await upgradeWithEmail(services, 'asha@example.in', 'secret1')).toMatchObject({
      ok: false,
      reason: 'exists',
    });
  });

  it('says when the server keeps the user anonymous until the email is confirmed', async () => {
    const auth: FakeAuth = {
      userId: 'anon-1',
      updateUserAnswer: { user: { id: 'anon-1', is_anonymous: true, new_email: 'a@b.in' }, error: null },
      calls: [],
    };
    const { services } = harness(auth);
    expect(await upgradeWithEmail(services, 'a@b.in', 'secret1')).toEqual({ ok: true, confirmEmail: true });
  });

  it('a phone upgrade the server ignored (no code sent) is reported as unsupported', async () => {
    const auth: FakeAuth = {
      userId: 'anon-1',
      updateUserAnswer: { user: { id: 'anon-1', phone: '' }, error: null },
      calls: [],
    };
    const { services } = harness(auth);
    expect(await startPhoneUpgrade(services, '+919812345678')).toMatchObject({
      ok: false,
      reason: 'unsupported',
    });
    auth.updateUserAnswer = { user: { id: 'anon-1', new_phone: '919812345678' }, error: null };
    expect(await startPhoneUpgrade(services, '+919812345678')).toEqual({ ok: true });
  });

  it('switching: signs in with the engine stopped, then removes the previous user’s rows and cursor', async () => {
    const auth: FakeAuth = { userId: 'anon-1', updateUserAnswer: { user: null, error: null }, calls: [] };
    const { services, store } = harness(auth);
    await store.applyPull({ cursor: 'anon-cursor', changes: { ...empty, patients: [patient] }, deleted: [] });
    const result = await switchAccount(services, async () => {
      auth.calls.push('signIn');
      auth.userId = 'ravi';
      return { error: null };
    });
    expect(result).toEqual({ ok: true });
    expect(auth.calls).toEqual(['stop', 'signIn', 'start', 'syncNow']);
    expect(await store.listRows('patients')).toEqual([]);
    expect(await store.getCursor()).toBeNull();
  });

  it('switching: a failed sign-in or the same user again keeps everything', async () => {
    const auth: FakeAuth = { userId: 'anon-1', updateUserAnswer: { user: null, error: null }, calls: [] };
    const { services, store } = harness(auth);
    await store.applyPull({ cursor: 'c', changes: { ...empty, patients: [patient] }, deleted: [] });
    expect(
      await switchAccount(services, async () => ({ error: { message: 'Invalid login credentials' } })),
    ).toMatchObject({ ok: false, reason: 'error' });
    expect(await switchAccount(services, async () => ({ error: null }))).toEqual({ ok: true });
    expect(await store.listRows('patients')).toHaveLength(1);
    expect(await store.getCursor()).toBe('c');
  });

  it('switching: refused when a write landed since the plan, without signing in', async () => {
    const auth: FakeAuth = { userId: 'anon-1', updateUserAnswer: { user: null, error: null }, calls: [] };
    const { services, store } = harness(auth);
    await store.write({ entity: 'patients', op: 'upsert', row: patient });
    let signedIn = false;
    const result = await switchAccount(services, async () => {
      signedIn = true;
      return { error: null };
    });
    expect(result).toMatchObject({ ok: false, reason: 'unsent', count: 1 });
    expect(signedIn).toBe(false);
    expect(await store.listOutbox()).toHaveLength(1);
    expect(auth.calls).toContain('start');
  });
});
