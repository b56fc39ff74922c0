/**
 * Screens only some devices use, and so are left out of the service worker's precache (every phone
 * would download them to work offline): the QA tools, and kiosk mode, which a tablet sets up online.
 * A device that loads one of them tells the worker (`keepOffline`), which then keeps the group's
 * chunks, including those not loaded yet, for this version and every update after it.
 * The build (scripts/sw-optional-chunks.ts) turns each group's root modules into its chunk files.
 */
export const OPTIONAL_CHUNKS = {
  // The QA screen itself is precached (its queue export must work offline on any device); its
  // in-app faults section and the QA banner are not.
  qa: ['src/features/qa/in-app-faults-section.tsx', 'src/features/qa/qa-fault-banner.tsx'],
  kiosk: ['src/features/kiosk/kiosk-app.tsx', 'src/features/kiosk/setup-screen.tsx'],
} as const satisfies Record<string, readonly string[]>;

export type OptionalGroup = keyof typeof OPTIONAL_CHUNKS;

/** The page's message to the worker. */
export interface KeepOfflineMessage {
  type: 'KEEP_OFFLINE';
  group: OptionalGroup;
}

export function isKeepOfflineMessage(data: unknown): data is KeepOfflineMessage {
  if (typeof data !== 'object' || data === null) return false;
  const { type, group } = data as { type?: unknown; group?: unknown };
  return type === 'KEEP_OFFLINE' && typeof group === 'string' && Object.hasOwn(OPTIONAL_CHUNKS, group);
}
