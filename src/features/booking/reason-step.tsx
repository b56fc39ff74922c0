/** The "reason for the visit" step, shared by booking a slot and requesting a consultation. */
import { type FormEvent, useState } from 'react';
import { appointmentFields, FIELD_LIMITS } from '../../../sync/entities.ts';
import { TextAreaField } from '../../components/fields.tsx';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { useFocusFirstError } from '../../lib/focus.ts';
import { fieldMessages } from '../../lib/validation-messages.ts';

export function ReasonStep({
  reason,
  onReason,
  onNext,
}: {
  reason: string;
  onReason(reason: string): void;
  onNext(): void;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<string | undefined>();
  const { ref, refused } = useFocusFirstError<HTMLFormElement>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The same rule the server applies to appointments.reason.
    const parsed = appointmentFields.shape.reason.safeParse(reason);
    if (!parsed.success) {
      const message = fieldMessages(parsed.error.issues)[''];
      setError(message ? t(message.key, message.params) : t('error.invalid'));
      refused();
      return;
    }
    onNext();
  };
  return (
    <form onSubmit={submit} noValidate ref={ref}>
      <h3 tabIndex={-1}>{t('booking.reason.heading')}</h3>
      <TextAreaField
        label={t('booking.reason.label')}
        rows={4}
        limit={FIELD_LIMITS.reason}
        value={reason}
        onChange={(e) => {
          setError(undefined);
          onReason(e.target.value);
        }}
        error={error}
      />
      <button type="submit" className="button-primary">
        {t('booking.next')}
      </button>
    </form>
  );
}
