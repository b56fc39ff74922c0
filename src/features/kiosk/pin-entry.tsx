/**
 * Staff screens open only with the PIN. Wrong entries lock the entry with growing delays; the lock is
 * saved with the kiosk's configuration on every wrong PIN, so reloading the page does not lift it.
 * A forgotten PIN is replaced only by signing in again, online, as staff of this clinic.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { Notice, TextField } from '../../components/fields.tsx';
import type { KioskConfig } from '../../data/kiosk-config.ts';
import { setKioskConfig } from '../../data/kiosk-config-store.ts';
import { lockRemaining } from '../../data/kiosk-pin.ts';
import { guardedPinCheck } from '../../data/kiosk-pin-guard.ts';
import { useFocusFirstError } from '../../lib/focus.ts';
import { useAction } from '../../lib/use-action.ts';
import { checkPinEntered } from './kiosk-checks.ts';
import { useKioskI18n } from './kiosk-i18n.ts';

export function PinEntry({
  config,
  title,
  submitLabel,
  onUnlocked,
  onCancel,
  onForgot,
}: {
  config: KioskConfig;
  title: string;
  submitLabel: string;
  /** Gets the PIN just checked, for deriving the key of what is sealed under it. */
  onUnlocked(pin: string): void;
  onCancel(): void;
  onForgot?: () => void;
}) {
  const { t } = useKioskI18n();
  const [pin, setPin] = useState('');
  // Why the last submit did not open: nothing entered, or a wrong PIN (shown with the field).
  const [problem, setProblem] = useState<'empty' | 'wrong' | null>(null);
  const { ref, refused } = useFocusFirstError<HTMLFormElement>();
  const [now, setNow] = useState(() => Date.now());
  const action = useAction();
  const remaining = lockRemaining(config.lockout, now);
  useEffect(() => {
    if (remaining <= 0) return;
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, [remaining]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const entered = pin;
    if (checkPinEntered(entered).pin) {
      setProblem('empty');
      return refused();
    }
    void action.run(async () => {
      // The lockout as saved, not as this screen read it: another tab may have counted entries.
      const out = await guardedPinCheck(entered, config, Date.now);
      setKioskConfig(out.config);
      setPin('');
      setNow(Date.now());
      setProblem(out.result === 'wrong' ? 'wrong' : null);
      if (out.result === 'ok') onUnlocked(entered);
      else refused();
    });
  }

  return (
    <section className="kiosk-screen" aria-labelledby="kiosk-pin-title">
      <h2 id="kiosk-pin-title">{title}</h2>
      <form onSubmit={submit} noValidate autoComplete="off" ref={ref}>
        <TextField
          label={t('kiosk.pin.label')}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={pin}
          onChange={(e) => setPin(e.target.value)}
          disabled={remaining > 0}
          // While a PIN is checked, what is typed would be cleared with it when the check ends (and
          // the next submit sent empty): the field waits instead, keeping the focus.
          readOnly={action.busy}
          error={
            remaining === 0 && problem
              ? t(problem === 'empty' ? 'kiosk.pin.enter' : 'kiosk.pin.wrong')
              : undefined
          }
        />
        {remaining > 0 && (
          <Notice tone="error">{t('kiosk.pin.locked', { seconds: Math.ceil(remaining / 1000) })}</Notice>
        )}
        <div className="kiosk-actions">
          <button type="submit" className="button-primary" disabled={action.busy || remaining > 0}>
            {submitLabel}
          </button>
          <button type="button" className="button-secondary" onClick={onCancel}>
            {t('kiosk.cancel')}
          </button>
        </div>
      </form>
      {onForgot && (
        <button type="button" className="button-secondary" onClick={onForgot}>
          {t('kiosk.pin.forgot')}
        </button>
      )}
    </section>
  );
}
