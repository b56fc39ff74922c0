/** Beside a field: the user's edit of it was not saved because another write changed it first. */
import type { ConflictNotice } from '../../sync/stores/sync-store.ts';
import { useI18n } from '../i18n/i18n-provider.tsx';
import { Notice } from './fields.tsx';

export function FieldConflict({
  conflict,
  describe = String,
  onDismiss,
}: {
  conflict: ConflictNotice | undefined;
  /** The value in words (a status in the user's language); the text itself by default. */
  describe?: (value: unknown) => string;
  onDismiss(): void;
}) {
  const { t } = useI18n();
  if (!conflict) return null;
  const shown = (v: unknown) =>
    v === null || v === undefined || v === '' ? t('conflict.empty') : describe(v);
  return (
    <Notice tone="warning">
      <span data-conflict={conflict.field}>
        {t('conflict.lost', { yours: shown(conflict.yours), theirs: shown(conflict.theirs) })}
      </span>{' '}
      <button type="button" className="button-link" onClick={onDismiss}>
        {t('conflict.dismiss')}
      </button>
    </Notice>
  );
}
