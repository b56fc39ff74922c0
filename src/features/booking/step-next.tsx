/**
 * "Next" of a one-question step (booking, request). It was greyed out until the question was
 * answered, with nothing saying why, and a disabled button is skipped by Tab and read by a screen
 * reader only as "dimmed". Now it can always be pressed: with no answer, the question says so
 * (tied to it, aria-invalid) and takes the focus.
 */
import { type RefObject, useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { focusFirstError } from '../../lib/focus.ts';

export function NextButton({
  answered,
  onNext,
  onUnanswered,
}: {
  answered: boolean;
  onNext(): void;
  onUnanswered(): void;
}) {
  const { t } = useI18n();
  return (
    <button type="button" className="button-primary" onClick={answered ? onNext : onUnanswered}>
      {t('booking.next')}
    </button>
  );
}

/**
 * Whether the current step's question is to be marked unanswered (Next was pressed on it without an
 * answer), and the handler for that. `container` holds the steps: focus goes to the question.
 */
export function useUnanswered(
  step: string,
  container: RefObject<HTMLElement | null>,
): { message: string | undefined; refuse(): void } {
  const { t } = useI18n();
  // A new object on every refusal, so each press moves focus again.
  const [refused, setRefused] = useState<{ step: string } | null>(null);
  useEffect(() => {
    if (refused) focusFirstError(container.current);
  }, [refused, container]);
  return {
    message: refused?.step === step ? t('error.choose') : undefined,
    refuse: () => setRefused({ step }),
  };
}
