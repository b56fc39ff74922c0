/**
 * "Discard this change", confirmed: the refused write (and what cannot happen without it) is not
 * sent, and the rows it changed show as they were. A refused profile write the patient gives up on
 * (the server keeps another profile for the account, say), and each refused entry My appointments
 * lists without a row of its own: without it a refusal stayed in the header for good. The question
 * is a `Confirmable`: focus goes to the safe answer, and back to the button when the change is kept.
 */
import { discardChange } from '../data/appointment-writes.ts';
import { useServices } from '../data/services-context.tsx';
import { useI18n } from '../i18n/i18n-provider.tsx';
import { useAction } from '../lib/use-action.ts';
import { Confirmable } from './confirmable.tsx';
import { FailureNotice } from './failure-notice.tsx';

/** `mutationId` null: a record that does not read as an entry, set aside (with any other such). */
export function DiscardChange({ mutationId }: { mutationId: string | null }) {
  const { t } = useI18n();
  const services = useServices();
  const action = useAction();
  return (
    <div className="actions">
      <Confirmable
        ask={t('appointments.discard')}
        askClass="button-secondary"
        question={t('appointments.discardConfirm')}
        yes={t('appointments.discardYes')}
        no={t('appointments.cancelNo')}
        busy={action.busy}
        onYes={() => void action.run(() => discardChange(services, mutationId))}
      >
        <FailureNotice error={action.error} />
      </Confirmable>
    </div>
  );
}
