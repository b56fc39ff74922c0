/** The countdown before an idle session ends, with the one button that keeps it. */
import { useEffect, useRef } from 'react';
import { useKioskI18n } from './kiosk-i18n.ts';

export function StillThere({ secondsLeft, onContinue }: { secondsLeft: number; onContinue(): void }) {
  const { t } = useKioskI18n();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // Focus comes back to where the user was once the countdown is answered (any touch or key
    // answers it), not to the page's top.
    const before = document.activeElement;
    button.current?.focus();
    return () => {
      const lost = document.activeElement === null || document.activeElement === document.body;
      if (lost && before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, []);
  return (
    <div className="kiosk-overlay">
      <div
        className="kiosk-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="still-there-title"
        aria-describedby="still-there-text"
      >
        <h2 id="still-there-title">{t('kiosk.idle.title')}</h2>
        <p id="still-there-text">{t('kiosk.idle.text', { seconds: secondsLeft })}</p>
        <button ref={button} type="button" className="button-primary" onClick={onContinue}>
          {t('kiosk.idle.continue')}
        </button>
      </div>
    </div>
  );
}
