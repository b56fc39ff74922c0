/**
 * An account without an email or phone (anonymous) may hold fewer bookings than one with
 * (`max_active_bookings_anonymous`). The server said "sign in to book more" in its English message
 * only, which the patient never reads (sync-label.ts): a refused booking told "cancel one" and not
 * that adding an email lifts the cap. The device knows its session, so it says so, with the way there.
 */
import type { MutationError } from '../../sync/local-mutation.ts';
import type { SessionUser } from '../data/session-user.ts';
import { useSessionUser } from '../data/use-session-user.ts';
import { useI18n } from '../i18n/i18n-provider.tsx';
import { hrefOf } from '../lib/router.ts';

/** Whether a refusal is the booking cap of an account that could lift it by adding an email. */
export function liftsWithEmail(error: MutationError | null | undefined, user: SessionUser | null): boolean {
  return error?.code === 'booking_limit' && user?.anonymous === true;
}

export function BookingLimitHint({ error }: { error: MutationError | null | undefined }) {
  const { t } = useI18n();
  const user = useSessionUser();
  if (!liftsWithEmail(error, user)) return null;
  return (
    <p className="hint">
      {t('reject.bookingLimitAnonymous')}{' '}
      <a href={hrefOf('/account', { next: '/appointments' })}>{t('reject.addEmail')}</a>
    </p>
  );
}
