/**
 * Book a consultation, one question per step: specialty → doctor → video or clinic → day and time →
 * reason → review. The mode comes before the time because every slot is for one mode (the server
 * refuses a video booking of an in-clinic slot), so the times shown are the ones that fit it.
 */
import { useEffect, useRef } from 'react';
import { type Choice, ChoiceGroup, Notice } from '../../components/fields.tsx';
import { SlotPicker } from '../../components/slot-picker.tsx';
import type { Doctor, Slot } from '../../data/reference-rows.ts';
import { useNow } from '../../data/use-appointments.ts';
import { freeSlots, useDoctorSlots, useDoctors, useHasSlots } from '../../data/use-reference-data.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { useDirtyFlag } from '../../lib/dirty-forms.tsx';
import { languageNames, specialtyLabel } from '../../lib/reference-labels.ts';
import { BOOKING_STEPS, type BookingDraft, type BookingStep, useBookingDraft } from './booking-draft.ts';
import { ReviewStep } from './booking-review.tsx';
import { ReasonStep } from './reason-step.tsx';
import { NextButton, useUnanswered } from './step-next.tsx';

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

  const unanswered = useUnanswered(draft.step, stepRef);
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
            unanswered={unanswered}
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
  unanswered: { message: string | undefined; refuse(): void };
  onNeedProfile(): void;
  onBooked(id: string): void;
}

function Step(props: StepProps) {
  const { t, lang } = useI18n();
  const { draft, update, doctors, doctor, free, onNext } = props;
  const missing = props.unanswered.message;
  const next = (answered: boolean) => (
    <NextButton answered={answered} onNext={onNext} onUnanswered={props.unanswered.refuse} />
  );
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
            error={draft.specialty ? undefined : missing}
          />
          {next(draft.specialty !== null)}
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
            error={draft.doctorId ? undefined : missing}
          />
          {next(draft.doctorId !== null)}
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
            error={draft.mode ? undefined : missing}
          />
          {next(draft.mode !== null)}
        </>
      );
    }
    case 'slot': {
      const matching = (free ?? []).filter((s) => s.mode === draft.mode);
      const chosen = matching.some((s) => s.id === draft.slotId);
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
              error={chosen ? undefined : missing}
            />
          )}
          {next(chosen)}
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
