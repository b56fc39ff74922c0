import { describe, expect, it } from 'vitest';
import { INITIAL_STATUS } from '../../../sync/sync-status.ts';
import { patientRow } from '../../../sync/testing/fixtures.ts';
import { MemoryStore } from '../../../sync/testing/memory-store.ts';
import type { QaTranslate } from '../../i18n/qa-i18n.ts';
import { translateQa } from '../../i18n/qa-i18n.ts';
import { describeEngine } from './engine-view.ts';
import { importMessage } from './import-message.ts';
import { buildQaReport } from './qa-report.ts';
import { importQueue, importQueueFile, MAX_IMPORT_BYTES } from './queue-import.ts';

const PATIENT = '00000000-0000-4000-8000-0000000000a1';

/** An export with personal data, as an object to spoil. */
async function exported(): Promise<Record<string, unknown>> {
  const field = new MemoryStore();
  await field.write({ entity: 'patients', op: 'upsert', row: patientRow(PATIENT) });
  const report = buildQaReport({
    syncLog: [],
    outbox: await field.listOutbox(),
    quarantine: [],
    engine: describeEngine({ status: INITIAL_STATUS, outbox: [] }),
    clientId: null,
    now: new Date('2026-01-01T00:00:00Z'),
    build: 'test',
    includePersonalData: true,
  });
  return JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
}

describe('importing an exported queue refuses a malformed or hostile file whole', () => {
  it('refuses an export of another version, the report or the bare queue', async () => {
    const desk = new MemoryStore();
    const report = await exported();
    expect(await importQueue(desk, JSON.stringify({ ...report, version: 2 }))).toEqual({
      ok: false,
      reason: 'wrong-version',
    });
    const queue = report.queue as Record<string, unknown>;
    expect(await importQueue(desk, JSON.stringify({ ...queue, version: 99 }))).toEqual({
      ok: false,
      reason: 'wrong-version',
    });
    expect(await importQueue(desk, JSON.stringify(queue))).toEqual({ ok: true, written: 1 });
  });

  it('refuses a bare queue exported without personal data (its rows are lengths, not rows)', async () => {
    const desk = new MemoryStore();
    const queue = (await exported()).queue as Record<string, unknown>;
    expect(await importQueue(desk, JSON.stringify({ ...queue, personalData: false }))).toEqual({
      ok: false,
      reason: 'redacted',
    });
    expect(await desk.listOutbox()).toEqual([]);
  });

  it('refuses prototype-pollution keys anywhere in the file, and writes nothing', async () => {
    const desk = new MemoryStore();
    const text = JSON.stringify(await exported());
    const polluted = [
      text.replace('"full_name"', '"__proto__": {"admin": true}, "full_name"'),
      text.replace('"format"', '"constructor": {"prototype": {"admin": true}}, "format"'),
    ];
    for (const file of polluted) {
      expect(await importQueue(desk, file)).toEqual({ ok: false, reason: 'hostile-keys' });
    }
    expect(await desk.listOutbox()).toEqual([]);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('refuses a file larger than any export without reading it', async () => {
    const desk = new MemoryStore();
    const huge = {
      size: MAX_IMPORT_BYTES + 1,
      text: () => Promise.reject(new Error('a file this big must not be read')),
    };
    expect(await importQueueFile(desk, huge)).toEqual({ ok: false, reason: 'too-big' });
    const gone = { size: 10, text: () => Promise.reject(new DOMException('moved', 'NotReadableError')) };
    expect(await importQueueFile(desk, gone)).toEqual({ ok: false, reason: 'unreadable' });
    expect(await importQueue(desk, ' '.repeat(MAX_IMPORT_BYTES + 1))).toEqual({
      ok: false,
      reason: 'too-big',
    });
  });

  it('refuses what is not an export: not JSON, JSON of something else', async () => {
    const desk = new MemoryStore();
    expect(await importQueue(desk, '<html>')).toEqual({ ok: false, reason: 'not-json' });
    for (const other of ['null', '[]', '42', '{"format":"consult-qa-report"}', '{"outbox":[]}'])
      expect((await importQueue(desk, other)).ok).toBe(false);
    expect(await importQueue(desk, '{"format":"something"}')).toEqual({ ok: false, reason: 'not-an-export' });
  });

  it('says how many went in when the store refuses a row halfway, instead of failing silently', async () => {
    const report = await exported();
    const failing = {
      write: () => Promise.reject(new Error('row refused')),
    };
    expect(await importQueue(failing, JSON.stringify(report))).toEqual({
      ok: false,
      reason: 'write-failed',
      written: 0,
      detail: 'Error: row refused',
    });
  });
});

describe('what the screen says about an import', () => {
  const inLang =
    (lang: 'en' | 'hi'): QaTranslate =>
    (key, params) =>
      translateQa(lang, key, params);

  it('says each refusal in words, in both languages, never as a bare code', () => {
    const refusals = [
      'too-big',
      'unreadable',
      'not-json',
      'hostile-keys',
      'not-an-export',
      'wrong-version',
      'redacted',
    ] as const;
    for (const lang of ['en', 'hi'] as const) {
      const texts = refusals.map((reason) => importMessage(inLang(lang), { ok: false, reason }).text);
      expect(new Set(texts).size).toBe(refusals.length);
      for (const [i, text] of texts.entries()) {
        expect(text).not.toContain(refusals[i]);
        expect(text).not.toMatch(/[{}]/);
      }
    }
    const stopped = importMessage(inLang('en'), {
      ok: false,
      reason: 'write-failed',
      written: 3,
      detail: 'Error: x',
    });
    expect(stopped).toEqual({ ok: false, text: expect.stringContaining('3 writes') });
  });
});
