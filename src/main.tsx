import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { preloadFirstScreen } from './app/routes.tsx';
import { checkKioskDatabase, isKioskDevice } from './data/kiosk-config-store.ts';
import './app/styles.css';
import { loadOnboarded } from './lib/device-prefs.ts';
import { createFlagStore } from './lib/flag-store.ts';
import { parseHash } from './lib/router.ts';

function boot(): void {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  // Which build is running, for support and for QA's bug reports.
  document.documentElement.dataset.build = __CONSULT_BUILD_LABEL__;
  const dbClosed = createFlagStore();
  // A kiosk whose localStorage was cleared is still a kiosk (kiosk-config-store.ts).
  void checkKioskDatabase();
  preloadFirstScreen(parseHash(window.location.hash).path, {
    onboarded: loadOnboarded(),
    kiosk: isKioskDevice(),
  });
  // Not awaited: the shell (header, navigation) paints while this chunk (Dexie, the store and its
  // schemas, the engine: most of the JavaScript) loads, and the screens that need it suspend.
  const services = import('./data/services.ts').then((m) =>
    m.createServices({ onVersionChange: dbClosed.raise }),
  );
  createRoot(root).render(
    <StrictMode>
      <App services={services} dbClosed={dbClosed} />
    </StrictMode>,
  );
}

boot();
