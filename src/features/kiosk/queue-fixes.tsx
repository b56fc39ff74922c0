/**
 * The fixes staff can make to a write the server refused, the same ones the patient app offers:
 * pick another time (rebook the same appointment), another day or time of day (a request the clinic
 * could not place), or correct the patient's details. Each takes the place of the refused write.
 */
import { type FormEvent, useState } from 'react';
import { patientFields } from '../../../sync/entities.ts';
import type { LocalMutation } from '../../../sync/local-mutation.ts';
import { FailureNotice } from '../../components/failure-notice.tsx';
import { PatientFields } from '../../components/patient-fields.tsx';
import { DayChoices, WindowChoices } from '../../components/request-choices.tsx';
import { SlotPicker } from '../../components/slot-picker.tsx';
import { appointmentRow } from '../../data/appointment-view.ts';
import { rebookAppointment } from '../../data/appointment-writes.ts';
import { type PreferredWindow, requestAgain } from '../../data/consult-request.ts';
import { saveProfile } from '../../data/patient-writes.ts';
import {
  initialValues,
  type ProfileField,
  type ProfileFormValues,
  toCandidate,
} from '../../data/profile-form-values.ts';
import { useServices } from '../../data/services-context.tsx';
import { useNow } from '../../data/use-appointments.ts';
import { freeSlots, useDoctorSlots } from '../../data/use-reference-data.ts';
import { useFocusFirstError } from '../../lib/focus.ts';
import { useAction } from '../../lib/use-action.ts';
import { type FieldMessage, fieldMessages, issuesText } from '../../lib/validation-messages.ts';
import { useKioskI18n } from './kiosk-i18n.ts';

export function QueueFix({ mutation, onDone }: { mutation: LocalMutation; onDone(): void }) {
  if (mutation.entity === 'patients') {
    const patient = patientFields.safeParse(mutation.data);
    return patient.success ? <CorrectPatient patient={patient.data} onDone={onDone} /> : null;
  }
  const row = appointmentRow.safeParse(mutation.data);
  if (!row.success) return null;
  return row.data.slot_id ? (
    <PickTime row={row.data} onDone={onDone} />
  ) : (
    <PickDay row={row.data} onDone={onDone} />
  );
}

type Row = ReturnType<typeof appointmentRow.parse>;

function PickTime({ row, onDone }: { row: Row; onDone(): void }) {
  const { t } = useKioskI18n();
  const services = useServices();
  const slots = useDoctorSlots(row.doctor_id);
  const now = useNow();
  const free = slots ? freeSlots(slots, now).filter((s) => s.id !== row.slot_id) : [];
  const [day, setDay] = useState<string | null>(null);
  const [slotId, setSlotId] = useState<string | null>(null);
  const action = useAction();
  // Pressed with no time chosen: said on the question, which takes the focus.
  const [unanswered, setUnanswered] = useState(false);
  const { ref, refused } = useFocusFirstError<HTMLDivElement>();
  const slot = free.find((s) => s.id === slotId);
  return (
    <div className="kiosk-fix" ref={ref}>
      <SlotPicker
        slots={free}
        day={day}
        slotId={slotId}
        onDay={setDay}
        onSlot={setSlotId}
        showMode={true}
        error={unanswered && !slot ? t('error.choose') : undefined}
      />
      <FailureNotice error={action.error} />
      <button
        type="button"
        className="button-primary"
        disabled={action.busy}
        onClick={() =>
          void action.run(async () => {
            if (!slot) {
              setUnanswered(true);
              return refused();
            }
            const result = await rebookAppointment(services, row, slot);
            if (result.ok) onDone();
            else action.fail(issuesText(result.issues, t));
          })
        }
      >
        {t('kiosk.queue.rebook')}
      </button>
    </div>
  );
}

function PickDay({ row, onDone }: { row: Row; onDone(): void }) {
  const { t } = useKioskI18n();
  const services = useServices();
  const [day, setDay] = useState<string | null>(row.preferred_date ?? null);
  const [window, setWindow] = useState<PreferredWindow | null>(row.preferred_window ?? null);
  const action = useAction();
  const [unanswered, setUnanswered] = useState(false);
  const { ref, refused } = useFocusFirstError<HTMLDivElement>();
  const missing = (answer: string | null) => (unanswered && !answer ? t('error.choose') : undefined);
  return (
    <div className="kiosk-fix" ref={ref}>
      <DayChoices value={day} onChange={setDay} error={missing(day)} />
      <WindowChoices day={day} value={window} onChange={setWindow} error={missing(window)} />
      <FailureNotice error={action.error} />
      <button
        type="button"
        className="button-primary"
        disabled={action.busy}
        onClick={() =>
          void action.run(async () => {
            if (!day || !window) {
              setUnanswered(true);
              return refused();
            }
            const result = await requestAgain(services, row, { preferredDate: day, preferredWindow: window });
            if (result.ok) onDone();
            else action.fail(issuesText(result.issues, t));
          })
        }
      >
        {t('kiosk.queue.requestAgain')}
      </button>
    </div>
  );
}

function CorrectPatient({
  patient,
  onDone,
}: {
  patient: ReturnType<typeof patientFields.parse>;
  onDone(): void;
}) {
  const { t, lang } = useKioskI18n();
  const services = useServices();
  const [values, setValues] = useState<ProfileFormValues>(() => initialValues(patient, lang));
  const [errors, setErrors] = useState<Partial<Record<ProfileField, FieldMessage>>>({});
  const action = useAction();
  const { ref, refused } = useFocusFirstError<HTMLFormElement>();
  const set = (field: ProfileField) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  const errorText = (field: ProfileField) => {
    const e = errors[field];
    return e ? t(e.key, e.params) : undefined;
  };
  function submit(e: FormEvent) {
    e.preventDefault();
    void action.run(async () => {
      const result = await saveProfile(
        services,
        toCandidate(values, patient, () => patient.id),
      );
      if (!result.ok) {
        setErrors(fieldMessages(result.issues));
        return refused();
      }
      onDone();
    });
  }
  return (
    <form className="kiosk-fix" onSubmit={submit} noValidate autoComplete="off" ref={ref}>
      <PatientFields values={values} set={set} errorText={errorText} shared />
      <FailureNotice error={action.error} />
      <button type="submit" className="button-primary" disabled={action.busy}>
        {t('kiosk.queue.correct')}
      </button>
    </form>
  );
}
