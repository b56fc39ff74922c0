/** First screen on a new phone: choose the language, then continue. Works with no network at all. */
import { LanguagePicker } from '../../components/language-picker.tsx';
import { useI18n } from '../../i18n/i18n-provider.tsx';

export function WelcomeScreen({ onContinue }: { onContinue(): void }) {
  const { t } = useI18n();
  return (
    <section className="screen" aria-labelledby="welcome-title">
      <h2 id="welcome-title">{t('welcome.title')}</h2>
      <p>{t('welcome.intro')}</p>
      <LanguagePicker legend={t('welcome.languageLegend')} />
      <button type="button" className="button-primary" onClick={onContinue}>
        {t('welcome.continue')}
      </button>
    </section>
  );
}
