/**
 * Testing tools for QA (`#/qa`, linked from Settings, not from the main navigation): the sync
 * engine's status and "Sync now", the queue inspector, the queue export, and network faults through
 * the local gateway, and the in-app fault layer (QA mode, any backend).
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { LocalMutation } from '../../../sync/local-mutation.ts';
import type { QuarantineEntry } from '../../../sync/stores/sync-store.ts';
import { FailureNotice } from '../../components/failure-notice.tsx';
import { Notice } from '../../components/fields.tsx';
import { syncLogDb } from '../../data/qa-sync-log.ts';
import { useServices } from '../../data/services-context.tsx';
import { useOutbox } from '../../data/use-outbox.ts';
import { useEngineStatus } from '../../data/use-sync-status.ts';
import { formatDateTime } from '../../i18n/format.ts';
import type { QaMessageKey } from '../../i18n/messages-qa-en.ts';
import { useQaI18n } from '../../i18n/qa-i18n.ts';
import { useAction } from '../../lib/use-action.ts';
import { downloadFile } from './download-file.ts';
import { describeEngine, type EnginePhase, type EngineView } from './engine-view.ts';
import { FaultsSection } from './faults-section.tsx';
import { InAppFaultsLazy } from './in-app-faults-lazy.tsx';
import { buildQueueExport, queueExportFileName, serializeQueueExport } from './queue-export.ts';
import { OutboxSection, QuarantineSection } from './queue-section.tsx';
import { SyncLogSection } from './sync-log-section.tsx';
import { useQuarantine } from './use-quarantine.ts';

const PHASE_LABEL: Readonly<Record<EnginePhase, QaMessageKey>> = {
  sending: 'qa.phase.sending',
  'needs-sign-in': 'qa.phase.needsSignIn',
  offline: 'qa.phase.offline',
  'backing-off': 'qa.phase.backingOff',
  waiting: 'qa.phase.waiting',
  idle: 'qa.phase.idle',
};

export function QaScreen() {
  const { t } = useQaI18n();
  const engineStatus = useEngineStatus();
  const outbox = useOutbox();
  const quarantine = useQuarantine();
  const log = useLiveQuery(() => syncLogDb().list(), []);
  const view = describeEngine({ status: engineStatus, outbox: outbox ?? [], log: log ?? [] });
  return (
    <section className="screen" aria-labelledby="qa-title">
      <h2 id="qa-title">{t('qa.title')}</h2>
      <p className="hint">{t('qa.intro')}</p>
      <EngineSection view={view} loaded={outbox !== undefined && engineStatus.counts !== null} />
      <ExportSection view={view} />
      <SyncLogSection view={view} entries={log} />
      <OutboxSection outbox={outbox} />
      <QuarantineSection entries={quarantine} />
      <InAppFaultsLazy />
      <FaultsSection />
    </section>
  );
}

function EngineSection({ view, loaded }: { view: EngineView; loaded: boolean }) {
  const { t, lang } = useQaI18n();
  const { engine } = useServices();
  return (
    <section aria-labelledby="qa-engine" className="card">
      <h3 id="qa-engine">{t('qa.engine.title')}</h3>
      {loaded ? (
        <dl className="summary">
          <dt>{t('qa.engine.phase')}</dt>
          <dd>{t(PHASE_LABEL[view.phase])}</dd>
          <dt>{t('qa.engine.network')}</dt>
          <dd>{t(view.online ? 'qa.engine.online' : 'qa.engine.offline')}</dd>
          <dt>{t('qa.engine.pending')}</dt>
          <dd>{view.pendingCount}</dd>
          <dt>{t('qa.engine.rejected')}</dt>
          <dd>{view.rejectedCount}</dd>
          <dt>{t('qa.engine.blocked')}</dt>
          <dd>{view.blockedCount}</dd>
          <dt>{t('qa.engine.lastSent')}</dt>
          <dd>{view.lastSentAt ? formatDateTime(lang, new Date(view.lastSentAt)) : t('qa.engine.never')}</dd>
          <dt>{t('qa.engine.lastError')}</dt>
          <dd>
            {view.lastError
              ? `${view.lastError.code}: ${view.lastError.message} (${view.lastError.entity})`
              : t('qa.none')}
          </dd>
          <dt>{t('qa.engine.lastFailure')}</dt>
          <dd>
            {view.lastFailure
              ? `${view.lastFailure.kind}: ${view.lastFailure.message} (${formatDateTime(lang, new Date(view.lastFailure.at))})`
              : t('qa.none')}
          </dd>
          <dt>{t('qa.engine.nextRetry')}</dt>
          <dd>{view.nextRetryAt ? formatDateTime(lang, new Date(view.nextRetryAt)) : t('qa.none')}</dd>
        </dl>
      ) : (
        <p className="loading">{t('app.loading')}</p>
      )}
      <button type="button" onClick={() => engine.syncNow()}>
        {t('status.syncNow')}
      </button>
    </section>
  );
}

function ExportSection({ view }: { view: EngineView }) {
  const { t } = useQaI18n();
  const { store } = useServices();
  const action = useAction();
  const [saved, setSaved] = useState<string | null>(null);
  const [personal, setPersonal] = useState(false);

  const exportQueue = () =>
    action.run(async () => {
      setSaved(null);
      // Read at the moment of export, not from the rendered list, so the file is exact.
      const [outbox, quarantine, clientId]: [LocalMutation[], QuarantineEntry[], string | null] =
        await Promise.all([
          store.listOutbox(),
          store.listQuarantine(),
          store.getClientId().catch(() => null),
        ]);
      const now = new Date();
      const fileName = queueExportFileName(now);
      downloadFile(
        fileName,
        serializeQueueExport(
          buildQueueExport({
            outbox,
            quarantine,
            engine: view,
            clientId,
            now,
            includePersonalData: personal,
          }),
        ),
      );
      setSaved(fileName);
    });

  return (
    <section aria-labelledby="qa-export" className="card">
      <h3 id="qa-export">{t('qa.export.title')}</h3>
      <p className="hint">{t('qa.export.hint')}</p>
      <label className="choice">
        <input type="checkbox" checked={personal} onChange={(e) => setPersonal(e.target.checked)} />
        <span className="choice-label">{t('qa.export.includePersonal')}</span>
      </label>
      {saved && <Notice tone="success">{t('qa.export.done', { file: saved })}</Notice>}
      <FailureNotice error={action.error} describe={(detail) => t('qa.export.failed', { detail })} />
      <button
        type="button"
        className="button-secondary"
        disabled={action.busy}
        onClick={() => void exportQueue()}
      >
        {t('qa.export.button')}
      </button>
    </section>
  );
}
