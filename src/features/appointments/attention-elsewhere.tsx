/**
 * Every change "Needs attention (N)" counts that no item above shows (`unlisted-attention.ts`): a
 * refused write of a row this list does not hold, or an entry the app cannot read. Each says what it
 * was and why it is stuck, and can be discarded, so the count the header leads here with is the
 * count of what this screen offers to fix.
 */
import { BookingLimitHint } from '../../components/booking-limit-hint.tsx';
import { DiscardChange } from '../../components/discard-change.tsx';
import { rejectReason } from '../../components/sync-label.ts';
import type { AppointmentView } from '../../data/appointment-view.ts';
import { madeByAnother } from '../../data/session-user.ts';
import type { UnlistedAttention } from '../../data/unlisted-attention.ts';
import { useOwnPatientSync } from '../../data/use-row-sync.ts';
import { useSessionUser } from '../../data/use-session-user.ts';
import { useUnlistedAttention } from '../../data/use-unlisted-attention.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';

export function AttentionElsewhere({
  appointments,
}: {
  appointments: readonly AppointmentView[] | undefined;
}) {
  const { t } = useI18n();
  const own = useOwnPatientSync();
  const listed =
    appointments && own
      ? {
          appointmentIds: new Set(appointments.map((a) => a.row.id)),
          ownPatient: own.patient ? { id: own.patient.id, sync: own.sync } : null,
        }
      : undefined;
  const items = useUnlistedAttention(listed);
  if (!items || items.length === 0) return null;
  return (
    <section aria-labelledby="attention-elsewhere" className="card">
      <h3 id="attention-elsewhere">{t('attention.elsewhere')}</h3>
      <ul className="appointment-list">
        {items.map((item, i) => (
          <li key={item.id ?? `unreadable-${i}`} className="appointment sync-attention">
            <Item item={item} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function Item({ item }: { item: UnlistedAttention }) {
  const { t, lang } = useI18n();
  const user = useSessionUser();
  // Another account's change (a lost session, then someone else signed in): what it was and when,
  // enough to decide on a shared phone; never its contents (a name, a birth date, a reason).
  const other = item.kind === 'entry' && user !== null && madeByAnother(item.entry.actor, user);
  const [what, why] =
    item.kind === 'entry'
      ? [
          t(`attention.${item.entry.entity}.${item.entry.op}`),
          t('sync.attention', { reason: rejectReason(item.error, t, item.entry.entity) }),
        ]
      : [t('attention.unreadable'), t('attention.unreadableReason')];
  return (
    <>
      <p className="appointment-title">{what}</p>
      <p className="sync-label sync-label-attention">{why}</p>
      {item.kind === 'entry' && <BookingLimitHint error={item.error} />}
      {other && (
        <p className="hint">
          {t('attention.otherAccount', { when: formatDateTime(lang, new Date(item.entry.createdAt)) })}
        </p>
      )}
      {/* An unreadable record is set aside whatever its id (it may have none that is text). */}
      <DiscardChange mutationId={item.kind === 'entry' ? item.id : null} />
    </>
  );
}
