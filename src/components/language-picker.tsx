/** The language choice, used on the welcome screen and in settings. Each name is in its own script. */

import { useI18n } from '../i18n/i18n-provider.tsx';
import { LANGS } from '../i18n/translate.ts';
import { ChoiceGroup } from './fields.tsx';

export function LanguagePicker({ legend, asHeading = false }: { legend: string; asHeading?: boolean }) {
  const { lang, setLang, t } = useI18n();
  return (
    <ChoiceGroup
      legend={legend}
      legendAs={asHeading ? 'heading' : 'legend'}
      name="language"
      value={lang}
      onChange={setLang}
      choices={LANGS.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
    />
  );
}
