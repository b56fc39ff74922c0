/**
 * One appointment in "Today at this clinic": time, patient, status, the staff actions the state
 * machine allows from that status, and where the last action stands on its way to the server (a
 * refused transition is shown here, with the server's reason; its fixes are in the queue tab).
 */
import { useEffect, useRef, useState } from 'react';
import type { LocalMutation } from '../../../sync/local-mutation.ts';
import { rowSyncStates } from '../../data/item-sync-state.ts';
import { type StaffTarget, setStaffStatus, staffActions } from '../../data/kiosk-status.ts';
import type { TodayItem } from '../../data/kiosk-today.ts';
import { useServices } from '../../data/services-context.tsx';
import { clinicTime } from '../../i18n/clinic-time.ts';
import { useAction } from '../../lib/use-action.ts';
import { issuesText } from '../../lib/validation-messages.ts';
import { type KioskTranslate, kioskSyncLabel, useKioskI18n } from './kiosk-i18n.ts';

const STATUSES = [
  'requested',
  'confirmed',
  'rejected',
  'cancelled',
  'completed',
  'checked_in',
  'no_show',
] as const;

/** The server may know statuses this version does not: they are named, not hidden. */
export function statusLabel(status: string, t: KioskTranslate): string {
  const known = STATUSES.find((s) => s === status);
  return known ? t(`kiosk.status.${known}`) : t('kiosk.status.unknown', { status });
}

export function TodayEntry({
  item,
  outbox,
  onMoved,
}: {
  item: TodayItem;
  outbox: readonly LocalMutation[];
  onMoved(item: TodayItem): void;
}) {
  const { t, lang } = useKioskI18n();
  const services = useServices();
  const action = useAction();
  const row = item.row;
  const actions = row ? staffActions(row.status) : [];
  const sync = row ? rowSyncStates(outbox)('appointments', row) : null;

  const entry = useRef<HTMLLIElement>(null);
  const [moved, setMoved] = useState(false);
  // The pressed button goes with the old status: a keyboard or screen-reader user stays in this
  // item, on its next action (or on the item when none is left), not thrown back to the page's top.
  useEffect(() => {
    if (!moved || action.busy) return;
    setMoved(false);
    const here = entry.current;
    if (here?.contains(document.activeElement) || document.activeElement === document.body)
      (here?.querySelector('button') ?? here)?.focus();
  }, [moved, action.busy]);

  function move(to: StaffTarget) {
    if (!row) return;
    void action.run(async () => {
      const written = await setStaffStatus(services, row, to);
      if (written.ok) {
        onMoved({ ...item, status: to, row: { ...row, status: to } });
        setMoved(true);
      } else action.fail(issuesText(written.issues, t));
    });
  }

  return (
    <li className="kiosk-today-item" ref={entry} tabIndex={-1}>
      <span>
        {item.startsAt ? clinicTime(lang, new Date(item.startsAt)) : '—'} · {item.patientName} ·{' '}
        <strong>{statusLabel(item.status, t)}</strong>
      </span>
      {actions.length > 0 && (
        <span className="kiosk-actions">
          {actions.map((to) => (
            <button
              key={to}
              type="button"
              className={to === 'checked_in' || to === 'confirmed' ? 'button-primary' : 'button-secondary'}
              disabled={action.busy}
              aria-label={`${t(`kiosk.today.action.${to}`)} — ${item.patientName}`}
              onClick={() => move(to)}
            >
              {t(`kiosk.today.action.${to}`)}
            </button>
          ))}
        </span>
      )}
      {/* After the buttons, on a line of its own kept when empty: the words come and go as a change
          is sent, and must move no button under a finger (a tap meant for "Check in" would land on
          the next appointment). Always present, so screen readers announce each change in it. */}
      <span className={`kiosk-today-sync hint${sync?.kind === 'attention' ? ' error' : ''}`} role="status">
        {sync && sync.kind !== 'synced' ? kioskSyncLabel(sync, t) : ''}
      </span>
      {action.error && (
        <span className="hint error" role="alert">
          {t('kiosk.today.failed', { message: action.error })}
        </span>
      )}
    </li>
  );
}
