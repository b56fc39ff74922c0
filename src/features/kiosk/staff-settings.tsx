/**
 * The kiosk's settings, for staff: the idle time, the language Home starts in, closing the staff
 * screens (sign out of them: the PIN is asked again), and leaving kiosk mode (the PIN again; staff are signed out and every patient's data is
 * wiped, except writes not sent yet, which stay until a staff session sends them).
 */
import { type FormEvent, useState } from 'react';
import { LANGUAGES } from '../../../sync/entities.ts';
import { type Choice, ChoiceGroup, Notice, TextField } from '../../components/fields.tsx';
import { IDLE_SECONDS_MAX, IDLE_SECONDS_MIN, type KioskConfig } from '../../data/kiosk-config.ts';
import { setKioskConfig } from '../../data/kiosk-config-store.ts';
import type { Lang } from '../../i18n/translate.ts';
import { useFocusFirstError } from '../../lib/focus.ts';
import { useKioskI18n } from './kiosk-i18n.ts';

export function StaffSettings({
  config,
  onClose,
  onLeave,
}: {
  config: KioskConfig;
  onClose(): void;
  onLeave(): void;
}) {
  const { t } = useKioskI18n();
  const [idle, setIdle] = useState(String(config.idleSeconds));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const { ref, refused } = useFocusFirstError<HTMLFormElement>();
  const langChoices: Choice<Lang>[] = LANGUAGES.map((l) => ({ value: l, label: t(`lang.${l}`) }));

  function saveIdle(e: FormEvent) {
    e.preventDefault();
    const seconds = Number(idle);
    if (!Number.isInteger(seconds) || seconds < IDLE_SECONDS_MIN || seconds > IDLE_SECONDS_MAX) {
      setError(t('kiosk.settings.idleRange', { min: IDLE_SECONDS_MIN, max: IDLE_SECONDS_MAX }));
      refused();
      return;
    }
    setError(null);
    setKioskConfig({ ...config, idleSeconds: seconds });
    setSaved(true);
  }

  return (
    <section aria-labelledby="kiosk-settings-title">
      <h3 id="kiosk-settings-title">{t('kiosk.settings.title')}</h3>
      <form onSubmit={saveIdle} noValidate ref={ref}>
        <TextField
          label={t('kiosk.settings.idle')}
          inputMode="numeric"
          value={idle}
          onChange={(e) => {
            setIdle(e.target.value);
            setSaved(false);
          }}
          error={error ?? undefined}
        />
        {saved && <Notice tone="success">{t('kiosk.settings.saved')}</Notice>}
        <button type="submit" className="button-primary">
          {t('kiosk.settings.saveIdle')}
        </button>
      </form>
      <ChoiceGroup
        legend={t('kiosk.settings.defaultLang')}
        name="kiosk-default-lang"
        choices={langChoices}
        value={config.defaultLang}
        onChange={(defaultLang) => setKioskConfig({ ...config, defaultLang })}
      />
      <div className="kiosk-actions">
        <button type="button" className="button-secondary" onClick={onClose}>
          {t('kiosk.settings.signOut')}
        </button>
        <button type="button" className="button-danger" onClick={onLeave}>
          {t('kiosk.settings.leave')}
        </button>
      </div>
    </section>
  );
}
