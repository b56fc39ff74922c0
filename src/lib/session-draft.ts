/**
 * A multi-step form's choices kept in sessionStorage: leaving for another screen (the profile) or a
 * reload while offline comes back to the same step with the same choices. Only this tab sees it, and
 * sign-out clears it (data/sign-out.ts).
 *
 * The schema says what a draft is and, because every field has a default, what an empty one is: a
 * stored draft that no longer fits it (an older version of the app, a hand edit) starts afresh.
 */
import { useCallback, useState } from 'react';
import type { z } from 'zod/mini';

type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function loadSessionDraft<T>(
  storage: Pick<Storage, 'getItem'> | undefined,
  key: string,
  schema: z.ZodMiniType<T>,
): T {
  try {
    const raw = storage?.getItem(key);
    if (raw) {
      const parsed = schema.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
    }
  } catch {
    // Not JSON, or storage blocked: the same as no draft.
  }
  return schema.parse({});
}

export function saveSessionDraft<T>(
  storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined,
  key: string,
  draft: T | null,
): void {
  try {
    if (draft === null) storage?.removeItem(key);
    else storage?.setItem(key, JSON.stringify(draft));
  } catch {
    // A full or blocked sessionStorage only loses the draft on reload; the form still works.
  }
}

function merge<T>(draft: T, change: Partial<T>): T {
  return { ...draft, ...change };
}

/**
 * The draft, `update` (through `reduce`, which may clear choices that depended on a changed one) and
 * `clear`, which forgets it once the form is done. Pass a module-level `reduce` and schema: they are
 * dependencies of `update` and `clear`, which screens use in effects and expect to stay the same.
 */
export function useSessionDraft<T>(
  key: string,
  schema: z.ZodMiniType<T>,
  reduce: (draft: T, change: Partial<T>) => T = merge,
  storage: DraftStorage | undefined = typeof sessionStorage === 'undefined' ? undefined : sessionStorage,
): [T, (change: Partial<T>) => void, () => void] {
  const [draft, setDraft] = useState(() => loadSessionDraft(storage, key, schema));
  const update = useCallback(
    (change: Partial<T>) => {
      setDraft((d) => {
        const next = reduce(d, change);
        saveSessionDraft(storage, key, next);
        return next;
      });
    },
    [storage, key, reduce],
  );
  const clear = useCallback(() => {
    saveSessionDraft(storage, key, null);
    setDraft(schema.parse({}));
  }, [storage, key, schema]);
  return [draft, update, clear];
}
