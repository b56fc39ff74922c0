/**
 * The app shell: providers, header with the always-visible sync status, the update banner, the main
 * navigation, and the routed screen. Screens are lazy chunks (routes.tsx); the shell stays small.
 */
import { Suspense, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { ScreenErrorBoundary } from '../components/screen-error-boundary.tsx';
import { useKioskConfig, useKioskConfigUnreadable } from '../data/kiosk-config-store.ts';
import { ServicesProvider, type ServicesSource, useServices } from '../data/services-context.tsx';
import { I18nProvider, useI18n } from '../i18n/i18n-provider.tsx';
import { loadOnboarded, saveOnboarded } from '../lib/device-prefs.ts';
import { DirtyFormsProvider } from '../lib/dirty-forms.tsx';
import type { FlagStore } from '../lib/flag-store.ts';
import { navigate, parseHash, useHash } from '../lib/router.ts';
import { MainNav } from './main-nav.tsx';
import { QaBannerSlot } from './qa-banner-slot.tsx';
import { KioskApp, KioskUnreadable, preloadScreens, RouteView } from './routes.tsx';
import { StatusIndicator } from './status-indicator.tsx';
import { UpdateBanner } from './update-banner.tsx';

export function App({ services, dbClosed }: { services: ServicesSource; dbClosed: FlagStore }) {
  return (
    <I18nProvider>
      <ServicesProvider services={services}>
        <DirtyFormsProvider>
          <KioskOrShell dbClosed={dbClosed} />
        </DirtyFormsProvider>
      </ServicesProvider>
    </I18nProvider>
  );
}

/** A kiosk shows nothing of the patient app: not its navigation, not its screens (kiosk-config.ts). */
function KioskOrShell({ dbClosed }: { dbClosed: FlagStore }) {
  const kiosk = useKioskConfig();
  const { t } = useI18n();
  const unreadable = useKioskConfigUnreadable();
  const closed = useSyncExternalStore(dbClosed.subscribe, dbClosed.get, dbClosed.get);
  if (!kiosk && !unreadable) return <Shell dbClosed={dbClosed} />;
  return (
    <>
      <QaBannerSlot />
      {/* A kiosk runs for weeks: it too must be told of a new version (its settings survive it). */}
      <UpdateBanner dbClosed={closed} />
      <Suspense fallback={<p className="loading">{t('app.loading')}</p>}>
        {kiosk ? <KioskApp config={kiosk} onUpgradeElsewhere={dbClosed.raise} /> : <KioskUnreadable />}
      </Suspense>
    </>
  );
}

/** Its own component, under its own <Suspense>: the shell paints before the services have loaded. */
function SyncStarter() {
  const { engine } = useServices();
  useEffect(() => {
    // Once the first screen is up (the engine's first drain loads supabase-js, a third of the JS):
    // start syncing, and fetch the other screens while the connection is known to work. start() is
    // idempotent, so StrictMode's double effects and remounts are harmless.
    const timer = setTimeout(() => {
      engine.start();
      preloadScreens();
    }, 1000);
    return () => clearTimeout(timer);
  }, [engine]);
  return null;
}

function Shell({ dbClosed }: { dbClosed: FlagStore }) {
  const { t } = useI18n();
  const closed = useSyncExternalStore(dbClosed.subscribe, dbClosed.get, dbClosed.get);

  const location = parseHash(useHash());
  const [onboarded, setOnboarded] = useState(loadOnboarded);
  const finishWelcome = () => {
    saveOnboarded(true);
    setOnboarded(true);
    navigate('/account', { next: '/appointments' });
  };

  const mainRef = useRef<HTMLElement>(null);
  const firstPath = useRef(location.path);
  useEffect(() => {
    // After a route change, a screen reader user lands on the new screen, not on the old link.
    if (location.path !== firstPath.current) mainRef.current?.focus();
    firstPath.current = '';
  }, [location.path]);

  const inOnboarding = location.path === '/welcome' || (location.path === '/' && !onboarded);
  return (
    <>
      {/* A button, not <a href="#main">: the hash router would take #main for a route. */}
      <button type="button" className="skip-link" onClick={() => mainRef.current?.focus()}>
        {t('app.skipToContent')}
      </button>
      <QaBannerSlot />
      <header className="app-header">
        <h1 className="brand">{t('app.name')}</h1>
        <StatusIndicator />
      </header>
      <Suspense fallback={null}>
        <SyncStarter />
      </Suspense>
      <UpdateBanner dbClosed={closed} />
      {!inOnboarding && <MainNav path={location.path} />}
      <main id="main" ref={mainRef} tabIndex={-1}>
        <ScreenErrorBoundary
          resetKey={location.path}
          fallback={(failure) => (
            <div className="notice notice-error" role="alert">
              <p>{t(failure === 'load' ? 'app.screenFailed' : 'app.screenBroken')}</p>
              {/* React.lazy remembers a failed import: only a reload fetches the chunk again. */}
              <button type="button" onClick={() => window.location.reload()}>
                {t('app.retry')}
              </button>
            </div>
          )}
        >
          <Suspense fallback={<p className="loading">{t('app.loading')}</p>}>
            <RouteView location={location} onboarded={onboarded} onWelcomeDone={finishWelcome} />
          </Suspense>
        </ScreenErrorBoundary>
      </main>
    </>
  );
}
