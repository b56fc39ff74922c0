/** The preferred day and time-of-day questions, asked by a request and by "choose another day or time". */

import { openWindows, type PreferredWindow, requestDays } from '../data/consult-request.ts';
import { useNow } from '../data/use-appointments.ts';
import { useI18n } from '../i18n/i18n-provider.tsx';
import { ClinicZoneNote } from './clinic-zone-note.tsx';
import { type Choice, ChoiceGroup } from './fields.tsx';
import { preferredDayLabel, windowLabel } from './request-label.ts';

export function DayChoices({
  value,
  onChange,
  error,
}: {
  value: string | null;
  onChange(day: string): void;
  error?: string | undefined;
}) {
  const { t, lang } = useI18n();
  const now = useNow();
  const choices: Choice<string>[] = requestDays(now).map((d) => ({
    value: d,
    label: preferredDayLabel(d, lang),
  }));
  // Days and times of day are the clinic's (a "morning" is 06:00–12:00 India time): said when the
  // phone's clock is in another zone.
  return (
    <>
      <ClinicZoneNote at={now} />
      <ChoiceGroup
        legendAs="heading"
        legend={t('request.day.heading')}
        name="preferred-day"
        choices={choices}
        value={value}
        onChange={onChange}
        error={error}
      />
    </>
  );
}

export function WindowChoices({
  day,
  value,
  onChange,
  error,
}: {
  /** The day chosen: on the clinic's today, the times of day already over are not offered. */
  day: string | null;
  value: PreferredWindow | null;
  onChange(w: PreferredWindow): void;
  error?: string | undefined;
}) {
  const { t } = useI18n();
  const now = useNow();
  const choices: Choice<PreferredWindow>[] = openWindows(day, now).map((w) => ({
    value: w,
    label: windowLabel(w, t),
  }));
  return (
    <ChoiceGroup
      legendAs="heading"
      legend={t('request.window.heading')}
      name="preferred-window"
      choices={choices}
      value={value}
      onChange={onChange}
      error={error}
    />
  );
}
