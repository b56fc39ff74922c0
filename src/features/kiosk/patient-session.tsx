/**
 * One patient's time at the tablet, from Home to "Done" (or the idle timeout). Everything about the
 * patient lives in this component's state and its children's; the kiosk unmounts it (a new `key`)
 * when the session ends, so none of it stays in React. The URL never changes during a session:
 * there is no history entry that Back could bring back.
 */
import { useState } from 'react';
import { Notice } from '../../components/fields.tsx';
import type { PatientIndex } from '../../data/kiosk-index.ts';
import type { MatchedPatient } from '../../data/kiosk-match.ts';
import type { Lang } from '../../i18n/translate.ts';
import { useFocusHeadingOnChange } from '../../lib/focus.ts';
import { newUuid } from '../../lib/uuid.ts';
import { BookStep } from './book-step.tsx';
import { CheckInOffer } from './check-in-offer.tsx';
import { FindStep } from './find-step.tsx';
import { IdleGuard } from './idle-guard.tsx';
import { useKioskI18n } from './kiosk-i18n.ts';
import { PatientHome } from './patient-home.tsx';
import { RegisterStep } from './register-step.tsx';

type Step =
  | { kind: 'home' }
  | { kind: 'new'; patientId: string }
  | { kind: 'find' }
  /** `returning`: found, not just registered, so today's appointment may be checked in to. */
  | { kind: 'book'; patientId: string; firstName: string; returning: boolean }
  | { kind: 'saved'; firstName: string; outcome: Outcome };

type Outcome = 'booked' | 'registered' | 'checkedIn';
const OUTCOME_TEXT = {
  booked: 'kiosk.saved.booked',
  registered: 'kiosk.saved.registered',
  checkedIn: 'kiosk.saved.checkedIn',
} as const;

export function PatientSession({
  clinicId,
  clinicName,
  defaultLang,
  idleSeconds,
  index,
  onActivePatient,
  onMatched,
  onEnd,
}: {
  clinicId: string;
  clinicName: string;
  defaultLang: Lang;
  idleSeconds: number;
  index: PatientIndex;
  /** The patient whose rows must stay while the session lasts (the sweep keeps them). */
  onActivePatient(id: string | null): void;
  /** A returning patient was found and chosen. */
  onMatched(patient: MatchedPatient): void;
  onEnd(): void;
}) {
  const [step, setStep] = useState<Step>({ kind: 'home' });
  // Each step replaces the last in place, and the button pressed goes with it.
  const screen = useFocusHeadingOnChange<HTMLDivElement>(step.kind);
  const view =
    step.kind === 'home' ? (
      <PatientHome
        clinicName={clinicName}
        defaultLang={defaultLang}
        idleSeconds={idleSeconds}
        onNew={() => {
          const patientId = newUuid();
          onActivePatient(patientId);
          setStep({ kind: 'new', patientId });
        }}
        onReturning={() => setStep({ kind: 'find' })}
      />
    ) : (
      <IdleGuard idleSeconds={idleSeconds} onExpired={onEnd}>
        {step.kind === 'new' && (
          <RegisterStep
            patientId={step.patientId}
            onRegistered={(p) => {
              // Registered now: what tells this registration from an earlier one of the same details.
              void index.add([{ ...p, created_at: p.created_at ?? new Date().toISOString() }]);
              setStep({
                kind: 'book',
                patientId: p.id,
                firstName: p.full_name.trim().split(/\s+/)[0] ?? '',
                returning: false,
              });
            }}
            onCancel={onEnd}
          />
        )}
        {step.kind === 'find' && (
          <FindStep
            index={index}
            onFound={(m) => {
              onActivePatient(m.patientId);
              onMatched(m);
              setStep({ kind: 'book', patientId: m.patientId, firstName: m.firstName, returning: true });
            }}
            onNew={() => {
              const patientId = newUuid();
              onActivePatient(patientId);
              setStep({ kind: 'new', patientId });
            }}
            onCancel={onEnd}
          />
        )}
        {step.kind === 'book' && step.returning && (
          <CheckInOffer
            patientId={step.patientId}
            onCheckedIn={() => setStep({ kind: 'saved', firstName: step.firstName, outcome: 'checkedIn' })}
          />
        )}
        {step.kind === 'book' && (
          <BookStep
            clinicId={clinicId}
            patientId={step.patientId}
            onBooked={() => setStep({ kind: 'saved', firstName: step.firstName, outcome: 'booked' })}
            onSkip={() => setStep({ kind: 'saved', firstName: step.firstName, outcome: 'registered' })}
          />
        )}
        {step.kind === 'saved' && <Saved firstName={step.firstName} outcome={step.outcome} onDone={onEnd} />}
      </IdleGuard>
    );
  return <div ref={screen}>{view}</div>;
}

function Saved({ firstName, outcome, onDone }: { firstName: string; outcome: Outcome; onDone(): void }) {
  const { t } = useKioskI18n();
  return (
    <section className="kiosk-screen" aria-labelledby="kiosk-saved-title">
      <h2 id="kiosk-saved-title">{t('kiosk.saved.title', { name: firstName })}</h2>
      <Notice tone="success">{t(OUTCOME_TEXT[outcome])}</Notice>
      <p>{t('kiosk.saved.queued')}</p>
      <button type="button" className="button-primary kiosk-big" onClick={onDone}>
        {t('kiosk.done')}
      </button>
    </section>
  );
}
