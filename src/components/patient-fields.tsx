/**
 * The patient's details as form fields: the profile and the kiosk's registration ask the same
 * questions with the same rules (the entity schema), so they share this one set of inputs. Each
 * field sits in a `data-field` wrapper, which is how a screen focuses the first field in error.
 */
import { FIELD_LIMITS, LANGUAGES, SEXES, todayIso } from '../../sync/entities.ts';
import type { ProfileField, ProfileFormValues } from '../data/profile-form-values.ts';
import { useI18n } from '../i18n/i18n-provider.tsx';
import { type Choice, ChoiceGroup, TextField } from './fields.tsx';

export function PatientFields({
  values,
  set,
  errorText,
  shared = false,
}: {
  values: ProfileFormValues;
  set(field: ProfileField): (value: string) => void;
  errorText(field: ProfileField): string | undefined;
  /** A shared device (kiosk): the browser must not offer one patient's entries to the next. */
  shared?: boolean;
}) {
  const { t } = useI18n();
  const auto = (hint: string) => (shared ? 'off' : hint);
  const sexChoices: Choice<string>[] = SEXES.map((s) => ({ value: s, label: t(`profile.sex.${s}`) }));
  const langChoices: Choice<string>[] = LANGUAGES.map((l) => ({ value: l, label: t(`lang.${l}`) }));
  return (
    <>
      <div data-field="full_name">
        <TextField
          label={t('profile.fullName')}
          autoComplete={auto('name')}
          limit={FIELD_LIMITS.fullName}
          value={values.full_name}
          onChange={(e) => set('full_name')(e.target.value)}
          error={errorText('full_name')}
        />
      </div>
      <div data-field="date_of_birth">
        <TextField
          label={t('profile.dateOfBirth')}
          type="date"
          autoComplete={auto('bday')}
          min="1900-01-01"
          max={todayIso()}
          value={values.date_of_birth}
          onChange={(e) => set('date_of_birth')(e.target.value)}
          error={errorText('date_of_birth')}
        />
      </div>
      <div data-field="sex">
        <ChoiceGroup
          legend={t('profile.sex')}
          name="sex"
          choices={sexChoices}
          value={values.sex || null}
          onChange={set('sex')}
          error={errorText('sex')}
        />
      </div>
      <div data-field="phone">
        <TextField
          label={t('profile.phone')}
          type="tel"
          inputMode="tel"
          autoComplete={auto('tel')}
          value={values.phone}
          onChange={(e) => set('phone')(e.target.value)}
          error={errorText('phone')}
        />
      </div>
      <div data-field="address">
        <TextField
          label={t('profile.address')}
          autoComplete={auto('street-address')}
          limit={FIELD_LIMITS.address}
          value={values.address}
          onChange={(e) => set('address')(e.target.value)}
          error={errorText('address')}
        />
      </div>
      <div data-field="preferred_language">
        <ChoiceGroup
          legend={t('profile.preferredLanguage')}
          name="preferred_language"
          choices={langChoices}
          value={values.preferred_language}
          onChange={set('preferred_language')}
          error={errorText('preferred_language')}
        />
      </div>
      <div data-field="emergency_contact_name">
        <TextField
          label={t('profile.emergencyName')}
          autoComplete={shared ? 'off' : undefined}
          limit={FIELD_LIMITS.emergencyContactName}
          value={values.emergency_contact_name}
          onChange={(e) => set('emergency_contact_name')(e.target.value)}
          error={errorText('emergency_contact_name')}
        />
      </div>
      <div data-field="emergency_contact_phone">
        <TextField
          label={t('profile.emergencyPhone')}
          autoComplete={shared ? 'off' : undefined}
          type="tel"
          inputMode="tel"
          value={values.emergency_contact_phone}
          onChange={(e) => set('emergency_contact_phone')(e.target.value)}
          error={errorText('emergency_contact_phone')}
        />
      </div>
    </>
  );
}
