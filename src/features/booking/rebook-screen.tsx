/**
 * Fix a booking the server refused because the slot was taken: pick another free time with the same
 * doctor. The refused write is discarded and the appointment rewritten, keeping its id.
 */
import { useState } from 'react';
import { FailureNotice } from '../../components/failure-notice.tsx';
import { Notice } from '../../components/fields.tsx';
import { SlotPicker } from '../../components/slot-picker.tsx';
import { rebookAppointment } from '../../data/appointment-writes.ts';
import { useServices } from '../../data/services-context.tsx';
import { useAppointments, useNow } from '../../data/use-appointments.ts';
import { freeSlots, useDoctorSlots } from '../../data/use-reference-data.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { useFocusFirstError } from '../../lib/focus.ts';
import { useAction } from '../../lib/use-action.ts';
import { issuesText } from '../../lib/validation-messages.ts';

export function RebookScreen({ id, onDone }: { id: string; onDone(): void }) {
  const { t } = useI18n();
  const services = useServices();
  const appointments = useAppointments();
  const view = appointments?.find((a) => a.row.id === id);
  const slots = useDoctorSlots(view?.row.doctor_id ?? null);
  const now = useNow();
  const [day, setDay] = useState<string | null>(null);
  const [slotId, setSlotId] = useState<string | null>(null);
  const action = useAction();
  // Confirm pressed with no time chosen: said on the question, which takes the focus.
  const [unanswered, setUnanswered] = useState(false);
  const { ref, refused } = useFocusFirstError<HTMLElement>();

  if (appointments === undefined || slots === undefined) return <p className="loading">{t('app.loading')}</p>;
  if (!view) return <Notice tone="warning">{t('appointments.notFound')}</Notice>;
  // Same doctor, same kind of consultation: the patient chose video or the clinic for a reason.
  const free = freeSlots(slots, now).filter((s) => s.mode === view.row.mode && s.id !== view.row.slot_id);
  const slot = free.find((s) => s.id === slotId) ?? null;

  const confirm = async () => {
    if (!slot) {
      setUnanswered(true);
      return refused();
    }
    await action.run(async () => {
      const result = await rebookAppointment(services, view.row, slot);
      if (result.ok) onDone();
      else action.fail(issuesText(result.issues, t));
    });
  };

  const doctor = view.doctor?.name ?? t('appointments.unknownDoctor');
  return (
    <section className="screen" aria-labelledby="rebook-title" ref={ref}>
      <h2 id="rebook-title">{t('booking.rebookHeading')}</h2>
      <p>{t('booking.rebookIntro', { doctor })}</p>
      {free.length === 0 ? (
        <Notice tone="warning">{t('booking.slot.none')}</Notice>
      ) : (
        <SlotPicker
          slots={free}
          day={day}
          slotId={slotId}
          onDay={(d) => {
            setDay(d);
            setSlotId(null);
          }}
          onSlot={setSlotId}
          showMode={false}
          error={unanswered && !slot ? t('error.choose') : undefined}
        />
      )}
      <FailureNotice error={action.error} describe={(message) => t('booking.failed', { message })} />
      <button type="button" className="button-primary" disabled={action.busy} onClick={() => void confirm()}>
        {t('booking.rebookConfirm')}
      </button>
    </section>
  );
}
