/**
 * Which screen each hash path shows. Every screen is its own lazy chunk, so the first screen loads
 * only the shell and itself, except the home screen (My appointments, 0.7 KB): it is in the shell's
 * chunk, so reopening the app paints it with the header, one chunk fetch sooner. The app passes
 * callbacks down: features never know each other's routes.
 */
import { lazy, useEffect } from 'react';
import { AppointmentsScreen, loadAppointmentsBody } from '../features/appointments/appointments-screen.tsx';
import { useI18n } from '../i18n/i18n-provider.tsx';
import { hrefOf, type Location, matchPath, navigate } from '../lib/router.ts';
import { keepOffline } from './pwa/keep-offline.ts';

/**
 * Loaders of the patient screens' chunks. `preloadScreens` runs them all once the first screen is up,
 * so every screen is in memory before the patient can lose the connection (a lazy chunk that was
 * never fetched cannot load offline unless the service worker already controls the page).
 */
const patientLoaders = {
  welcome: () => import('../features/welcome/welcome-screen.tsx'),
  account: () => import('../features/account/account-screen.tsx'),
  profile: () => import('../features/profile/profile-screen.tsx'),
  booking: () => import('../features/booking/booking-screen.tsx'),
  rebook: () => import('../features/booking/rebook-screen.tsx'),
  request: () => import('../features/booking/request-screen.tsx'),
  requestAgain: () => import('../features/booking/request-again-screen.tsx'),
  detail: () => import('../features/appointments/appointment-detail-screen.tsx'),
  settings: () => import('../features/settings/settings-screen.tsx'),
} as const;

/**
 * Screens only some devices use: not preloaded. Kiosk mode is not precached either, nor are the QA
 * screen's in-app faults and banner (src/app/pwa/optional-chunks.ts); the QA screen itself is, so the
 * queue export works offline anywhere. Loading one tells the worker to keep its group offline from then on.
 */
const optionalLoaders = {
  qa: () => {
    keepOffline('qa');
    return import('../features/qa/qa-screen.tsx');
  },
  kiosk: () => {
    keepOffline('kiosk');
    return import('../features/kiosk/kiosk-app.tsx');
  },
  kioskSetup: () => {
    keepOffline('kiosk');
    return import('../features/kiosk/setup-screen.tsx');
  },
} as const;

const loaders = { ...patientLoaders, ...optionalLoaders } as const;

export function preloadScreens(): void {
  for (const load of [...Object.values(patientLoaders), loadAppointmentsBody])
    void load().catch(() => undefined);
}

/**
 * Starts the chunk of the screen the app opens on before React renders anything, so it loads while
 * the shell renders instead of after (a waterfall of dynamic imports). What the first render then
 * asks for is already on its way; a failed load is left to the screen's own import to report.
 */
export function preloadFirstScreen(
  path: string,
  { onboarded, kiosk }: { onboarded: boolean; kiosk: boolean },
): void {
  if (kiosk) {
    void loaders.kiosk().catch(() => undefined);
    return;
  }
  const screen: Record<string, () => Promise<unknown>> = {
    '/': onboarded ? loadAppointmentsBody : loaders.welcome,
    '/appointments': loadAppointmentsBody,
    '/welcome': loaders.welcome,
    '/account': loaders.account,
    '/profile': loaders.profile,
    '/book': loaders.booking,
    '/request': loaders.request,
    '/settings': loaders.settings,
  };
  const detail = matchPath('/appointments/:id', path) ? loaders.detail : undefined;
  void (screen[path] ?? detail)?.().catch(() => undefined);
}

