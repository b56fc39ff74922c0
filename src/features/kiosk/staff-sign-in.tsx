/**
 * Staff sign in with their clinic account (online), then choose the kiosk's PIN: how a kiosk is set
 * up, and the only way to replace a forgotten PIN.
 */
import { type FormEvent, useState } from 'react';
import { FailureNotice } from '../../components/failure-notice.tsx';
import { Notice, TextField } from '../../components/fields.tsx';
import { hashPin, isValidPin, type PinHash } from '../../data/kiosk-pin.ts';
import { type StaffIdentity, signInStaff } from '../../data/kiosk-staff.ts';
import { useServices } from '../../data/services-context.tsx';
import { useFocusFirstError } from '../../lib/focus.ts';
import { useAction } from '../../lib/use-action.ts';
import { type Checked, checkNewPin, checkStaffSignIn, type Problem } from './kiosk-checks.ts';
import { type KioskTranslate, useKioskI18n } from './kiosk-i18n.ts';

function say(t: KioskTranslate, problem: Problem | undefined): string | undefined {
  return problem ? t(problem.key, problem.params) : undefined;
}

export function StaffSignIn({
  clinicId,
  onSignedIn,
}: {
  /** Set when replacing a forgotten PIN: staff of another clinic are refused. */
  clinicId?: string;
  onSignedIn(staff: StaffIdentity): void;
}) {
  const { t } = useKioskI18n();
  const services = useServices();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  const [errors, setErrors] = useState<Checked<'email' | 'password'>>({});
  const { ref, refused } = useFocusFirstError<HTMLFormElement>();
  const online = typeof navigator === 'undefined' || navigator.onLine;

  function submit(e: FormEvent) {
    e.preventDefault();
    const found = checkStaffSignIn(email, password);
    setErrors(found);
    if (Object.keys(found).length > 0) return refused();
    void action.run(async () => {
      const result = await signInStaff(services, email, password, clinicId);
      setPassword('');
      if (result.ok) return onSignedIn(result.staff);
      action.fail(t(`kiosk.signIn.${result.reason}`, { message: result.message }));
    });
  }

  // The tablet is shared: a staff password the browser saved here would be filled in for whoever
  // taps "Forgot the PIN?", and signing in is how a new PIN is chosen. So nothing here is offered
  // from, or marked for, saved sign-ins ("new-password" is what browsers do not fill a saved one into).
  return (
    <form onSubmit={submit} noValidate autoComplete="off" ref={ref}>
      <h3>{t('kiosk.signIn.title')}</h3>
      {!online && <Notice tone="warning">{t('kiosk.signIn.offline')}</Notice>}
      <TextField
        label={t('kiosk.signIn.email')}
        type="email"
        autoComplete="off"
        error={say(t, errors.email)}
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <TextField
        label={t('kiosk.signIn.password')}
        type="password"
        autoComplete="new-password"
        error={say(t, errors.password)}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <FailureNotice error={action.error} />
      <button type="submit" className="button-primary" disabled={action.busy}>
        {t('kiosk.signIn.submit')}
      </button>
    </form>
  );
}

/** `onChosen` gets the hash to keep and the PIN itself, for the keys sealed under it (use-today.ts). */
export function ChoosePin({ onChosen }: { onChosen(hash: PinHash, pin: string): void | Promise<void> }) {
  const { t } = useKioskI18n();
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<Checked<'pin' | 'again'>>({});
  const { ref, refused } = useFocusFirstError<HTMLFormElement>();
  const action = useAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    const found = checkNewPin(pin, again, isValidPin);
    setErrors(found);
    if (Object.keys(found).length > 0) return refused();
    void action.run(async () => {
      await onChosen(await hashPin(pin), pin);
    });
  }

  return (
    <form onSubmit={submit} noValidate autoComplete="off" ref={ref}>
      <h3>{t('kiosk.pin.chooseTitle')}</h3>
      <p>{t('kiosk.pin.chooseHint')}</p>
      <TextField
        label={t('kiosk.pin.new')}
        type="password"
        inputMode="numeric"
        autoComplete="new-password"
        value={pin}
        onChange={(e) => setPin(e.target.value)}
        error={say(t, errors.pin)}
      />
      <TextField
        label={t('kiosk.pin.again')}
        type="password"
        inputMode="numeric"
        autoComplete="new-password"
        value={again}
        onChange={(e) => setAgain(e.target.value)}
        error={say(t, errors.again)}
      />
      <button type="submit" className="button-primary" disabled={action.busy}>
        {action.busy ? t('kiosk.pin.saving') : t('kiosk.pin.save')}
      </button>
    </form>
  );
}
