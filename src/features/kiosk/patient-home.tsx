/** The kiosk's first screen: the language first, then the two ways in. */
import { LANGUAGES } from '../../../sync/entities.ts';
import { type Choice, ChoiceGroup } from '../../components/fields.tsx';
import type { Lang } from '../../i18n/translate.ts';
import { useKioskI18n } from './kiosk-i18n.ts';
import { useIdle } from './use-idle.ts';

export function PatientHome({
  clinicName,
  defaultLang,
  idleSeconds,
  onNew,
  onReturning,
}: {
  clinicName: string;
  defaultLang: Lang;
  idleSeconds: number;
  onNew(): void;
  onReturning(): void;
}) {
  const { t, lang, setLang } = useKioskI18n();
  // Someone chose a language and walked away: the next person finds the clinic's own again.
  useIdle(idleSeconds, () => setLang(defaultLang));
  const choices: Choice<Lang>[] = LANGUAGES.map((l) => ({ value: l, label: t(`lang.${l}`) }));
  return (
    <section className="kiosk-screen kiosk-home" aria-labelledby="kiosk-home-title">
      <h2 id="kiosk-home-title">{t('kiosk.home.title', { clinic: clinicName })}</h2>
      <ChoiceGroup
        legend={t('kiosk.home.language')}
        name="kiosk-lang"
        choices={choices}
        value={lang}
        onChange={setLang}
      />
      <div className="kiosk-actions kiosk-home-actions">
        <button type="button" className="button-primary kiosk-big" onClick={onNew}>
          {t('kiosk.home.new')}
        </button>
        <button type="button" className="button-primary kiosk-big" onClick={onReturning}>
          {t('kiosk.home.returning')}
        </button>
      </div>
    </section>
  );
}
