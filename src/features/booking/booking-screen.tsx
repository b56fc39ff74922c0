/**
 * Book a consultation, one question per step: specialty → doctor → video or clinic → day and time →
 * reason → review. The mode comes before the time because every slot is for one mode (the server
 * refuses a video booking of an in-clinic slot), so the times shown are the ones that fit it.
 */
import { useEffect, useRef } from 'react';
import { FailureNotice } from '../../components/failure-notice.tsx';
import { type Choice, ChoiceGroup, Notice } from '../../components/fields.tsx';
import { bookAppointment } from '../../data/appointment-writes.ts';
import type { Doctor, Slot } from '../../data/reference-rows.ts';
import { useServices } from '../../data/services-context.tsx';
import { useNow } from '../../data/use-appointments.ts';
import { useOwnPatient } from '../../data/use-patient.ts';
import { freeSlots, useDoctorSlots, useDoctors, useHasSlots } from '../../data/use-reference-data.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { useDirtyFlag } from '../../lib/dirty-forms.tsx';
import { languageNames, specialtyLabel } from '../../lib/reference-labels.ts';
import { useAction } from '../../lib/use-action.ts';
import { BOOKING_STEPS, type BookingDraft, type BookingStep, useBookingDraft } from './booking-draft.ts';
import { ReasonStep } from './reason-step.tsx';
import { SlotPicker } from './slot-picker.tsx';

