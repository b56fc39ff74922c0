import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalMutation } from '../../sync/local-mutation.ts';
import { MemoryDrainLock } from '../../sync/locks.ts';
import { ConsultDb } from '../../sync/stores/dexie-db.ts';
import { DexieStore } from '../../sync/stores/dexie-store.ts';
import { SyncEngine } from '../../sync/sync-engine.ts';
import { FakeNetwork, FakeVisibility } from '../../sync/testing/fake-signals.ts';
import { appointmentRow, patientRow, REFERENCE_DATA } from '../../sync/testing/fixtures.ts';
import { InProcessServer } from '../../sync/testing/in-process-server.ts';
import { ManualClock } from '../../sync/testing/manual-clock.ts';
import { attentionCount } from './sync-indicator.ts';
import { ATTENTION_STATES, type ListedRows, unlistedAttention } from './unlisted-attention.ts';

const dbs: ConsultDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

const refused = { code: 'forbidden', message: 'not yours', field: null } as const;

function entry(
  overrides: Partial<LocalMutation> & Pick<LocalMutation, 'id' | 'entity' | 'key'>,
): LocalMutation {
  return {
    clientId: '00000000-0000-4000-8000-00000000c1e0',
    op: 'upsert',
    data: { id: overrides.key },
    deps: [],
    actor: null,
    createdAt: '2026-11-30T01:00:00.000Z',
    state: 'rejected',
    seq: 1,
    after: [],
    refKeys: [],
    before: null,
    createsRow: true,
    attempted: true,
    ...overrides,
  };
}

const ids = {
  own: '11111111-1111-4111-8111-111111111111',
  walkIn: '22222222-2222-4222-8222-222222222222',
  listed: '33333333-3333-4333-8333-333333333333',
  gone: '44444444-4444-4444-8444-444444444444',
};

describe('unlistedAttention', () => {
  const rows: ListedRows = {
    appointmentIds: new Set([ids.listed]),
    ownPatient: {
      id: ids.own,
      sync: {
        kind: 'attention',
        mutationId: 'aaaaaaaa-0000-4000-8000-000000000001',
        error: refused,
        blockedBy: null,
      },
    },
  };

  it('leaves out what My appointments shows: a listed appointment, the own profile with its notice', () => {
    const records = [
      entry({ id: 'aaaaaaaa-0000-4000-8000-000000000001', entity: 'patients', key: ids.own, error: refused }),
      entry({
        id: 'aaaaaaaa-0000-4000-8000-000000000002',
        entity: 'appointments',
        key: ids.listed,
        error: refused,
      }),
    ];
    expect(unlistedAttention(records, rows)).toEqual([]);
  });

  it("lists another profile's write, a booking no longer listed and a delete, each with its reason", () => {
    const walkIn = entry({
      id: 'aaaaaaaa-0000-4000-8000-000000000003',
      entity: 'patients',
      key: ids.walkIn,
      error: refused,
    });
    const gone = entry({
      id: 'aaaaaaaa-0000-4000-8000-000000000004',
      entity: 'appointments',
      key: ids.gone,
      op: 'delete',
      data: null,
      error: refused,
    });
    const behind = entry({
      id: 'aaaaaaaa-0000-4000-8000-000000000005',
      entity: 'appointments',
      key: ids.gone,
      state: 'blocked',
      blockedBy: walkIn.id,
      seq: 2,
    });
    expect(unlistedAttention([walkIn, gone, behind], rows)).toEqual([
      { kind: 'entry', id: 'aaaaaaaa-0000-4000-8000-000000000003', entry: walkIn, error: refused },
      { kind: 'entry', id: 'aaaaaaaa-0000-4000-8000-000000000004', entry: gone, error: refused },
      // A blocked entry says why through its cause.
      { kind: 'entry', id: 'aaaaaaaa-0000-4000-8000-000000000005', entry: behind, error: refused },
    ]);
  });

  it('lists the own profile when its notice does not show (blocked behind another row)', () => {
    const cause = entry({
      id: 'aaaaaaaa-0000-4000-8000-000000000006',
      entity: 'patients',
      key: ids.walkIn,
      error: refused,
    });
    const own = entry({
      id: 'aaaaaaaa-0000-4000-8000-000000000001',
      entity: 'patients',
      key: ids.own,
      state: 'blocked',
      blockedBy: cause.id,
    });
    const blockedRows: ListedRows = {
      ...rows,
      ownPatient: {
        id: ids.own,
        sync: {
          kind: 'attention',
          mutationId: 'aaaaaaaa-0000-4000-8000-000000000001',
          error: refused,
          blockedBy: cause,
        },
      },
    };
    expect(unlistedAttention([cause, own], blockedRows).map((i) => i.id)).toEqual([
      'aaaaaaaa-0000-4000-8000-000000000006',
      'aaaaaaaa-0000-4000-8000-000000000001',
    ]);
  });

  it('lists a record that does not read as an entry, by its id when it has one', () => {
    expect(
      unlistedAttention(
        [{ id: 'm-damaged', state: 'rejected', entity: 'patients' }, { state: 'blocked' }],
        rows,
      ),
    ).toEqual([
      { kind: 'unreadable', id: 'm-damaged' },
      { kind: 'unreadable', id: null },
    ]);
  });
});

