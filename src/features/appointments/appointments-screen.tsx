/**
 * My appointments: upcoming and past, each with where it stands on its way to the clinic. The home
 * screen, so it is part of the shell's own chunk (routes.tsx): its heading paints with the header.
 */

import { lazy, Suspense } from 'react';
import { useI18n } from '../../i18n/i18n-provider.tsx';

/** The list's chunk; main.tsx starts it at boot when the app opens on this screen. */
export const loadAppointmentsBody = () => import('./appointments-body.tsx');

const AppointmentsBody = lazy(() => loadAppointmentsBody().then((m) => ({ default: m.AppointmentsBody })));

export function AppointmentsScreen({ onBook }: { onOpen(id: string): void; onBook(): void }) {
  const { t } = useI18n();
  // The heading paints as soon as this small chunk is in; the list (its own chunk, with the store's
  // schemas) waits for the services and the database: an offline reopen shows the screen first.
  return (
    <section className="screen" aria-labelledby="appointments-title">
      <h2 id="appointments-title">{t('appointments.title')}</h2>
      <Suspense fallback={<p className="loading">{t('appointments.loading')}</p>}>
        <AppointmentsBody onBook={onBook} />
      </Suspense>
    </section>
  );
}