export function BookingScreen({
  onNeedProfile,
  onBooked,
  onRequest,
}: {
  onNeedProfile(): void;
  onBooked(id: string): void;
  /** No availability on the phone (never synced): request by specialty instead. */
  onRequest(): void;
}) {
  const { t } = useI18n();
  const doctors = useDoctors();
  const hasSlots = useHasSlots();
  const [draft, update, clear] = useBookingDraft();
  const doctor = doctors?.find((d) => d.id === draft.doctorId) ?? null;
  const slots = useDoctorSlots(draft.doctorId);
  const now = useNow();
  const free = slots ? freeSlots(slots, now) : undefined;
  useDirtyFlag(draft.step !== 'specialty' || draft.specialty !== null);

  const stepRef = useRef<HTMLDivElement>(null);
  const shownStep = useRef(draft.step);
  useEffect(() => {
    // Moving between steps moves focus to the new question, for keyboard and screen reader users.
    if (shownStep.current !== draft.step) stepRef.current?.querySelector<HTMLElement>('h3')?.focus();
    shownStep.current = draft.step;
  }, [draft.step]);

  const index = BOOKING_STEPS.indexOf(draft.step);
  const go = (step: BookingStep) => update({ step });
  const back = index > 0 ? () => go(BOOKING_STEPS[index - 1] ?? 'specialty') : null;

  return (
    <section className="screen" aria-labelledby="booking-title">
      <h2 id="booking-title">{t('booking.title')}</h2>
      {doctors === undefined || hasSlots === undefined ? (
        // Both decide between the steps and the request offer: show neither before both are known.
        <p className="loading">{t('app.loading')}</p>
      ) : doctors.length === 0 || hasSlots === false ? (
        // The offer is one choice, not a step of the booking: no "Step 1 of 6" here.
        <RequestOffer onRequest={onRequest} noDoctors={doctors.length === 0} />
      ) : (
        <div ref={stepRef}>
          <p className="step-count">
            {t('booking.stepOf', { step: index + 1, total: BOOKING_STEPS.length })}
          </p>
          <Step
            draft={draft}
            update={update}
            doctors={doctors}
            doctor={doctor}
            free={free}
            onNext={() => go(BOOKING_STEPS[index + 1] ?? 'review')}
            onNeedProfile={onNeedProfile}
            onBooked={(id) => {
              clear();
              onBooked(id);
            }}
          />
          {back && (
            <button type="button" className="button-secondary" onClick={back}>
              {t('booking.back')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

/** Availability never reached this phone: the patient can still ask for a consultation. */
function RequestOffer({ onRequest, noDoctors }: { onRequest(): void; noDoctors: boolean }) {
  const { t } = useI18n();
  return (
    <>
      {noDoctors && <Notice tone="warning">{t('booking.noDoctors')}</Notice>}
      <p>{t('request.offerHint')}</p>
      <button type="button" className="button-primary" onClick={onRequest}>
        {t('request.offer')}
      </button>
    </>
  );
}

interface StepProps {
  draft: BookingDraft;
  update(change: Partial<BookingDraft>): void;
  doctors: readonly Doctor[];
  doctor: Doctor | null;
  free: Slot[] | undefined;
  onNext(): void;
  onNeedProfile(): void;
  onBooked(id: string): void;
}

function NextButton({ disabled, onNext }: { disabled: boolean; onNext(): void }) {
  const { t } = useI18n();
  return (
    <button type="button" className="button-primary" disabled={disabled} onClick={onNext}>
      {t('booking.next')}
    </button>
  );
}

function Step(props: StepProps) {
  const { t, lang } = useI18n();
  const { draft, update, doctors, doctor, free, onNext } = props;
  switch (draft.step) {
    case 'specialty': {
      const specialties = [...new Set(doctors.map((d) => d.specialty))].sort();
      const choices: Choice<string>[] = specialties.map((s) => ({ value: s, label: specialtyLabel(s, t) }));
      return (
        <>
          <ChoiceGroup
            legendAs="heading"
            legend={t('booking.specialty.heading')}
            name="specialty"
            choices={choices}
            value={draft.specialty}
            onChange={(specialty) => update({ specialty })}
          />
          <NextButton disabled={!draft.specialty} onNext={onNext} />
        </>
      );
    }
    case 'doctor': {
      const choices: Choice<string>[] = doctors
        .filter((d) => d.specialty === draft.specialty)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((d) => ({
          value: d.id,
          label: d.name,
          description: `${t('booking.doctor.languages', { languages: languageNames(d.languages, lang) })} · ${
            d.offers_video ? t('booking.doctor.video') : t('booking.doctor.clinicOnly')
          }`,
        }));
      return (
        <>
          <ChoiceGroup
            legendAs="heading"
            legend={t('booking.doctor.heading')}
            name="doctor"
            choices={choices}
            value={draft.doctorId}
            onChange={(doctorId) => update({ doctorId })}
          />
          <NextButton disabled={!draft.doctorId} onNext={onNext} />
        </>
      );
    }
    case 'mode': {
      const has = (mode: 'video' | 'in_person') => free?.some((s) => s.mode === mode) ?? false;
      const choices: Choice<'video' | 'in_person'>[] = [
        {
          value: 'video',
          label: t('booking.mode.video'),
          disabled: !doctor?.offers_video || !has('video'),
          ...(!doctor?.offers_video || !has('video') ? { description: t('booking.mode.unavailable') } : {}),
        },
        {
          value: 'in_person',
          label: t('booking.mode.inPerson'),
          disabled: !has('in_person'),
          ...(!has('in_person') ? { description: t('booking.mode.unavailable') } : {}),
        },
      ];
      return (
        <>
          {free && free.length === 0 && <Notice tone="warning">{t('booking.slot.none')}</Notice>}
          <ChoiceGroup
            legendAs="heading"
            legend={t('booking.mode.heading')}
            name="mode"
            choices={choices}
            value={draft.mode}
            onChange={(mode) => update({ mode })}
          />
          <NextButton disabled={!draft.mode} onNext={onNext} />
        </>
      );
    }
    case 'slot': {
      const matching = (free ?? []).filter((s) => s.mode === draft.mode);
      return (
        <>
          <h3 tabIndex={-1}>{t('booking.slot.heading')}</h3>
          {matching.length === 0 ? (
            <Notice tone="warning">{t('booking.slot.none')}</Notice>
          ) : (
            <SlotPicker
              slots={matching}
              day={draft.day}
              slotId={draft.slotId}
              onDay={(day) => update({ day })}
              onSlot={(slotId) => update({ slotId })}
              showMode={false}
            />
          )}
          <NextButton disabled={!matching.some((s) => s.id === draft.slotId)} onNext={onNext} />
        </>
      );
    }
    case 'reason':
      return (
        <ReasonStep
          reason={props.draft.reason}
          onReason={(reason) => props.update({ reason })}
          onNext={props.onNext}
        />
      );
    case 'review':
      return <ReviewStep {...props} />;
    default:
      return null;
  }
}

function ReviewStep({ draft, update, doctor, free, onNeedProfile, onBooked }: StepProps) {
  const { t, lang } = useI18n();
  const services = useServices();
  const patient = useOwnPatient();
  const action = useAction();
  const slot = free?.find((s) => s.id === draft.slotId) ?? null;

  useEffect(() => {
    // The slot was taken (a pull arrived) since it was chosen: back to the times.
    if (free && !slot) update({ step: 'slot', slotId: null });
  }, [free, slot, update]);

  if (!doctor || !slot) return null;
  const confirm = (patientId: string) =>
    action.run(async () => {
      const result = await bookAppointment(services, { patientId, slot, reason: draft.reason });
      if (result.ok) onBooked(result.row.id);
      else action.fail(result.issues.map((i) => i.message).join('; '));
    });
  return (
    <>
      <h3 tabIndex={-1}>{t('booking.review.heading')}</h3>
      <dl className="summary">
        <dt>{t('booking.review.specialty')}</dt>
        <dd>{specialtyLabel(doctor.specialty, t)}</dd>
        <dt>{t('booking.review.doctor')}</dt>
        <dd>{doctor.name}</dd>
        <dt>{t('booking.review.when')}</dt>
        <dd>{formatDateTime(lang, new Date(slot.starts_at))}</dd>
        <dt>{t('booking.review.mode')}</dt>
        <dd>{t(`mode.${slot.mode}`)}</dd>
        <dt>{t('booking.review.reason')}</dt>
        <dd>{draft.reason.trim()}</dd>
        {patient && (
          <>
            <dt>{t('booking.review.patient')}</dt>
            <dd>{patient.full_name}</dd>
          </>
        )}
      </dl>
      <FailureNotice error={action.error} describe={(message) => t('booking.failed', { message })} />
      {patient === null ? (
        <button type="button" className="button-primary" onClick={onNeedProfile}>
          {t('booking.needsProfile')}
        </button>
      ) : (
        <button
          type="button"
          className="button-primary"
          disabled={action.busy || !patient}
          onClick={() => void (patient ? confirm(patient.id) : onNeedProfile())}
        >
          {t('booking.confirm')}
        </button>
      )}
    </>
  );
}