const WelcomeScreen = lazy(() => loaders.welcome().then((m) => ({ default: m.WelcomeScreen })));
const AccountScreen = lazy(() => loaders.account().then((m) => ({ default: m.AccountScreen })));
const ProfileScreen = lazy(() => loaders.profile().then((m) => ({ default: m.ProfileScreen })));
const BookingScreen = lazy(() => loaders.booking().then((m) => ({ default: m.BookingScreen })));
const RebookScreen = lazy(() => loaders.rebook().then((m) => ({ default: m.RebookScreen })));
const RequestScreen = lazy(() => loaders.request().then((m) => ({ default: m.RequestScreen })));
const RequestAgainScreen = lazy(() =>
  loaders.requestAgain().then((m) => ({ default: m.RequestAgainScreen })),
);
const AppointmentDetailScreen = lazy(() =>
  loaders.detail().then((m) => ({ default: m.AppointmentDetailScreen })),
);
const SettingsScreen = lazy(() => loaders.settings().then((m) => ({ default: m.SettingsScreen })));
const QaScreen = lazy(() => loaders.qa().then((m) => ({ default: m.QaScreen })));
/** Shown instead of the whole patient app while the device is a kiosk (app.tsx). */
export const KioskApp = lazy(() => loaders.kiosk().then((m) => ({ default: m.KioskApp })));
/** Shown instead of the patient app on a kiosk whose configuration cannot be read (app.tsx). */
export const KioskUnreadable = lazy(() => loaders.kiosk().then((m) => ({ default: m.KioskUnreadable })));
const KioskSetupScreen = lazy(() => loaders.kioskSetup().then((m) => ({ default: m.KioskSetupScreen })));

/** Only in-app paths may be a `next`: a query parameter must not send the patient elsewhere. */
function safeNext(next: string | null): string | null {
  return next?.startsWith('/') && !next.startsWith('//') ? next : null;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, undefined, { replace: true }), [to]);
  return null;
}

export function RouteView({
  location,
  onboarded,
  onWelcomeDone,
}: {
  location: Location;
  onboarded: boolean;
  onWelcomeDone(): void;
}) {
  const { t } = useI18n();
  const { path, query } = location;
  const next = safeNext(query.get('next'));
  const toAppointment = (id: string) => navigate(`/appointments/${encodeURIComponent(id)}`);

  if (path === '/') return <Redirect to={onboarded ? '/appointments' : '/welcome'} />;
  if (path === '/welcome') return <WelcomeScreen onContinue={onWelcomeDone} />;
  if (path === '/account') return <AccountScreen onDone={() => navigate(next ?? '/appointments')} />;
  if (path === '/profile')
    return (
      <ProfileScreen
        returningToBooking={next === '/book' || next === '/request'}
        onSaved={() => next && navigate(next)}
      />
    );
  if (path === '/book')
    return (
      <BookingScreen
        onNeedProfile={() => navigate('/profile', { next: '/book' })}
        onBooked={toAppointment}
        onRequest={() => navigate('/request')}
      />
    );
  if (path === '/request')
    return (
      <RequestScreen
        onNeedProfile={() => navigate('/profile', { next: '/request' })}
        onRequested={toAppointment}
      />
    );
  if (path === '/appointments')
    return <AppointmentsScreen onOpen={toAppointment} onBook={() => navigate('/book')} />;
  if (path === '/settings')
    return (
      <SettingsScreen
        onSignIn={() => navigate('/account', { next: '/settings' })}
        testingToolsHref={hrefOf('/qa')}
      />
    );
  if (path === '/qa') return <QaScreen />;
  if (path === '/kiosk/setup') return <KioskSetupScreen />;
  const detail = matchPath('/appointments/:id', path);
  if (detail?.id)
    return (
      <AppointmentDetailScreen
        id={detail.id}
        onFix={() => navigate(`/appointments/${encodeURIComponent(detail.id ?? '')}/rebook`)}
        onRequestAgain={() => navigate(`/appointments/${encodeURIComponent(detail.id ?? '')}/request-again`)}
        onBack={() => navigate('/appointments')}
      />
    );
  const rebook = matchPath('/appointments/:id/rebook', path);
  if (rebook?.id) return <RebookScreen id={rebook.id} onDone={() => toAppointment(rebook.id ?? '')} />;
  const again = matchPath('/appointments/:id/request-again', path);
  if (again?.id) return <RequestAgainScreen id={again.id} onDone={() => toAppointment(again.id ?? '')} />;
  return (
    <section aria-labelledby="not-found">
      <h2 id="not-found">{t('app.notFound')}</h2>
      <p>
        <a href={hrefOf('/appointments')}>{t('app.goHome')}</a>
      </p>
    </section>
  );
}
