/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/react" />

interface ImportMetaEnv {
  /** The Supabase project URL; defaults to the local stack (http://127.0.0.1:54321). */
  readonly VITE_SUPABASE_URL?: string;
  /** The project's anon key; defaults to the local stack's well-known demo key. */
  readonly VITE_SUPABASE_ANON_KEY?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

/** The build's label (vite.config.ts `define`). */
declare const __CONSULT_BUILD_LABEL__: string;
