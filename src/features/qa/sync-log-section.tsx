/**
 * The sync log on the QA screen: the last drains with their answers, the export of log and queue
 * (personal data only if QA ticks it), and, in development builds, the import of an exported queue.
 */
import { type ChangeEvent, useState } from 'react';
import { FailureNotice } from '../../components/failure-notice.tsx';
import { Notice } from '../../components/fields.tsx';
import { BACKGROUND_SYNC_TRIGGER, type DrainLogEntry, syncLogDb } from '../../data/qa-sync-log.ts';
import { useServices } from '../../data/services-context.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import type { QaMessageKey } from '../../i18n/messages-qa-en.ts';
import { type QaTranslate, useQaI18n } from '../../i18n/qa-i18n.ts';
import { useAction } from '../../lib/use-action.ts';
import { downloadFile } from './download-file.ts';
import type { EngineView } from './engine-view.ts';
import { importMessage } from './import-message.ts';
import { buildQaReport, qaReportFileName } from './qa-report.ts';
import { serializeExport } from './queue-export.ts';
import { importQueueFile } from './queue-import.ts';

/** Drains shown at once; the export holds all 200. */
const SHOWN = 30;

/** What started a drain, in words; a name the app does not know yet is shown as it is. */
const TRIGGERS: Readonly<Record<string, QaMessageKey>> = {
  'trigger-debounce': 'qa.log.trigger.write',
  'trigger-now': 'qa.log.trigger.now',
  request: 'qa.log.trigger.request',
  'sync-now': 'qa.log.trigger.syncNow',
  wake: 'qa.log.trigger.wake',
  again: 'qa.log.trigger.again',
  [BACKGROUND_SYNC_TRIGGER]: 'qa.log.trigger.backgroundSync',
  start: 'qa.log.trigger.start',
};

/** How a drain ended, in words; the error kind after it stays the protocol's, as the server logs it. */
const ENDS: Readonly<Record<NonNullable<DrainLogEntry['end']>['status'], QaMessageKey>> = {
  synced: 'qa.log.end.synced',
  failed: 'qa.log.end.failed',
  offline: 'qa.log.end.offline',
  paused: 'qa.log.end.paused',
  stopped: 'qa.log.end.stopped',
};

/** A write's answer in words; the protocol's code (in the export) is what QA quotes in a bug. */
const ANSWERS: Readonly<Record<DrainLogEntry['answers'][number]['status'], QaMessageKey>> = {
  applied: 'qa.log.answer.applied',
  duplicate: 'qa.log.answer.duplicate',
  rejected: 'qa.log.answer.rejected',
  blocked: 'qa.log.answer.blocked',
};

function summary(t: QaTranslate, e: DrainLogEntry): string {
  const kind = e.end?.kind ? ` (${e.end.kind})` : '';
  const trigger = TRIGGERS[e.trigger];
  return t('qa.log.summary', {
    trigger: trigger ? t(trigger) : e.trigger,
    status: `${e.end ? t(ENDS[e.end.status]) : '?'}${kind}`,
    batches: e.batches,
    up: e.bytesUp,
    down: e.bytesDown,
    ms: e.durationMs ?? '?',
  });
}

function backoff(t: QaTranslate, e: DrainLogEntry): string | null {
  if (e.end?.pausedForSignIn) return t('qa.log.backoffSignIn');
  return e.backoffMs === null ? null : t('qa.log.backoffIn', { ms: e.backoffMs });
}

