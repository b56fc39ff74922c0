/**
 * Request a consultation by specialty, for a phone with no availability saved (first use offline):
 * specialty → video or clinic → preferred day → time of day → reason → review → confirm. The server
 * books the first free matching slot when the request arrives, or says why it could not.
 */
import { useEffect, useRef } from 'react';
import { type Choice, ChoiceGroup } from '../../components/fields.tsx';
import { DayChoices, WindowChoices } from '../../components/request-choices.tsx';
import { REQUEST_SPECIALTIES } from '../../data/consult-request.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { useDirtyFlag } from '../../lib/dirty-forms.tsx';
import { specialtyLabel } from '../../lib/reference-labels.ts';
import { ReasonStep } from './reason-step.tsx';
import { REQUEST_STEPS, type RequestDraft, useRequestDraft } from './request-draft.ts';
import { ReviewStep } from './request-review.tsx';
import { NextButton, useUnanswered } from './step-next.tsx';

export function RequestScreen({
  onNeedProfile,
  onRequested,
}: {
  onNeedProfile(): void;
  onRequested(id: string): void;
}) {
  const { t } = useI18n();
  const [draft, update, clear] = useRequestDraft();
  useDirtyFlag(draft.step !== 'specialty' || draft.specialty !== null);
  const stepRef = useRef<HTMLDivElement>(null);
  const shownStep = useRef(draft.step);
  useEffect(() => {
    if (shownStep.current !== draft.step) stepRef.current?.querySelector<HTMLElement>('h3')?.focus();
    shownStep.current = draft.step;
  }, [draft.step]);

  const unanswered = useUnanswered(draft.step, stepRef);
  const index = REQUEST_STEPS.indexOf(draft.step);
  const next = () => update({ step: REQUEST_STEPS[index + 1] ?? 'review' });
  const back = index > 0 ? () => update({ step: REQUEST_STEPS[index - 1] ?? 'specialty' }) : null;
  return (
    <section className="screen" aria-labelledby="request-title">
      <h2 id="request-title">{t('request.title')}</h2>
      <p className="step-count">{t('booking.stepOf', { step: index + 1, total: REQUEST_STEPS.length })}</p>
      {draft.step === 'specialty' && <p className="hint">{t('request.offerHint')}</p>}
      <div ref={stepRef}>
        <RequestStep
          draft={draft}
          update={update}
          onNext={next}
          unanswered={unanswered}
          onNeedProfile={onNeedProfile}
          onRequested={(id) => {
            clear();
            onRequested(id);
          }}
        />
        {back && (
          <button type="button" className="button-secondary" onClick={back}>
            {t('booking.back')}
          </button>
        )}
      </div>
    </section>
  );
}

interface StepProps {
  draft: RequestDraft;
  update(change: Partial<RequestDraft>): void;
  onNext(): void;
  unanswered: { message: string | undefined; refuse(): void };
  onNeedProfile(): void;
  onRequested(id: string): void;
}

function RequestStep(props: StepProps) {
  const { t } = useI18n();
  const { draft, update, onNext } = props;
  const missing = props.unanswered.message;
  const next = (answered: boolean) => (
    <NextButton answered={answered} onNext={onNext} onUnanswered={props.unanswered.refuse} />
  );
  switch (draft.step) {
    case 'specialty': {
      const choices: Choice<string>[] = REQUEST_SPECIALTIES.map((s) => ({
        value: s,
        label: specialtyLabel(s, t),
      }));
      return (
        <>
          <ChoiceGroup
            legendAs="heading"
            legend={t('booking.specialty.heading')}
            name="requested-specialty"
            choices={choices}
            value={draft.specialty}
            onChange={(specialty) => update({ specialty })}
            error={draft.specialty ? undefined : missing}
          />
          {next(draft.specialty !== null)}
        </>
      );
    }
    case 'mode': {
      const choices: Choice<'video' | 'in_person'>[] = [
        { value: 'video', label: t('booking.mode.video') },
        { value: 'in_person', label: t('booking.mode.inPerson') },
      ];
      return (
        <>
          <ChoiceGroup
            legendAs="heading"
            legend={t('booking.mode.heading')}
            name="requested-mode"
            choices={choices}
            value={draft.mode}
            onChange={(mode) => update({ mode })}
            error={draft.mode ? undefined : missing}
          />
          {next(draft.mode !== null)}
        </>
      );
    }
    case 'day':
      return (
        <>
          <DayChoices
            value={draft.day}
            onChange={(day) => update({ day })}
            error={draft.day ? undefined : missing}
          />
          {next(draft.day !== null)}
        </>
      );
    case 'window':
      return (
        <>
          <WindowChoices
            day={draft.day}
            value={draft.window}
            onChange={(window) => update({ window })}
            error={draft.window ? undefined : missing}
          />
          {next(draft.window !== null)}
        </>
      );
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
