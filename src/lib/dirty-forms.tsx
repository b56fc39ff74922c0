/**
 * Which forms hold unsaved input, so the update banner never reloads the page over them. Each form
 * reports through `useDirtyFlag`; the provider keeps the set in React state (no module state).
 */
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useId,
  useMemo,
  useState,
} from 'react';

interface DirtyForms {
  anyDirty: boolean;
  setDirty(id: string, dirty: boolean): void;
}

const DirtyFormsContext = createContext<DirtyForms | null>(null);

export function DirtyFormsProvider({ children }: { children: ReactNode }) {
  const [dirty, setDirtySet] = useState<ReadonlySet<string>>(() => new Set());
  // Stable, so the forms' effects that call it do not re-run (and re-set) on every change.
  const setDirty = useCallback((id: string, isDirty: boolean) => {
    setDirtySet((prev) => {
      if (prev.has(id) === isDirty) return prev;
      const next = new Set(prev);
      if (isDirty) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);
  const value = useMemo<DirtyForms>(() => ({ anyDirty: dirty.size > 0, setDirty }), [dirty, setDirty]);
  return <DirtyFormsContext.Provider value={value}>{children}</DirtyFormsContext.Provider>;
}

export function useAnyFormDirty(): boolean {
  return useContext(DirtyFormsContext)?.anyDirty ?? false;
}

/** Marks the calling form dirty while `dirty` is true, and clean when it unmounts. */
export function useDirtyFlag(dirty: boolean): void {
  const id = useId();
  const setDirty = useContext(DirtyFormsContext)?.setDirty;
  useEffect(() => {
    setDirty?.(id, dirty);
  }, [setDirty, id, dirty]);
  useEffect(() => () => setDirty?.(id, false), [setDirty, id]);
}