export function SyncLogSection({
  view,
  entries,
}: {
  view: EngineView;
  /** The log, newest first; undefined while it loads (read once, by the screen). */
  entries: readonly DrainLogEntry[] | undefined;
}) {
  const { t, lang } = useQaI18n();
  const [all, setAll] = useState(false);
  const shown = all ? entries : entries?.slice(0, SHOWN);
  return (
    <section aria-labelledby="qa-sync-log" className="card">
      <h3 id="qa-sync-log">{t('qa.log.title')}</h3>
      <p className="hint">{t('qa.log.hint')}</p>
      {entries === undefined && <p className="loading">{t('app.loading')}</p>}
      {entries?.length === 0 && <p>{t('qa.log.empty')}</p>}
      {entries && entries.length > 0 && (
        <ol className="sync-log" aria-label={t('qa.log.listLabel')}>
          {shown?.map((e) => (
            <li key={`${e.startedAt}-${e.trigger}`}>
              <details>
                <summary>
                  <time dateTime={new Date(e.startedAt).toISOString()}>
                    {formatDateTime(lang, new Date(e.startedAt))}
                  </time>{' '}
                  {summary(t, e)}
                </summary>
                <ul>
                  {e.answers.map((a) => (
                    <li key={a.id}>
                      {`${a.entity} ${a.op} ${a.key.slice(0, 8)}: ${t(ANSWERS[a.status])}`}
                      {a.code ? ` ${a.code}: ${a.reason ?? ''}` : ''}
                      {a.blockedBy ? ` ${t('qa.log.behind', { id: a.blockedBy.slice(0, 8) })}` : ''}
                    </li>
                  ))}
                  {e.failures.map((f) => (
                    <li key={`${f.call}-${f.ms}-${f.error}`}>
                      {t('qa.log.callFailed', { call: f.call, ms: f.ms, error: f.error })}
                    </li>
                  ))}
                  {e.pullPages > 0 && (
                    <li>{t('qa.log.pulled', { rows: e.pulledRows, pages: e.pullPages })}</li>
                  )}
                  {backoff(t, e) && <li>{backoff(t, e)}</li>}
                </ul>
              </details>
            </li>
          ))}
        </ol>
      )}
      {entries && entries.length > SHOWN && (
        <p>
          {all ? null : `${t('qa.log.shown', { shown: SHOWN, count: entries.length })} `}
          <button type="button" className="button-secondary" onClick={() => setAll(!all)}>
            {all ? t('qa.log.showFewer', { shown: SHOWN }) : t('qa.log.showAll', { count: entries.length })}
          </button>
        </p>
      )}
      <ReportExport view={view} />
      {import.meta.env.DEV && <QueueImport />}
    </section>
  );
}

function ReportExport({ view }: { view: EngineView }) {
  const { t } = useQaI18n();
  const { store } = useServices();
  const action = useAction();
  const [personal, setPersonal] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const exportReport = () =>
    action.run(async () => {
      setSaved(null);
      const [syncLog, outbox, quarantine, clientId] = await Promise.all([
        syncLogDb().list(),
        store.listOutbox(),
        store.listQuarantine(),
        store.getClientId().catch(() => null),
      ]);
      const now = new Date();
      const report = buildQaReport({
        syncLog,
        outbox,
        quarantine,
        engine: view,
        clientId,
        now,
        build: __CONSULT_BUILD_LABEL__,
        includePersonalData: personal,
      });
      const fileName = qaReportFileName(now);
      // The same writer as the queue export: it copes with whatever a quarantined record holds.
      downloadFile(fileName, serializeExport(report));
      setSaved(fileName);
    });
  return (
    <>
      <label className="choice">
        <input type="checkbox" checked={personal} onChange={(e) => setPersonal(e.target.checked)} />
        <span className="choice-label">{t('qa.log.includePersonal')}</span>
      </label>
      {saved && <Notice tone="success">{t('qa.export.done', { file: saved })}</Notice>}
      <FailureNotice error={action.error} describe={(detail) => t('qa.export.failed', { detail })} />
      <button
        type="button"
        className="button-secondary"
        disabled={action.busy}
        onClick={() => void exportReport()}
      >
        {t('qa.log.export')}
      </button>
    </>
  );
}

function QueueImport() {
  const { t } = useQaI18n();
  const { store } = useServices();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.target;
    const file = input.files?.[0];
    if (!file) return;
    setMessage(importMessage(t, await importQueueFile(store, file)));
    // Cleared, so that choosing the same file again (fixed, or to import twice) is a change too.
    input.value = '';
  };
  return (
    <div className="field">
      <label htmlFor="qa-import">{t('qa.log.import')}</label>
      <input id="qa-import" type="file" accept="application/json" onChange={(e) => void onFile(e)} />
      {message && <Notice tone={message.ok ? 'success' : 'error'}>{message.text}</Notice>}
    </div>
  );
}
