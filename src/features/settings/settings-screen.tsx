/** Settings: language, storage used, account and a sign-out that never silently drops unsent writes. */
import { useEffect, useRef, useState } from 'react';
import type { LocalMutation } from '../../../sync/local-mutation.ts';
import { FailureNotice } from '../../components/failure-notice.tsx';
import { Notice } from '../../components/fields.tsx';
import { LanguagePicker } from '../../components/language-picker.tsx';
import { describeUser } from '../../data/auth.ts';
import { useServices } from '../../data/services-context.tsx';
import { signOut } from '../../data/sign-out.ts';
import { type StorageReport, storageReport } from '../../data/storage.ts';
import { useDoctors } from '../../data/use-reference-data.ts';
import { useSession } from '../../data/use-session.ts';
import { useSessionUser } from '../../data/use-session-user.ts';
import { formatBytes } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { useAction } from '../../lib/use-action.ts';
import { describeUnsent } from './describe-unsent.ts';

export function SettingsScreen({
  onSignIn,
  testingToolsHref,
}: {
  onSignIn(): void;
  /** Where "Testing tools" (QA) leads; the app owns the route. */
  testingToolsHref: string;
}) {
  const { t } = useI18n();
  return (
    <section className="screen" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('settings.title')}</h2>
      <section className="card">
        <LanguagePicker legend={t('settings.language')} asHeading />
      </section>
      <StorageSection />
      <AccountSection onSignIn={onSignIn} />
      <section aria-labelledby="settings-testing" className="card">
        <h3 id="settings-testing">{t('settings.testing')}</h3>
        <p className="hint">{t('settings.testingHint')}</p>
        <a className="button button-secondary" href={testingToolsHref}>
          {t('settings.testing')}
        </a>
      </section>
    </section>
  );
}

function StorageSection() {
  const { t, lang } = useI18n();
  const [report, setReport] = useState<StorageReport | null>(null);
  useEffect(() => {
    let live = true;
    void storageReport().then((r) => {
      if (live) setReport(r);
    });
    return () => {
      live = false;
    };
  }, []);
  return (
    <section aria-labelledby="settings-storage" className="card">
      <h3 id="settings-storage">{t('settings.storage')}</h3>
      {report === null ? (
        <p className="loading">{t('app.loading')}</p>
      ) : report.usage === null || report.quota === null ? (
        <p>{t('settings.storageUnknown')}</p>
      ) : (
        <p>
          {t('settings.storageUsed', {
            used: formatBytes(lang, report.usage),
            quota: formatBytes(lang, report.quota),
          })}
        </p>
      )}
      {report?.persisted === true && <p className="hint">{t('settings.storagePersisted')}</p>}
      {report?.persisted === false && <p className="hint">{t('settings.storageNotPersisted')}</p>}
    </section>
  );
}

function AccountSection({ onSignIn }: { onSignIn(): void }) {
  const { t, lang } = useI18n();
  const services = useServices();
  const session = useSession();
  const doctors = useDoctors() ?? [];
  const user = describeUser(session ?? null);
  const sessionUser = useSessionUser();
  const [unsent, setUnsent] = useState<LocalMutation[] | null>(null);
  const [done, setDone] = useState(false);
  const action = useAction();
  // The question replaces "Sign out", which took the focus with it: the safe answer gets it.
  const keep = useRef<HTMLButtonElement>(null);
  const asking = unsent !== null && unsent.length > 0;
  useEffect(() => {
    if (asking) keep.current?.focus();
  }, [asking]);

  const attempt = (confirmedIds: readonly string[]) =>
    action.run(async () => {
      const result = await signOut(services, confirmedIds);
      if (result.done) {
        setUnsent(null);
        setDone(true);
      } else {
        // Refused: show exactly what would be lost; confirming passes exactly these ids back.
        setUnsent(result.unsent);
      }
    });

  return (
    <section aria-labelledby="settings-account" className="card">
      <h3 id="settings-account">{t('settings.account')}</h3>
      {done && <Notice tone="success">{t('settings.signedOut')}</Notice>}
      {user.kind === 'user' && <p>{t('account.signedInAs', { who: user.who })}</p>}
      {user.kind === 'anonymous' && <p>{t('account.signedInAnonymous')}</p>}
      {user.kind === 'none' && <p>{t('settings.notSignedIn')}</p>}
      <FailureNotice error={action.error} />
      {unsent && unsent.length > 0 ? (
        <div className="confirm" role="alert">
          <p>{t('settings.signOutUnsent')}</p>
          <ul>
            {unsent.map((m) => (
              <li key={m.id}>{describeUnsent(m, doctors, t, lang, sessionUser)}</li>
            ))}
          </ul>
          <button
            type="button"
            className="button-danger"
            disabled={action.busy}
            onClick={() => void attempt(unsent.map((m) => m.id))}
          >
            {t('settings.signOutConfirm', { count: unsent.length })}
          </button>
          <button ref={keep} type="button" className="button-secondary" onClick={() => setUnsent(null)}>
            {t('settings.signOutKeep')}
          </button>
        </div>
      ) : (
        <div className="actions">
          {user.kind !== 'user' && (
            <button type="button" className="button-secondary" onClick={onSignIn}>
              {t('settings.signInOrCreate')}
            </button>
          )}
          <button
            type="button"
            className="button-danger-outline"
            disabled={action.busy}
            onClick={() => void attempt([])}
          >
            {t('settings.signOut')}
          </button>
        </div>
      )}
    </section>
  );
}
