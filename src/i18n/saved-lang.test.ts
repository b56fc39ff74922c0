import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadLang, saveLang } from './saved-lang.ts';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

describe('saved language', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('reads back what was saved', () => {
    vi.stubGlobal('localStorage', memoryStorage());
    saveLang('hi');
    expect(loadLang()).toBe('hi');
  });

  it("falls back to the browser's language when nothing valid is saved", () => {
    const storage = memoryStorage();
    storage.setItem('consult.lang', 'fr');
    vi.stubGlobal('localStorage', storage);
    vi.stubGlobal('navigator', { language: 'hi-IN' });
    expect(loadLang()).toBe('hi');
    vi.stubGlobal('navigator', { language: 'de-DE' });
    expect(loadLang()).toBe('en');
  });

  it('still answers when storage throws (privacy modes)', () => {
    const blocked = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    };
    vi.stubGlobal('localStorage', blocked);
    vi.stubGlobal('navigator', { language: 'en-GB' });
    expect(() => saveLang('hi')).not.toThrow();
    expect(loadLang()).toBe('en');
  });
});
