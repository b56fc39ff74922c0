/** "A new version is ready — reload", held back while a form has unsaved input (issue 4). */
import { useI18n } from '../i18n/i18n-provider.tsx';
import { useAnyFormDirty } from '../lib/dirty-forms.tsx';
import { usePwaUpdate } from './pwa/use-pwa-update.ts';

export function UpdateBanner({ dbClosed }: { dbClosed: boolean }) {
  const { t } = useI18n();
  const { updateReady, reload } = usePwaUpdate();
  const dirty = useAnyFormDirty();
  if (dbClosed) {
    // A newer version in another tab upgraded the database and closed ours: only a reload helps.
    return (
      <div className="banner" role="alert">
        <p>{t('app.dbBlocked')}</p>
        <button type="button" onClick={() => (updateReady ? reload() : window.location.reload())}>
          {t('app.reload')}
        </button>
      </div>
    );
  }
  if (!updateReady) return null;
  return (
    <div className="banner" role="status">
      <p>{dirty ? t('update.heldBack') : t('update.ready')}</p>
      <button type="button" onClick={reload} disabled={dirty}>
        {t('update.reload')}
      </button>
    </div>
  );
}
