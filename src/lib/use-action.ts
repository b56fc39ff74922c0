/**
 * One owner for what every button that starts some work needs: it is disabled while the work runs,
 * and a failure (a thrown error, or a refusal the work reports with `fail`) is kept for the screen
 * to show. The screens only say what the work is and how a failure reads in the patient's language.
 */
import { useEffect, useRef, useState } from 'react';
import { focusToRestore } from './focus.ts';
import { isStorageFull, STORAGE_FULL } from './storage-full.ts';

export interface ActionState {
  busy: boolean;
  /** The last failure's message, untranslated; cleared when the next run starts. */
  error: string | null;
}

export interface ActionRunner {
  /** Runs `work`, unless a run is already in flight (a double tap must not book twice). */
  run(work: () => Promise<void>): Promise<void>;
  /** Records a failure the work found without throwing (a refused write, a wrong code). */
  fail(message: string): void;
  /** Forgets the last failure. */
  clear(): void;
}

export const IDLE: ActionState = { busy: false, error: null };

/** The failure's message, untranslated; `STORAGE_FULL` when the device had no room to save. */
export function errorMessage(error: unknown): string {
  if (isStorageFull(error)) return STORAGE_FULL;
  return error instanceof Error ? error.message : String(error);
}

/** The hook's logic without React: `update` receives each change of state. */
export function actionRunner(update: (change: Partial<ActionState>) => void): ActionRunner {
  // Not React state: a second tap in the same frame sees the first run before any re-render.
  let running = false;
  return {
    async run(work) {
      if (running) return;
      running = true;
      update({ busy: true, error: null });
      try {
        await work();
      } catch (e) {
        update({ error: errorMessage(e) });
      } finally {
        running = false;
        update({ busy: false });
      }
    },
    fail: (message) => update({ error: message }),
    clear: () => update({ error: null }),
  };
}

export function useAction(): ActionState & ActionRunner {
  const [state, setState] = useState<ActionState>(IDLE);
  // The control that started the run: disabled while busy, it drops focus to the page's body.
  const pressed = useRef<HTMLButtonElement | null>(null);
  // Created once: `run`, `fail` and `clear` stay the same functions across renders.
  const [runner] = useState(() => {
    const inner = actionRunner((change) => setState((s) => ({ ...s, ...change })));
    return {
      ...inner,
      run(work: () => Promise<void>) {
        const active = typeof document === 'undefined' ? null : document.activeElement;
        pressed.current = active instanceof HTMLButtonElement ? active : null;
        return inner.run(work);
      },
    };
  });
  useEffect(() => {
    // Rendered enabled again: the keyboard user is put back on the button they pressed.
    if (state.busy || !pressed.current) return;
    focusToRestore(pressed.current, document.activeElement, document.body)?.focus();
    pressed.current = null;
  }, [state.busy]);
  return { ...state, ...runner };
}
