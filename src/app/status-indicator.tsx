/** Always visible under the header: what is on the phone only, what is on its way, what needs a fix. */
import { Suspense, useEffect, useRef, useState } from 'react';
import { useServices } from '../data/services-context.tsx';
import { useSyncIndicator } from '../data/use-sync-status.ts';
import { useI18n } from '../i18n/i18n-provider.tsx';
import { hrefOf } from '../lib/router.ts';
import { indicatorText } from './indicator-text.ts';

/** Says "loading" until the services (and with them the engine's status) have loaded. */
export function StatusIndicator() {
  const { t } = useI18n();
  return (
    <Suspense
      fallback={
        <section className="status status-loading" aria-label={t('status.label')}>
          <span className="status-dot" aria-hidden="true" />
          <p className="status-text" role="status" aria-live="polite">
            {t('app.loading')}
          </p>
        </section>
      }
    >
      <EngineStatusIndicator />
    </Suspense>
  );
}

function EngineStatusIndicator() {
  const { t, lang } = useI18n();
  const { engine } = useServices();
  const indicator = useSyncIndicator();
  const now = useSecondTicks(indicator?.kind === 'retrying');
  const kind = indicator?.kind ?? 'loading';
  const text = indicator ? indicatorText(indicator, t, lang, now) : t('app.loading');
  const canSync =
    indicator?.kind === 'waiting' || indicator?.kind === 'attention' || indicator?.kind === 'sign-in';
  // Kept while the drain it started runs (inert, not disabled: either would drop the focus), so a
  // keyboard user who pressed it stays on it; once nothing is left to send it goes, and the focus
  // goes to the status it leaves, not to the page's top.
  const sending = indicator?.kind === 'sending';
  const button = canSync || indicator?.kind === 'retrying' || sending;
  const section = useRef<HTMLElement>(null);
  // Whether the button holds the focus: only then is the focus this header's to hand on (another
  // screen's own focus moves are left alone). Removing a focused element fires no blur.
  const buttonFocused = useRef(false);
  useEffect(() => {
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (!button && buttonFocused.current && lost) section.current?.focus();
    if (!button) buttonFocused.current = false;
  }, [button]);
  return (
    <section ref={section} tabIndex={-1} className={`status status-${kind}`} aria-label={t('status.label')}>
      <span className="status-dot" aria-hidden="true" />
      <p className="status-text" role="status" aria-live="polite">
        {indicator?.kind === 'attention' ? <a href={hrefOf('/appointments')}>{text}</a> : text}
      </p>
      {indicator?.kind === 'sign-in' && (
        <a className="button button-small" href={hrefOf('/account', { next: '/appointments' })}>
          {t('status.signInLink')}
        </a>
      )}
      {button && (
        <button
          type="button"
          className="button-small"
          aria-disabled={sending || undefined}
          onFocus={() => {
            buttonFocused.current = true;
          }}
          onBlur={() => {
            buttonFocused.current = false;
          }}
          onClick={() => {
            if (!sending) engine.syncNow();
          }}
        >
          {indicator?.kind === 'retrying' ? t('status.tryNow') : t('status.syncNow')}
        </button>
      )}
    </section>
  );
}

/** The time, refreshed every second while `active` (a retry countdown), else left alone. */
function useSecondTicks(active: boolean): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!active) return;
    setNow(new Date());
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}
