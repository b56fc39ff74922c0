/**
 * QA mode's banner on every screen, kiosk or patient app, while in-app faults are on this device.
 * The full banner (the preset's name, its styles) is its own chunk, fetched only on a device where QA
 * turned faults on: one of the QA tools the worker keeps once used, not precached
 * (src/app/pwa/optional-chunks.ts). Until it has loaded, or where it cannot (QA mode turned on by a
 * link while offline, on a device that never opened the QA tools), a plain banner in the shell's
 * own words says the same and turns QA mode off: before, such a device ran degraded with no banner.
 */
import { type CSSProperties, lazy, Suspense, useSyncExternalStore } from 'react';
import { ScreenErrorBoundary } from '../components/screen-error-boundary.tsx';
import { isQaFaultsOn, subscribeQaFaults, writeQaFaults } from '../data/qa-mode.ts';
import { useI18n } from '../i18n/i18n-provider.tsx';
import { keepOffline } from './pwa/keep-offline.ts';

const QaFaultBanner = lazy(() => {
  keepOffline('qa');
  return import('../features/qa/qa-fault-banner.tsx').then((m) => ({ default: m.QaFaultBanner }));
});

const PLAIN: CSSProperties = {
  position: 'sticky',
  top: 0,
  zIndex: 1000,
  background: '#b00020',
  color: '#fff',
  padding: '0.5rem 0.75rem',
  fontWeight: 700,
};

/** The banner without the QA chunk: what is on, and the way to turn it off. */
export function PlainQaBanner() {
  const { t } = useI18n();
  const off = () => {
    writeQaFaults(null);
    document.getElementById('main')?.focus();
  };
  return (
    <div role="alert" style={PLAIN}>
      <span>{t('app.qaOn')}</span>{' '}
      <button type="button" className="button-secondary" onClick={off}>
        {t('app.qaOff')}
      </button>
    </div>
  );
}

export function QaBannerSlot() {
  const on = useSyncExternalStore(subscribeQaFaults, isQaFaultsOn, isQaFaultsOn);
  return on ? (
    <ScreenErrorBoundary resetKey="qa-banner" fallback={() => <PlainQaBanner />}>
      <Suspense fallback={<PlainQaBanner />}>
        <QaFaultBanner />
      </Suspense>
    </ScreenErrorBoundary>
  ) : null;
}
