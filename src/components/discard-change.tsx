/**
 * "Discard this change", confirmed: the refused write (and what cannot happen without it) is not
 * sent, and the rows it changed show as they were. A refused profile write the patient gives up on
 * (the server keeps another profile for the account, say), and each refused entry My appointments
 * lists without a row of its own: without it a refusal stayed in the header for good.
 */
import { useState } from 'react';
import { discardChange } from '../data/appointment-writes.ts';
import { useServices } from '../data/services-context.tsx';
import { useI18n } from '../i18n/i18n-provider.tsx';
import { useAction } from '../lib/use-action.ts';
import { FailureNotice } from './failure-notice.tsx';

export function DiscardChange({ mutationId }: { mutationId: string }) {
  const { t } = useI18n();
  const services = useServices();
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  if (!confirming)
    return (
      <div className="actions">
        <button type="button" className="button-secondary" onClick={() => setConfirming(true)}>
          {t('appointments.discard')}
        </button>
      </div>
    );
  return (
    <fieldset className="confirm">
      <legend>{t('appointments.discardConfirm')}</legend>
      <button
        type="button"
        className="button-danger"
        disabled={action.busy}
        onClick={() => void action.run(() => discardChange(services, mutationId))}
      >
        {t('appointments.discardYes')}
      </button>
      <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
        {t('appointments.cancelNo')}
      </button>
      <FailureNotice error={action.error} />
    </fieldset>
  );
}
