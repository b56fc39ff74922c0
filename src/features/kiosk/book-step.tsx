/**
 * Booking for the patient at the tablet: one of this clinic's doctors and a free time from the
 * availability cached on the tablet, or, when none is cached, a request by specialty for the clinic
 * to place. Both are queued writes under the staff session, saved even with no connection.
 */
import { useState } from 'react';
import { FIELD_LIMITS } from '../../../sync/entities.ts';
import { FailureNotice } from '../../components/failure-notice.tsx';
import { type Choice, ChoiceGroup, Notice, TextAreaField } from '../../components/fields.tsx';
import { DayChoices, WindowChoices } from '../../components/request-choices.tsx';
import { SlotPicker } from '../../components/slot-picker.tsx';
import { bookAppointment } from '../../data/appointment-writes.ts';
import {
  type PreferredWindow,
  REQUEST_SPECIALTIES,
  requestConsultation,
} from '../../data/consult-request.ts';
import { useServices } from '../../data/services-context.tsx';
import { useNow } from '../../data/use-appointments.ts';
import { freeSlots, useDoctorSlots, useDoctors } from '../../data/use-reference-data.ts';
import { useFocusFirstError } from '../../lib/focus.ts';
import { specialtyLabel } from '../../lib/reference-labels.ts';
import { useAction } from '../../lib/use-action.ts';
import { fieldMessages } from '../../lib/validation-messages.ts';
import { checkKioskBooking, type Problem } from './kiosk-checks.ts';
import { useKioskI18n } from './kiosk-i18n.ts';

export function BookStep({
  clinicId,
  patientId,
  onBooked,
  onSkip,
}: {
  clinicId: string;
  patientId: string;
  onBooked(): void;
  onSkip(): void;
}) {
  const { t } = useKioskI18n();
  const doctors = useDoctors()?.filter((d) => d.clinic_id === clinicId);
  const [doctorId, setDoctorId] = useState<string | null>(null);
  const [day, setDay] = useState<string | null>(null);
  const [slotId, setSlotId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [specialty, setSpecialty] = useState<string | null>(null);
  const [preferredDate, setPreferredDate] = useState<string | null>(null);
  const [preferredWindow, setPreferredWindow] = useState<PreferredWindow | null>(null);
  // By field: the checks' names (doctor, slot, reason) and the schema's (requested_specialty…).
  const [errors, setErrors] = useState<Record<string, Problem>>({});
  const { ref, refused } = useFocusFirstError<HTMLElement>();
  const services = useServices();
  const now = useNow();
  const slots = useDoctorSlots(doctorId);
  const free = slots ? freeSlots(slots, now) : [];
  const action = useAction();
  const hasCached = doctors !== undefined && doctors.length > 0;
  // A request when nothing is cached; otherwise a time, unless the chosen doctor has none free.
  const [mode, setMode] = useState<'slot' | 'request' | null>(null);
  const shown = mode ?? (hasCached ? 'slot' : 'request');

  const error = (field: string) => {
    const e = errors[field];
    return e ? t(e.key, e.params) : undefined;
  };

  // A field's message goes once it is answered: what is left marked is what is still to fix.
  const answered = (...fields: string[]) =>
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([f]) => !fields.includes(f))));
  const fail = (found: Record<string, Problem>) => {
    setErrors(found);
    refused();
  };

  function book() {
    const slot = free.find((s) => s.id === slotId);
    if (shown === 'slot') {
      const found = checkKioskBooking(doctorId, slot !== undefined, reason);
      if (Object.keys(found).length > 0) return fail(found);
    }
    setErrors({});
    void action.run(async () => {
      const result =
        shown === 'slot'
          ? slot
            ? await bookAppointment(services, { patientId, slot, reason })
            : null
          : await requestConsultation(services, {
              patientId,
              specialty: specialty ?? '',
              mode: 'in_person',
              preferredDate: preferredDate ?? '',
              preferredWindow: preferredWindow ?? 'any',
              reason,
            });
      if (!result) return fail({ slot: { key: 'kiosk.book.pickTime' } });
      if (!result.ok) return fail(fieldMessages(result.issues));
      onBooked();
    });
  }

  const doctorChoices: Choice<string>[] = (doctors ?? []).map((d) => ({
    value: d.id,
    label: d.name,
    description: specialtyLabel(d.specialty, t),
  }));
  const specialties =
    doctors && doctors.length > 0 ? [...new Set(doctors.map((d) => d.specialty))] : REQUEST_SPECIALTIES;
  const specialtyChoices: Choice<string>[] = specialties.map((s) => ({
    value: s,
    label: specialtyLabel(s, t),
  }));

  return (
    <section className="kiosk-screen" aria-labelledby="kiosk-book-title" ref={ref}>
      <h2 id="kiosk-book-title">{t('kiosk.book.title')}</h2>
      {shown === 'slot' ? (
        <>
          <ChoiceGroup
            legend={t('kiosk.book.doctor')}
            name="kiosk-doctor"
            choices={doctorChoices}
            value={doctorId}
            onChange={(id) => {
              setDoctorId(id);
              setDay(null);
              setSlotId(null);
              answered('doctor');
            }}
            error={error('doctor')}
          />
          {doctorId && free.length === 0 && <Notice tone="warning">{t('booking.slot.none')}</Notice>}
          {doctorId && free.length > 0 && (
            <SlotPicker
              slots={free}
              day={day}
              slotId={slotId}
              onDay={setDay}
              onSlot={(id) => {
                setSlotId(id);
                answered('slot');
              }}
              showMode={true}
              error={error('slot')}
            />
          )}
          <button type="button" className="button-secondary" onClick={() => setMode('request')}>
            {t('kiosk.book.requestInstead')}
          </button>
        </>
      ) : (
        <>
          {!hasCached && <Notice tone="info">{t('kiosk.book.nothingCached')}</Notice>}
          <ChoiceGroup
            legend={t('kiosk.book.specialty')}
            name="kiosk-specialty"
            choices={specialtyChoices}
            value={specialty}
            onChange={(s) => {
              setSpecialty(s);
              answered('requested_specialty');
            }}
            error={error('requested_specialty')}
          />
          <DayChoices
            value={preferredDate}
            onChange={(d) => {
              setPreferredDate(d);
              answered('preferred_date');
            }}
            error={error('preferred_date')}
          />
          <WindowChoices
            day={preferredDate}
            value={preferredWindow}
            onChange={setPreferredWindow}
            error={error('preferred_window')}
          />
        </>
      )}
      <TextAreaField
        label={t('kiosk.book.reason')}
        limit={FIELD_LIMITS.reason}
        value={reason}
        onChange={(e) => {
          setReason(e.target.value);
          answered('reason');
        }}
        error={error('reason')}
      />
      <FailureNotice error={action.error} describe={(message) => t('kiosk.book.failed', { message })} />
      <div className="kiosk-actions">
        <button type="button" className="button-primary" disabled={action.busy} onClick={book}>
          {t('kiosk.book.confirm')}
        </button>
        <button type="button" className="button-secondary" onClick={onSkip}>
          {t('kiosk.book.skip')}
        </button>
      </div>
    </section>
  );
}
