import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { swOptionalChunks } from './scripts/sw-optional-chunks.ts';
import { swSharedChunks } from './scripts/sw-shared-chunks.ts';
import { OPTIONAL_CHUNKS } from './src/app/pwa/optional-chunks.ts';

// The worker imports the page's chunks rather than bundling its own copy (see the file for how).
const shared = swSharedChunks();
// The QA and kiosk screens are not precached: only the devices that use them keep them (see the file).
const optional = swOptionalChunks(OPTIONAL_CHUNKS);

export default defineConfig({
  // Shown in Settings and on <html data-build>; a deploy sets CONSULT_BUILD_LABEL (e.g. a git sha).
  define: {
    __CONSULT_BUILD_LABEL__: JSON.stringify(
      process.env.CONSULT_BUILD_LABEL ?? process.env.npm_package_version ?? 'dev',
    ),
  },
  plugins: [
    react(),
    shared.swDrainEntry,
    shared.moduleWorkerRegistration,
    optional.findGroups,
    VitePWA({
      // injectManifest: we write the worker (src/sw.ts) for its Background Sync handler and the
      // SKIP_WAITING message; generateSW could do neither.
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      // prompt: a new version waits until the user says reload, so no form input is lost.
      registerType: 'prompt',
      injectRegister: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,woff2}'],
        // The manifest's icons are the launcher's and the splash screen's, and the apple-touch icon
        // is iOS's home-screen icon: the browser fetches them when the app is installed (online) and
        // keeps its own copy. The app never shows them, so precaching them only added 25 KB to every
        // phone's offline download. (favicon.svg, which the page itself shows in its tab, stays.)
        globIgnores: [
          '**/pwa-512x512.png',
          '**/maskable-icon-512x512.png',
          '**/pwa-192x192.png',
          '**/apple-touch-icon-180x180.png',
        ],
        manifestTransforms: [optional.dropFromPrecache],
        buildPlugins: { vite: [shared.swDrainExternal, optional.groupsModule] },
      },
      includeAssets: ['favicon.svg'],
      // See globIgnores: the manifest's icons are not the app's to precache.
      includeManifestIcons: false,
      manifest: {
        id: '/',
        name: 'Consult — book a doctor, even offline',
        short_name: 'Consult',
        description:
          'Create your profile and book a consultation with no connection; it is sent when you are back online.',
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: '#0b5cab',
        categories: ['medical', 'health'],
        icons: [
          { src: 'pwa-192x192.png', sizes: '192x192', type: 'image/png' },
          { src: 'pwa-512x512.png', sizes: '512x512', type: 'image/png' },
          { src: 'maskable-icon-512x512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      devOptions: { enabled: false },
    }),
  ],
  build: {
    target: 'es2022',
    // No <link rel="modulepreload"> for a lazy chunk's imports: at start-up Vite's helper appended
    // about 25 of them (the services chunk and the first screen's) before React's first render,
    // about 10% of the main thread's work before the first screen showed (Chromium trace, offline
    // reopen). The browser fetches those imports itself once the chunk arrives, from the precache;
    // the HTML's own modulepreloads (the first screen's static imports) stay, and so does a lazy
    // chunk's CSS.
    modulePreload: { resolveDependencies: (_file, deps, { hostType }) => (hostType === 'html' ? deps : []) },
    sourcemap: true,
    rollupOptions: {
      input: shared.input,
      // Keep the worker's entry's exports (Vite drops an app entry's exports by default).
      preserveEntrySignatures: 'exports-only',
    },
  },
  preview: { host: '127.0.0.1', port: 5173, strictPort: true },
});
