/**
 * One owner for what every button that starts some work needs: it is disabled while the work runs,
 * and a failure (a thrown error, or a refusal the work reports with `fail`) is kept for the screen
 * to show. The screens only say what the work is and how a failure reads in the patient's language.
 */
import { useState } from 'react';
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
  // Created once: `run`, `fail` and `clear` stay the same functions across renders.
  const [runner] = useState(() => actionRunner((change) => setState((s) => ({ ...s, ...change }))));
  return { ...state, ...runner };
}
