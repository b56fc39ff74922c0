import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsultDb } from '../../sync/stores/dexie-db.ts';
import { DexieStore } from '../../sync/stores/dexie-store.ts';
import { patientRow } from '../../sync/testing/fixtures.ts';
import { FailureNotice } from '../components/failure-notice.tsx';
import { I18nProvider } from '../i18n/i18n-provider.tsx';
import { isStorageFull, STORAGE_FULL } from './storage-full.ts';
import { errorMessage } from './use-action.ts';

const quota = () => new DOMException('The transaction was aborted.', 'QuotaExceededError');

describe('isStorageFull', () => {
  it("knows IndexedDB's quota error, bare, wrapped by Dexie or chained", () => {
    expect(isStorageFull(quota())).toBe(true);
    expect(isStorageFull(new Dexie.AbortError('aborted', quota()))).toBe(true);
    expect(isStorageFull(new Error('save failed', { cause: quota() }))).toBe(true);
  });

  it('is false for every other failure', () => {
    expect(isStorageFull(new DOMException('x', 'ConstraintError'))).toBe(false);
    expect(isStorageFull(new Error('QuotaExceededError'))).toBe(false);
    expect(isStorageFull('QuotaExceededError')).toBe(false);
    expect(isStorageFull(null)).toBe(false);
  });
});

describe('a save the device has no room for', () => {
  const dbs: ConsultDb[] = [];
  const proto = globalThis.IDBObjectStore.prototype;
  const { add, put } = proto;
  afterEach(async () => {
    proto.add = add;
    proto.put = put;
    for (const db of dbs.splice(0)) await db.delete();
  });

  it('says so in words, in the language shown, and loses nothing saved before', async () => {
    const db = new ConsultDb(`quota-${crypto.randomUUID()}`);
    dbs.push(db);
    const store = new DexieStore(db);
    const write = () =>
      store.write({ entity: 'patients', op: 'upsert', row: patientRow(crypto.randomUUID()) });
    const first = await write();
    // Every request that stores something now fails as a full disk makes IndexedDB fail.
    proto.add = () => {
      throw quota();
    };
    proto.put = proto.add;
    const failed = await write().then(
      () => null,
      (e: unknown) => e,
    );
    expect(errorMessage(failed)).toBe(STORAGE_FULL);
    proto.add = add;
    proto.put = put;
    // The earlier save is there as it was, and the next one saves after it.
    expect((await store.listOutbox()).map((m) => m.id)).toEqual([first.id]);
    const next = await write();
    expect(next.seq).toBeGreaterThan(first.seq);

    const notice = (lang: 'en' | 'hi') =>
      renderToStaticMarkup(
        <I18nProvider initial={lang}>
          <FailureNotice error={errorMessage(failed)} describe={(m) => `Could not save: ${m}`} />
        </I18nProvider>,
      );
    expect(notice('en')).toContain('This phone has no room left to save this, so nothing was saved.');
    expect(notice('en')).not.toContain('Could not save');
    expect(notice('hi')).toContain('इस फ़ोन में इसे सेव करने की जगह नहीं बची');
  });
});
