/**
 * The queue inspector: every outbox mutation as the engine will see it, live, and the records the
 * store set aside as unreadable. Values are the engine's own codes (entity, op, state), as QA
 * quotes them in bug reports.
 */
import type { LocalMutation } from '../../../sync/local-mutation.ts';
import type { QuarantineEntry } from '../../../sync/stores/sync-store.ts';
import { useQaI18n } from '../../i18n/qa-i18n.ts';

function Time({ iso }: { iso: string }) {
  return <time dateTime={iso}>{iso}</time>;
}

export function OutboxSection({ outbox }: { outbox: readonly LocalMutation[] | undefined }) {
  const { t } = useQaI18n();
  return (
    <section aria-labelledby="qa-outbox" className="card">
      <h3 id="qa-outbox">
        {outbox === undefined ? t('qa.outbox.title') : t('qa.outbox.titleCount', { count: outbox.length })}
      </h3>
      {outbox === undefined ? (
        <p className="loading">{t('app.loading')}</p>
      ) : outbox.length === 0 ? (
        <p>{t('qa.outbox.empty')}</p>
      ) : (
        <ol className="appointment-list" aria-labelledby="qa-outbox">
          {outbox.map((m) => (
            <li key={m.id} className="appointment">
              <p className="appointment-title">
                {m.entity} · {m.op} · {m.state}
              </p>
              <dl className="summary">
                <dt>{t('qa.outbox.seq')}</dt>
                <dd>{m.seq}</dd>
                <dt>{t('qa.outbox.entity')}</dt>
                <dd>{m.entity}</dd>
                <dt>{t('qa.outbox.op')}</dt>
                <dd>{m.op}</dd>
                <dt>{t('qa.outbox.key')}</dt>
                <dd>
                  <code>{m.key}</code>
                </dd>
                <dt>{t('qa.outbox.state')}</dt>
                <dd>{m.state}</dd>
                <dt>{t('qa.outbox.errorCode')}</dt>
                <dd>{m.error?.code ?? t('qa.none')}</dd>
                <dt>{t('qa.outbox.errorMessage')}</dt>
                <dd>{m.error?.message ?? t('qa.none')}</dd>
                <dt>{t('qa.outbox.blockedBy')}</dt>
                <dd>{m.blockedBy ? <code>{m.blockedBy}</code> : t('qa.none')}</dd>
                <dt>{t('qa.outbox.createdAt')}</dt>
                <dd>
                  <Time iso={m.createdAt} />
                </dd>
                <dt>{t('qa.outbox.id')}</dt>
                <dd>
                  <code>{m.id}</code>
                </dd>
              </dl>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function QuarantineSection({ entries }: { entries: readonly QuarantineEntry[] | undefined }) {
  const { t } = useQaI18n();
  return (
    <section aria-labelledby="qa-quarantine" className="card">
      <h3 id="qa-quarantine">
        {entries === undefined
          ? t('qa.quarantine.title')
          : t('qa.quarantine.titleCount', { count: entries.length })}
      </h3>
      <p className="hint">{t('qa.quarantine.hint')}</p>
      {entries === undefined ? (
        <p className="loading">{t('app.loading')}</p>
      ) : entries.length === 0 ? (
        <p>{t('qa.quarantine.empty')}</p>
      ) : (
        <ol className="appointment-list" aria-labelledby="qa-quarantine">
          {entries.map((q, i) => (
            // Entries have no id of their own in this interface; the list only ever grows at the end.
            // biome-ignore lint/suspicious/noArrayIndexKey: append-only list
            <li key={i} className="appointment">
              <dl className="summary">
                <dt>{t('qa.quarantine.table')}</dt>
                <dd>{q.table}</dd>
                <dt>{t('qa.outbox.key')}</dt>
                <dd>{q.key === null ? t('qa.none') : <code>{q.key}</code>}</dd>
                <dt>{t('qa.quarantine.at')}</dt>
                <dd>
                  <Time iso={q.at} />
                </dd>
                <dt>{t('qa.quarantine.issues')}</dt>
                <dd style={{ whiteSpace: 'pre-wrap' }}>{q.issues}</dd>
              </dl>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
