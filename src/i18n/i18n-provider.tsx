/**
 * The current language for the whole tree, persisted on the device and mirrored on <html lang>.
 * Its catalogue is loaded before the tree renders (main.tsx); a language chosen later is shown once
 * its catalogue has loaded (a few KB, precached, and fetched ahead once the app is up).
 */
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { MessageKey } from './messages-en.ts';
import { saveLang } from './saved-lang.ts';
import {
  isCatalogueLoaded,
  LANGS,
  type Lang,
  loadCatalogue,
  type MessageParams,
  translate,
} from './translate.ts';

export type Translate = (key: MessageKey, params?: MessageParams) => string;

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

/** `initial`: the saved language (`loadLang`), its catalogue loaded already (`loadCatalogue`). */
export function I18nProvider({ children, initial }: { children: ReactNode; initial: Lang }) {
  const [lang, setLangState] = useState<Lang>(initial);
  // The last language asked for: a slower load of an earlier choice must not win over it.
  const wanted = useRef(lang);
  const setLang = useCallback((next: Lang) => {
    wanted.current = next;
    const show = () => {
      if (wanted.current !== next) return;
      saveLang(next);
      setLangState(next);
    };
    // In the same event when it can: a controlled radio the click checked then stays checked.
    if (isCatalogueLoaded(next)) return show();
    loadCatalogue(next).then(
      show,
      // Not loaded (a build not precached yet, offline): the screen stays in the language it is in.
      () => undefined,
    );
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  useEffect(() => {
    // The other languages' catalogues, once this one has painted: a switch then shows at once.
    for (const other of LANGS) if (other !== lang) void loadCatalogue(other).catch(() => undefined);
  }, [lang]);
  const value = useMemo<I18n>(
    () => ({ lang, setLang, t: (key, params) => translate(lang, key, params) }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside <I18nProvider>');
  return value;
}
