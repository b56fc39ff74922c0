/**
 * Where keyboard and screen-reader focus goes when a screen changes under it. Two ways it was lost:
 * a form refused a submit and focus stayed on the button, far from the field to fix; and a pressed
 * button that is disabled while its work runs (or that the next screen removes) drops focus to the
 * page's body, so the next Tab starts again at the top and a screen reader says nothing of where
 * the user now is. The DOM is reached only through the small shapes below, so this runs in tests.
 */
import { type RefObject, useEffect, useRef, useState } from 'react';

interface Focusable {
  focus(): void;
}
interface Control extends Focusable {
  readonly tagName: string;
  readonly isConnected?: boolean;
  readonly disabled?: boolean;
  querySelector(selector: string): Control | null;
}
interface Root {
  querySelector(selector: string): Control | null;
}

/**
 * The first control marked invalid under `root`, focused. A radio group carries the mark on its
 * fieldset, which cannot take focus: its first enabled option does. False when nothing is marked.
 */
export function focusFirstError(root: Root | null): boolean {
  const marked = root?.querySelector('[aria-invalid="true"]');
  if (!marked) return false;
  const target = marked.tagName === 'FIELDSET' ? marked.querySelector('input:not([disabled])') : marked;
  if (!target) return false;
  target.focus();
  return true;
}

/**
 * The element to give focus back to once a pressed control is usable again: only when focus was
 * lost (it sits on the body, or nowhere), and only to that same control, still on the page and
 * enabled. Work that moved focus itself (to a field in error, to the next screen) is left alone.
 */
export function focusToRestore<T extends { isConnected?: boolean; disabled?: boolean }>(
  pressed: T | null,
  active: unknown,
  body: unknown,
): T | null {
  if (!pressed || (active !== null && active !== body)) return null;
  if (pressed.isConnected === false || pressed.disabled === true) return null;
  return pressed;
}

/**
 * For a form that checks what was typed: `ref` on its container, `refused()` after setting the
 * errors; once they are rendered, focus moves to the first field to fix.
 */
export function useFocusFirstError<T extends HTMLElement>(): {
  ref: RefObject<T | null>;
  refused(): void;
} {
  const ref = useRef<T>(null);
  const [refusals, setRefusals] = useState(0);
  useEffect(() => {
    if (refusals > 0) focusFirstError(ref.current);
  }, [refusals]);
  return { ref, refused: () => setRefusals((n) => n + 1) };
}

/**
 * A screen that replaces another in place (the kiosk's steps, which keep one address): when `key`
 * changes, or the screen first shows, and focus was lost with the control that moved on, it goes to
 * the new screen's heading, so a screen reader reads where the user is and Tab starts from there.
 */
export function useFocusHeadingOnChange<T extends HTMLElement>(key: string): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => {
    // `key` is what changed; the effect reads the DOM the change rendered.
    void key;
    if (document.activeElement !== null && document.activeElement !== document.body) return;
    const heading = ref.current?.querySelector<HTMLElement>('h2');
    if (!heading) return;
    if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
    heading.focus();
  }, [key]);
  return ref;
}
