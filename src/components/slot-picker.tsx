/** Day, then time, from the free slots cached on the phone: the clinic's days and clock (clinic-time.ts). */

import type { Slot } from '../data/reference-rows.ts';
import { clinicDay, clinicDayKey, clinicTime } from '../i18n/clinic-time.ts';
import { useI18n } from '../i18n/i18n-provider.tsx';
import { ClinicZoneNote } from './clinic-zone-note.tsx';
import { type Choice, ChoiceGroup } from './fields.tsx';

export function slotsByDay(slots: readonly Slot[]): Map<string, Slot[]> {
  const days = new Map<string, Slot[]>();
  for (const s of slots) {
    const key = clinicDayKey(new Date(s.starts_at));
    const list = days.get(key);
    if (list) list.push(s);
    else days.set(key, [s]);
  }
  return days;
}

export function SlotPicker({
  slots,
  day,
  slotId,
  onDay,
  onSlot,
  showMode,
  error,
}: {
  slots: readonly Slot[];
  day: string | null;
  slotId: string | null;
  onDay(day: string): void;
  onSlot(slotId: string): void;
  showMode: boolean;
  /** Why no time is chosen yet: shown on the day's question until one is picked, then on the times'. */
  error?: string | undefined;
}) {
  const { t, lang } = useI18n();
  const days = slotsByDay(slots);
  const dayChoices: Choice<string>[] = [...days.entries()].map(([key, list]) => ({
    value: key,
    label: clinicDay(lang, new Date(list[0]?.starts_at ?? key)),
  }));
  const times = day ? (days.get(day) ?? []) : [];
  const timeChoices: Choice<string>[] = times.map((s) => ({
    value: s.id,
    label: showMode
      ? `${clinicTime(lang, new Date(s.starts_at))} · ${s.mode === 'video' ? t('booking.slot.video') : t('booking.slot.inPerson')}`
      : clinicTime(lang, new Date(s.starts_at)),
  }));
  return (
    <div className="slot-picker">
      <ClinicZoneNote at={slots[0] ? new Date(slots[0].starts_at) : null} />
      <ChoiceGroup
        legend={t('booking.slot.day')}
        name="day"
        choices={dayChoices}
        value={day}
        onChange={onDay}
        error={day ? undefined : error}
      />
      {day && times.length > 0 && (
        <ChoiceGroup
          legend={t('booking.slot.times')}
          name="slot"
          choices={timeChoices}
          value={slotId}
          onChange={onSlot}
          error={error}
        />
      )}
    </div>
  );
}
