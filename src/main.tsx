import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import './app/styles.css';
import { createFlagStore } from './lib/flag-store.ts';

function boot(): void {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  // Which build is running, for support and for QA's bug reports.
  document.documentElement.dataset.build = __CONSULT_BUILD_LABEL__;
  const dbClosed = createFlagStore();
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
