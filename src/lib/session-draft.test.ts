import { describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import { loadSessionDraft, saveSessionDraft } from './session-draft.ts';

const draft = z.object({
  step: z._default(z.enum(['first', 'second']), 'first'),
  choice: z._default(z.nullable(z.string()), null),
});
const EMPTY = { step: 'first', choice: null };

/** sessionStorage's behaviour for the three calls a draft makes. */
function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & {
  items: Map<string, string>;
} {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

describe('session drafts', () => {
  it('round-trips a draft under its key and forgets it when cleared', () => {
    const storage = memoryStorage();
    saveSessionDraft(storage, 'k', { step: 'second', choice: 'x' });
    expect(loadSessionDraft(storage, 'k', draft)).toEqual({ step: 'second', choice: 'x' });
    expect(loadSessionDraft(storage, 'other', draft)).toEqual(EMPTY);
    saveSessionDraft(storage, 'k', null);
    expect(storage.items.size).toBe(0);
    expect(loadSessionDraft(storage, 'k', draft)).toEqual(EMPTY);
  });

  it('starts empty from a draft that is not JSON, does not fit the schema, or has no storage', () => {
    expect(loadSessionDraft({ getItem: () => 'not json' }, 'k', draft)).toEqual(EMPTY);
    expect(loadSessionDraft({ getItem: () => '{"step":"third"}' }, 'k', draft)).toEqual(EMPTY);
    expect(loadSessionDraft(undefined, 'k', draft)).toEqual(EMPTY);
  });

  it('fills a field an older draft lacks with its default', () => {
    expect(loadSessionDraft({ getItem: () => '{"step":"second"}' }, 'k', draft)).toEqual({
      step: 'second',
      choice: null,
    });
  });

  it('treats blocked or full storage as no storage', () => {
    const blocked = {
      getItem: (): string | null => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(loadSessionDraft(blocked, 'k', draft)).toEqual(EMPTY);
    expect(() => saveSessionDraft(blocked, 'k', EMPTY)).not.toThrow();
    expect(() => saveSessionDraft(blocked, 'k', null)).not.toThrow();
  });
});
