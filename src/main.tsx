import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { preloadFirstScreen } from './app/routes.tsx';
import { getKioskConfig } from './data/kiosk-config-store.ts';
import './app/styles.css';
import { loadLang } from './i18n/saved-lang.ts';
import { type Lang, loadCatalogue } from './i18n/translate.ts';
import { loadOnboarded } from './lib/device-prefs.ts';
import { createFlagStore } from './lib/flag-store.ts';
import { parseHash } from './lib/router.ts';

/**
 * The saved language's catalogue (index.html started fetching it with the entry), else English's:
 * the first render needs one, and a missing one must not leave the app blank.
 */
async function firstCatalogue(): Promise<Lang> {
  const lang = loadLang();
  try {
    await loadCatalogue(lang);
    return lang;
  } catch (error) {
    if (lang === 'en') throw error;
    await loadCatalogue('en');
    return 'en';
  }
}

async function boot(): Promise<void> {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  // Which build is running, for support and for QA's bug reports.
  document.documentElement.dataset.build = __CONSULT_BUILD_LABEL__;
  // Before the chunks below are asked for: awaited after them, the first render queued behind their
  // arrival and compilation (reopen 10-25 ms later, bench/browser-budgets.ts). It is preloaded, so
  // this wait is short, and from here on the render follows them synchronously, as it did.
  const lang = await firstCatalogue();
  const dbClosed = createFlagStore();
  preloadFirstScreen(parseHash(window.location.hash).path, {
    onboarded: loadOnboarded(),
    kiosk: getKioskConfig() !== null,
  });
  // Not awaited: the shell (header, navigation) paints while this chunk (Dexie, the store and its
  // schemas, the engine: most of the JavaScript) loads, and the screens that need it suspend.
  const services = import('./data/services.ts').then((m) =>
    m.createServices({ onVersionChange: dbClosed.raise }),
  );
  createRoot(root).render(
    <StrictMode>
      <App services={services} dbClosed={dbClosed} lang={lang} />
    </StrictMode>,
  );
}

void boot();
