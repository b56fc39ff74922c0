/** My appointments: upcoming and past, each with where it stands on its way to the clinic. */

import { lazy, Suspense } from 'react';
import { useI18n } from '../../i18n/i18n-provider.tsx';

const AppointmentsBody = lazy(() =>
  import('./appointments-body.tsx').then((m) => ({ default: m.AppointmentsBody })),
);

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
