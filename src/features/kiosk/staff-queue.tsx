/**
 * The whole kiosk's outbox, for staff only: what waits, what is sending, and what needs attention
 * with the server's reason and the fixes (another time, correct a field, discard). Each row's state
 * is the same per-row state the patient app shows (item-sync-state.ts).
 */
import { useState } from 'react';
import type { LocalMutation } from '../../../sync/local-mutation.ts';
import { Notice } from '../../components/fields.tsx';
import { preferredDayLabel } from '../../components/request-label.ts';
import { groupByRow, itemSyncState } from '../../data/item-sync-state.ts';
import { useServices } from '../../data/services-context.tsx';
import { useOutbox } from '../../data/use-outbox.ts';
import { clinicDateTime } from '../../i18n/clinic-time.ts';
import { useAction } from '../../lib/use-action.ts';
import { kioskSyncLabel, useKioskI18n } from './kiosk-i18n.ts';
import { QueueFix } from './queue-fixes.tsx';

export function describeQueued(
  m: LocalMutation,
  t: ReturnType<typeof useKioskI18n>['t'],
  lang: ReturnType<typeof useKioskI18n>['lang'],
) {
  const data = m.data ?? m.before ?? {};
  if (m.entity === 'patients') return t('kiosk.queue.patient', { name: String(data.full_name ?? '—') });
  const startsAt = typeof data.starts_at === 'string' ? clinicDateTime(lang, new Date(data.starts_at)) : null;
  return startsAt
    ? t('kiosk.queue.appointment', { when: startsAt })
    : // A calendar day in words ("Tue, 1 Dec"), as everywhere else: it showed as 2026-12-01.
      t('kiosk.queue.request', {
        day: preferredDayLabel(typeof data.preferred_date === 'string' ? data.preferred_date : null, lang),
      });
}

export function StaffQueue() {
  const { t, lang } = useKioskI18n();
  const outbox = useOutbox();
  if (outbox === undefined) return <p className="loading">{t('app.loading')}</p>;
  const groups = [...groupByRow(outbox).values()];
  return (
    <section aria-labelledby="kiosk-queue-title">
      <h3 id="kiosk-queue-title">{t('kiosk.queue.title')}</h3>
      {groups.length === 0 ? (
        <p>{t('kiosk.queue.empty')}</p>
      ) : (
        <ul className="kiosk-queue">
          {groups.map((entries) => {
            const last = entries[entries.length - 1] as LocalMutation;
            return (
              <QueueItem
                key={`${last.entity}:${last.key}`}
                entries={entries}
                outbox={outbox}
                label={describeQueued(last, t, lang)}
              />
            );
          })}
        </ul>
      )}
    </section>
  );
}

function QueueItem({
  entries,
  outbox,
  label,
}: {
  entries: LocalMutation[];
  outbox: LocalMutation[];
  label: string;
}) {
  const { t } = useKioskI18n();
  const { engine } = useServices();
  const state = itemSyncState(entries, outbox);
  const [fixing, setFixing] = useState(false);
  const action = useAction();
  const refused = state.kind === 'attention' ? outbox.find((m) => m.id === state.mutationId) : undefined;
  return (
    <li className="kiosk-queue-item">
      <p className="kiosk-queue-label">{label}</p>
      {state.kind === 'attention' ? (
        <Notice tone="error">{kioskSyncLabel(state, t)}</Notice>
      ) : (
        <p className={`sync-label sync-label-${state.kind}`}>{kioskSyncLabel(state, t)}</p>
      )}
      {state.kind === 'attention' && state.blockedBy === null && refused && (
        <div className="kiosk-actions">
          <button type="button" className="button-secondary" onClick={() => setFixing((f) => !f)}>
            {t('kiosk.queue.fix')}
          </button>
          <button
            type="button"
            className="button-secondary"
            disabled={action.busy}
            onClick={() => void action.run(() => engine.discard(state.mutationId))}
          >
            {t('kiosk.queue.discard')}
          </button>
        </div>
      )}
      {fixing && refused && <QueueFix mutation={refused} onDone={() => setFixing(false)} />}
    </li>
  );
}
