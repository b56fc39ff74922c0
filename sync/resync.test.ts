/**
 * A device offline for longer than the server's sync-history retention: `sync_pull` answers 410
 * (PT410) for its old cursor. The engine then resyncs in full — its copies of server rows go, its
 * unsent writes stay, and the pull starts again from nothing — never silent loss, never a jam. A
 * cursor the server refuses outright (400) is treated the same, once per drain.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_KINDS, SyncTransportError } from './errors.ts';
import { SyncEngine } from './sync-engine.ts';
import { patientRow, REFERENCE_DATA } from './testing/fixtures.ts';
import { InProcessServer } from './testing/in-process-server.ts';
import { ManualClock } from './testing/manual-clock.ts';
import { MemoryStore } from './testing/memory-store.ts';
import { seededIds } from './testing/seeded-random.ts';
import type { SyncTransport } from './transports/transport.ts';

function setup(refuse: (cursor: string | null) => SyncTransportError | null) {
  const clock = new ManualClock();
  const server = new InProcessServer(REFERENCE_DATA, () => new Date(clock.now()));
  const ids = seededIds(41);
  const store = new MemoryStore({ newId: ids, now: () => new Date(clock.now()) });
  const inner = server.transport({ userId: ids() });
  const cursors: (string | null)[] = [];
  const transport: SyncTransport = {
    push: (clientId, mutations) => inner.push(clientId, mutations),
    pull: async (cursor, options) => {
      cursors.push(cursor);
      const refusal = refuse(cursor);
      if (refusal) throw refusal;
      return inner.pull(cursor, options);
    },
  };
  const engine = new SyncEngine({ store, transport, clock, random: () => 0.5, newId: ids });
  return { store, engine, ids, cursors, server };
}

const gone = () => new SyncTransportError(ERROR_KINDS.badRequest, 'history purged: resync (PT410)', 410);

describe('full resync when the server no longer has the history a cursor points into', () => {
  it('drops the copies of server rows, keeps unsent writes, and pulls from the start', async () => {
    let purged = false;
    const t = setup((cursor) => (purged && cursor !== null ? gone() : null));
    const p = patientRow(t.ids());
    await t.store.write({ entity: 'patients', op: 'upsert', row: p });
    expect(await t.engine.drainOnce()).toMatchObject({ status: 'synced' });
    // A row the server deleted while the tombstone was purged: the device would keep it for ever.
    const stale = { ...patientRow(t.ids()), full_name: 'Deleted on the server' };
    await t.store.applyPull({
      cursor: (await t.store.getCursor()) ?? '',
      changes: { patients: [stale], appointments: [], clinics: [], doctors: [], slots: [] },
      deleted: [],
    });
    // Months offline: a write waits, and the server purges its history.
    const edit = { ...p, full_name: 'Edited offline' };
    purged = true;
    await t.store.write({ entity: 'patients', op: 'upsert', row: edit });
    t.cursors.length = 0;

    expect(await t.engine.drainOnce()).toMatchObject({ status: 'synced' });
    // Refused from the old cursor, then a pull from nothing.
    expect(t.cursors.slice(0, 2)).toEqual([expect.any(String), null]);
    expect(await t.store.getRow('patients', stale.id)).toBeUndefined();
    expect(await t.store.getRow('patients', p.id)).toMatchObject({ full_name: 'Edited offline' });
    expect(t.server.rows('patients')).toMatchObject([{ id: p.id, full_name: 'Edited offline' }]);
    expect(await t.store.listOutbox()).toEqual([]);
  });

  it('backs off, without looping, when even a pull from the start is refused', async () => {
    const t = setup(() => gone());
    await t.store.write({ entity: 'patients', op: 'upsert', row: patientRow(t.ids()) });
    // The first pull has no cursor yet: refused, it backs off like any refused pull.
    expect(await t.engine.drainOnce()).toMatchObject({ status: 'failed' });
    expect(t.cursors).toEqual([null]);
  });
});
