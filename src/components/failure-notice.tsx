/**
 * Where a failed action (see lib/use-action.ts) is shown: an alert region, so a screen reader says
 * it as soon as it appears, without moving focus off the button the patient just pressed.
 */
import type { ReactNode } from 'react';
import { Notice } from './fields.tsx';

export function FailureNotice({
  error,
  describe = (message) => message,
}: {
  error: string | null;
  /** How the untranslated message reads on this screen, e.g. "Could not book: {message}". */
  describe?: (message: string) => ReactNode;
}) {
  return error === null ? null : <Notice tone="error">{describe(error)}</Notice>;
}
