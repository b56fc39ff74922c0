/**
 * Where a failed action (see lib/use-action.ts) is shown: an alert region, so a screen reader says
 * it as soon as it appears, without moving focus off the button the patient just pressed.
 */
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n-provider.tsx';
import { STORAGE_FULL } from '../lib/storage-full.ts';
import { Notice } from './fields.tsx';

export function FailureNotice({
  error,
  describe = (message) => message,
}: {
  error: string | null;
  /** How the untranslated message reads on this screen, e.g. "Could not book: {message}". */
  describe?: (message: string) => ReactNode;
}) {
  if (error === null) return null;
  if (error === STORAGE_FULL) return <StorageFull />;
  return <Notice tone="error">{describe(error)}</Notice>;
}

/** The device had no room: said plainly, in the user's language, with what to do about it. */
function StorageFull() {
  const { t } = useI18n();
  return <Notice tone="error">{t('app.storageFull')}</Notice>;
}
