import { createContext, type ReactNode, use, useContext } from 'react';
import type { Services } from './services.ts';

/**
 * The services, or the promise of them: main.tsx loads them (Dexie, the store with its zod schemas,
 * the engine) as a chunk of their own, so the shell paints before they arrive and before the
 * database opens. `useServices` suspends until they are there.
 */
export type ServicesSource = Services | Promise<Services>;

const ServicesContext = createContext<ServicesSource | null>(null);

export function ServicesProvider({ services, children }: { services: ServicesSource; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

/** Suspends (the nearest <Suspense> shows its fallback) while the services are still loading. */
export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside <ServicesProvider>');
  return services instanceof Promise ? use(services) : services;
}
