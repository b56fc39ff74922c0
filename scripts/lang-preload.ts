/**
 * Only the saved language's catalogue is on the first screen (src/i18n/translate.ts), and only the
 * page knows which one that is. A `modulepreload` in the HTML would fetch both; fetched from the
 * entry's code, it would wait for the entry. So index.html gets an inline script, ahead of the
 * entry, that reads the saved language as `loadLang` does (src/i18n/saved-lang.ts) and preloads
 * that catalogue's chunk: it arrives alongside the entry, and main.tsx's import of it finds it there.
 */
import type { Plugin, Rollup } from 'vite';
import { LANG_KEY } from '../src/i18n/saved-lang.ts';
import { LANGS, type Lang } from '../src/i18n/translate.ts';

/** Each language's catalogue chunk, as a URL under `base`. */
export function catalogueFiles(bundle: Rollup.OutputBundle, base: string): Record<Lang, string> {
  const chunks = Object.values(bundle).filter((c): c is Rollup.OutputChunk => c.type === 'chunk');
  const fileOf = (lang: Lang): string => {
    const chunk = chunks.find((c) => c.facadeModuleId?.endsWith(`/src/i18n/messages-${lang}.ts`));
    // A catalogue bundled into the entry again would silently put both back on the first screen.
    if (!chunk) throw new Error(`lang preload: messages-${lang}.ts is not a chunk of its own`);
    return `${base}${chunk.fileName}`;
  };
  return Object.fromEntries(LANGS.map((lang) => [lang, fileOf(lang)])) as Record<Lang, string>;
}

/**
 * The inline script: plain ES5, no module, so it runs while the entry downloads. Storage can be
 * blocked (privacy modes), as `loadLang` knows; then the browser's language decides.
 */
export function preloadScript(files: Readonly<Record<Lang, string>>): string {
  return `(function(){var f=${JSON.stringify(files)},l=null;try{l=localStorage.getItem(${JSON.stringify(LANG_KEY)})}catch(e){}if(!Object.prototype.hasOwnProperty.call(f,l))l=String(navigator.language||"").toLowerCase().indexOf("hi")===0?"hi":"en";var k=document.createElement("link");k.rel="modulepreload";k.crossOrigin="";k.href=f[l];document.head.appendChild(k)})()`;
}

export function langPreload(): Plugin {
  let base = '/';
  return {
    name: 'consult:lang-preload',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        // The worker's build has no HTML; the page's build always has a bundle here.
        if (!ctx.bundle) return undefined;
        return [
          {
            tag: 'script',
            attrs: { id: 'consult-lang-preload' },
            children: preloadScript(catalogueFiles(ctx.bundle, base)),
            injectTo: 'head',
          },
        ];
      },
    },
  };
}
