import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryStorage } from '../testing/memory-storage.ts';
import { readQaFaultsInWorker } from './qa-fault-mirror.ts';
import { PRESETS } from './qa-fault-settings.ts';
import {
  applyQaUrlFlag,
  isQaFaultsOn,
  QA_FAULTS_KEY,
  qaFetch,
  readQaFaults,
  subscribeQaFaults,
  workerCopySync,
  writeQaFaults,
} from './qa-mode.ts';

beforeEach(() => {
  vi.stubGlobal('localStorage', memoryStorage());
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the QA mode switch', () => {
  it('is off by default, and tells watchers when it turns on and off', () => {
    expect(isQaFaultsOn()).toBe(false);
    const heard: boolean[] = [];
    const off = subscribeQaFaults(() => heard.push(isQaFaultsOn()));
    writeQaFaults('{}');
    writeQaFaults(null);
    off();
    expect(heard).toEqual([true, false]);
  });

  it('takes a preset from the URL flag only where the build allows it', async () => {
    await applyQaUrlFlag('?qa-faults=2g-village', false);
    expect(isQaFaultsOn()).toBe(false);
    await applyQaUrlFlag('?qa-faults=2g-village', true);
    expect(JSON.parse(readQaFaults() ?? 'null')).toEqual(PRESETS['2g-village']);
    await applyQaUrlFlag('?qa-faults=off', true);
    expect(isQaFaultsOn()).toBe(false);
    await applyQaUrlFlag('?qa-faults=nonsense', true);
    expect(isQaFaultsOn()).toBe(false);
  });

  it('takes the URL flag out of the address once read, so a reload does not turn QA mode on again', async () => {
    const forgotten: string[] = [];
    const forget = (search: string) => forgotten.push(search);
    await applyQaUrlFlag('?qa-faults=2g-village', true, forget);
    await applyQaUrlFlag('?lang=hi&qa-faults=off&x=1', true, forget);
    await applyQaUrlFlag('?lang=hi', true, forget);
    await applyQaUrlFlag('?qa-faults=2g-village', false, forget);
    expect(forgotten).toEqual(['', '?lang=hi&x=1']);
  });

  it('fetches through the platform while off, and through the fault layer while on', async () => {
    const seen: string[] = [];
    const base = (async (input: RequestInfo | URL) => {
      seen.push(String(input));
      return new Response('{}');
    }) as typeof fetch;
    const f = qaFetch(base);
    expect((await f('http://api/a')).status).toBe(200);
    writeQaFaults(JSON.stringify(PRESETS['server-down']));
    expect((await f('http://api/b')).status).toBe(503);
    expect(seen).toEqual(['http://api/a']);
  });

  it('loads the fault layer again after a failed load, instead of failing every request after it', async () => {
    writeQaFaults(JSON.stringify(PRESETS['server-down']));
    let loads = 0;
    const base = (async () => new Response('{}')) as typeof fetch;
    const f = qaFetch(base, async () => {
      loads++;
      if (loads === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return (await import('./qa-fault-fetch.ts')).faultFetch(base, readQaFaults);
    });
    await expect(f('http://api/a')).rejects.toThrow(TypeError);
    expect((await f('http://api/b')).status).toBe(503);
    expect(loads).toBe(2);
  });
});

describe("the service worker's copy of the settings", () => {
  it('is never made on a device where QA mode was never on', async () => {
    const copies: (string | null)[] = [];
    const sync = workerCopySync(async (json) => void copies.push(json));
    await sync();
    await sync();
    expect(copies).toEqual([]);
    expect(localStorage.length).toBe(0);
  });

  it('follows every change once, whoever wrote localStorage, and is cleared when QA mode goes off', async () => {
    const copies: (string | null)[] = [];
    const sync = workerCopySync(async (json) => void copies.push(json));
    const down = JSON.stringify(PRESETS['server-down']);
    localStorage.setItem(QA_FAULTS_KEY, down);
    await sync();
    await sync();
    localStorage.setItem(QA_FAULTS_KEY, '{}');
    await sync();
    localStorage.removeItem(QA_FAULTS_KEY);
    await sync();
    expect(copies).toEqual([down, '{}', null]);
    // Cleared: a later page on this device has nothing to clear again.
    const later: (string | null)[] = [];
    await workerCopySync(async (json) => void later.push(json))();
    expect(later).toEqual([]);
  });

  it('clears a copy left on when the next page starts with QA mode off', async () => {
    const sync = workerCopySync(async () => undefined);
    localStorage.setItem(QA_FAULTS_KEY, '{}');
    await sync();
    localStorage.removeItem(QA_FAULTS_KEY);
    const copies: (string | null)[] = [];
    await workerCopySync(async (json) => void copies.push(json))();
    expect(copies).toEqual([null]);
  });

  it('tries again with the next request when a copy failed', async () => {
    let fail = true;
    const copies: (string | null)[] = [];
    const sync = workerCopySync(async (json) => {
      if (fail) throw new Error('IndexedDB closed');
      copies.push(json);
    });
    localStorage.setItem(QA_FAULTS_KEY, '{}');
    await sync();
    fail = false;
    await sync();
    expect(copies).toEqual(['{}']);
  });

  it('reaches the database the worker reads, through every request of the page', async () => {
    const copy = workerCopySync();
    const f = qaFetch((async () => new Response('{}')) as typeof fetch, undefined, copy);
    const down = JSON.stringify(PRESETS['server-down']);
    localStorage.setItem(QA_FAULTS_KEY, down);
    await f('http://api/a');
    await copy();
    await vi.waitFor(async () => expect(await readQaFaultsInWorker()).toBe(down));
    localStorage.removeItem(QA_FAULTS_KEY);
    await f('http://api/b');
    await vi.waitFor(async () => expect(await readQaFaultsInWorker()).toBeNull());
  });
});
