import { afterEach, describe, expect, it } from 'vitest';
import { createBrowserSyncEngine } from './browser-engine.ts';
import { ConsultDb } from './stores/dexie-db.ts';
import { DexieStore } from './stores/dexie-store.ts';
import { appointmentRow, patientRow, REFERENCE_DATA } from './testing/fixtures.ts';
import { InProcessServer } from './testing/in-process-server.ts';
import { ManualClock } from './testing/manual-clock.ts';
import { seededIds } from './testing/seeded-random.ts';

class FakeTarget {
  private readonly listeners = new Map<string, Set<() => void>>();
  addEventListener(type: string, l: () => void) {
    this.listeners.set(type, (this.listeners.get(type) ?? new Set()).add(l));
  }
  removeEventListener(type: string, l: () => void) {
    this.listeners.get(type)?.delete(l);
  }
  dispatch(type: string) {
    for (const l of this.listeners.get(type) ?? []) l();
  }
}

const dbs: ConsultDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

describe('createBrowserSyncEngine', () => {
  it('wires Dexie, the page signals and a lock: offline writes go out on `online`, in one push', async () => {
    const db = new ConsultDb(`browser-${crypto.randomUUID()}`);
    dbs.push(db);
    const clock = new ManualClock();
    const ids = seededIds(3);
    const server = new InProcessServer(REFERENCE_DATA);
    const win = Object.assign(new FakeTarget(), { navigator: { onLine: false } });
    const doc = Object.assign(new FakeTarget(), { visibilityState: 'visible' });
    const engine = createBrowserSyncEngine({
      db,
      transport: server.transport({ userId: ids() }),
      window: win,
      document: doc,
      locks: null,
      overrides: { clock },
    });
    engine.start();
    const p = patientRow(ids());
    // Another writer on the same database (the page's store): the engine learns of it from the outbox.
    const writer = new DexieStore(db);
    await writer.write({ entity: 'patients', op: 'upsert', row: p });
    await writer.write({ entity: 'appointments', op: 'upsert', row: appointmentRow(ids(), p.id) });
    await clock.advance(5_000);
    expect(server.pushCalls).toHaveLength(0);
    win.navigator.onLine = true;
    win.dispatch('online');
    for (let i = 0; i < 20 && server.pushCalls.length === 0; i++) await clock.advance(10);
    await engine.drainOnce();
    expect(server.pushCalls).toHaveLength(1);
    expect(server.rows('appointments')).toHaveLength(1);
    expect(await db.outbox.count()).toBe(0);
    await engine.stop();
  });
});
