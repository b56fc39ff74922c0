import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseAnonymous } from './auth.ts';
import type { EnginePort } from './engine-port.ts';
import type { Services } from './services.ts';
import { anonymousSessionGate } from './session-gate.ts';

/** localStorage as the page has it (Node has none). */
function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('chooseAnonymous', () => {
  it('remembers the choice and hands the sign-in to the engine, which retries it as it retries sends', () => {
    vi.stubGlobal('localStorage', memoryStorage());
    const syncNow = vi.fn();
    const supabase = vi.fn(async () => {
      throw new Error('the screen must not sign in by itself: the engine does, before it sends');
    });
    // chooseAnonymous uses only the engine (and must not use supabase): the rest stays out.
    const services = { engine: { syncNow } as Partial<EnginePort>, supabase } as unknown as Services;
    const gate = anonymousSessionGate(supabase);
    expect(gate.wantsAnonymous()).toBe(false);

    expect(chooseAnonymous(services)).toEqual({ ok: true });
    expect(gate.wantsAnonymous()).toBe(true);
    expect(syncNow).toHaveBeenCalledTimes(1);
    expect(supabase).not.toHaveBeenCalled();
  });
});
