/**
 * A button whose action is asked about first, inline: the question and its two answers replace the
 * button. Focus goes with them: to the safe answer when asked, back to the button when kept (Escape
 * keeps too). Before, the button that asked left the page and took the focus with it, so a
 * keyboard or screen-reader user was on the page's body, far from the question.
 */
import { type ReactNode, useEffect, useRef, useState } from 'react';

export function Confirmable({
  ask,
  askClass,
  question,
  yes,
  no,
  busy,
  onYes,
  children,
}: {
  /** The button's text, and its class. */
  ask: string;
  askClass: string;
  question: string;
  yes: string;
  no: string;
  busy: boolean;
  /** Done, the caller shows what follows; the question stays until this component goes. */
  onYes(): void;
  /** Shown under the answers (a failure). */
  children?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open) keep.current?.focus();
    else if (wasOpen.current) opener.current?.focus();
    wasOpen.current = open;
  }, [open]);

  if (!open)
    return (
      <button ref={opener} type="button" className={askClass} onClick={() => setOpen(true)}>
        {ask}
      </button>
    );
  return (
    <fieldset
      className="confirm"
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      <legend>{question}</legend>
      <button type="button" className="button-danger" disabled={busy} onClick={onYes}>
        {yes}
      </button>
      <button ref={keep} type="button" className="button-secondary" onClick={() => setOpen(false)}>
        {no}
      </button>
      {children}
    </fieldset>
  );
}
