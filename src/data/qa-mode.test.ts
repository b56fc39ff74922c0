import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PRESETS } from './qa-fault-settings.ts';
import {
  applyQaUrlFlag,
  isQaFaultsOn,
  qaFetch,
  readQaFaults,
  subscribeQaFaults,
  writeQaFaults,
} from './qa-mode.ts';

/** The part of Storage the switch uses, in memory. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (k) => items.get(k) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (k) => void items.delete(k),
    setItem: (k, v) => void items.set(k, v),
  };
}

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