describe('every counted entry is listed, and discarding each empties the count (Dexie)', () => {
  it('holds for damaged and unlisted records left in the outbox', async () => {
    const db = new ConsultDb(`unlisted-${crypto.randomUUID()}`);
    dbs.push(db);
    const store = new DexieStore(db);
    const clock = new ManualClock();
    const server = new InProcessServer(REFERENCE_DATA, () => new Date(clock.now()));
    const engine = new SyncEngine({
      store,
      transport: server.transport({ userId: crypto.randomUUID() }),
      clock,
      network: new FakeNetwork(false),
      visibility: new FakeVisibility(true),
      lock: new MemoryDrainLock(),
      random: () => 0.5,
      debounceMs: 500,
      pollMs: 30_000,
      backoff: { baseMs: 1_000, maxMs: 60_000 },
    });
    // A walk-in's profile and its booking, refused and held behind it; and a damaged record.
    const p = await store.write({ entity: 'patients', op: 'upsert', row: patientRow(ids.walkIn) });
    const a = await store.write({
      entity: 'appointments',
      op: 'upsert',
      row: appointmentRow(ids.gone, ids.walkIn),
    });
    await db.outbox.update(p.id, { state: 'rejected', error: refused });
    await db.outbox.update(a.id, { state: 'blocked', blockedBy: p.id });
    await db.outbox.put({
      id: 'm-damaged',
      state: 'rejected',
      entity: 'patients',
    } as unknown as LocalMutation);
    // Gone from the device's table: nothing on My appointments can show the booking.
    await db.appointments.delete(ids.gone);

    const read = async () =>
      unlistedAttention(
        await db.outbox
          .where('state')
          .anyOf([...ATTENTION_STATES])
          .toArray(),
        {
          appointmentIds: new Set(),
          ownPatient: null,
        },
      );
    const listed = await read();
    expect(listed.length).toBe(attentionCount(await store.countOutbox()));
    expect(listed.map((i) => i.id).sort()).toEqual([a.id, p.id, 'm-damaged'].sort());

    for (const item of listed) if (item.id) await engine.discard(item.id);
    expect(attentionCount(await store.countOutbox())).toBe(0);
    expect(await read()).toEqual([]);
    // The damaged record is kept aside for QA, not lost.
    expect((await store.listQuarantine()).map((q) => q.key)).toEqual(['m-damaged']);
    await engine.stop();
  });

  it('holds for damaged records whose id is not text, each set aside once', async () => {
    const db = new ConsultDb(`unlisted-keys-${crypto.randomUUID()}`);
    dbs.push(db);
    const store = new DexieStore(db);
    const clock = new ManualClock();
    const server = new InProcessServer(REFERENCE_DATA, () => new Date(clock.now()));
    const engine = new SyncEngine({
      store,
      transport: server.transport({ userId: crypto.randomUUID() }),
      clock,
      network: new FakeNetwork(false),
      visibility: new FakeVisibility(true),
      lock: new MemoryDrainLock(),
      random: () => 0.5,
      debounceMs: 500,
      pollMs: 30_000,
      backoff: { baseMs: 1_000, maxMs: 60_000 },
    });
    // IndexedDB stores a record under any key: a number, an array, a date.
    const damaged = [
      { id: 42, state: 'rejected', entity: 'patients' },
      { id: ['m', 7], state: 'blocked' },
      { id: new Date(0), state: 'rejected', op: 'upsert' },
    ];
    for (const record of damaged) await db.outbox.put(record as unknown as LocalMutation);
    const read = async () =>
      unlistedAttention(
        await db.outbox
          .where('state')
          .anyOf([...ATTENTION_STATES])
          .toArray(),
        {
          appointmentIds: new Set(),
          ownPatient: null,
        },
      );
    const listed = await read();
    expect(listed.length).toBe(attentionCount(await store.countOutbox()));
    expect(listed.map((i) => i.kind)).toEqual(['unreadable', 'unreadable', 'unreadable']);

    // What "Discard this change" does for each (attention-elsewhere.tsx, discardChange).
    for (const item of listed) {
      if (item.kind === 'entry') await engine.discard(item.id);
      else await engine.setAsideUnreadable();
    }
    expect(attentionCount(await store.countOutbox())).toBe(0);
    expect(await read()).toEqual([]);
    await store.listOutbox();
    expect((await store.listQuarantine()).map((q) => q.key).sort()).toEqual(
      ['42', '["m",7]', JSON.stringify(new Date(0))].sort(),
    );
    await engine.stop();
  });
});
