/**
 * The in-app faults section, loaded on its own. The QA screen is precached, so Testing tools (the
 * outbox, the quarantine, the queue export) open offline on every device; the in-app faults, with the
 * QA banner, are a group of chunks the worker keeps only on a device that opened Testing tools online
 * once (src/app/pwa/optional-chunks.ts), which keeps them out of every phone's offline download.
 * Offline before that, this section says so instead of taking the screen down.
 */
import { lazy, Suspense } from 'react';
import { ScreenErrorBoundary } from '../../components/screen-error-boundary.tsx';
import { useQaI18n } from '../../i18n/qa-i18n.ts';

const Section = lazy(() =>
  import('./in-app-faults-section.tsx').then((m) => ({ default: m.InAppFaultsSection })),
);

function Unavailable() {
  const { t } = useQaI18n();
  return (
    <section aria-labelledby="qa-in-app" className="card">
      <h3 id="qa-in-app">{t('qa.inApp.title')}</h3>
      <p role="status">{t('qa.inApp.notOnDevice')}</p>
    </section>
  );
}

export function InAppFaultsLazy() {
  const { t } = useQaI18n();
  return (
    <ScreenErrorBoundary resetKey="qa-in-app-faults" fallback={() => <Unavailable />}>
      <Suspense fallback={<p className="hint">{t('qa.inApp.loading')}</p>}>
        <Section />
      </Suspense>
    </ScreenErrorBoundary>
  );
}
