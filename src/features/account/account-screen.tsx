/**
 * Account: continue without one (anonymous sign-in once online), email and password, or phone with a
 * one-time code. The app is usable whatever is chosen; queued writes wait for a session.
 *
 * While signed in anonymously, "Create account" upgrades that same user (their rows stay theirs).
 * Signing in to another account is refused while writes are unsent, and otherwise asked first when
 * this phone's rows would leave the device (account-flows.ts).
 */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { FailureNotice } from '../../components/failure-notice.tsx';
import { Notice, TextField } from '../../components/fields.tsx';
import { describeUser } from '../../data/auth.ts';
import { useOnline } from '../../data/use-online.ts';
import { useSession } from '../../data/use-session.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { type AccountErrors, checkCode, checkEmailForm, checkPhone } from './account-checks.ts';
import { useAccountFlows } from './account-flows.ts';

export function AccountScreen({ onDone }: { onDone(): void }) {
  const { t } = useI18n();
  const online = useOnline();
  const session = useSession();
  const user = describeUser(session ?? null);
  const flows = useAccountFlows(user, onDone);
  const { busy, asking, codeSentTo } = flows;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');

  const [errors, setErrors] = useState<AccountErrors>({});
  const [checked, setChecked] = useState(0);
  const screenRef = useRef<HTMLElement>(null);
  useEffect(() => {
    // After a refused submit, a keyboard or screen-reader user lands on the first field to fix.
    if (checked > 0) screenRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [checked]);

  /** Sends only what passes its checks; otherwise says beside each field what is wrong. */
  const submit = (check: () => AccountErrors, action: () => Promise<void>) => (e?: FormEvent) => {
    e?.preventDefault();
    const found = check();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setChecked((n) => n + 1);
      return;
    }
    void action();
  };
  // The question comes after a press whose button went disabled (focus on the page's body): the
  // safe answer gets the focus.
  const keep = useRef<HTMLButtonElement>(null);
  const confirming = asking?.kind === 'confirm';
  useEffect(() => {
    if (confirming) keep.current?.focus();
  }, [confirming]);

  const onEmail = (mode: 'in' | 'up') =>
    submit(
      () => checkEmailForm(mode, email, password),
      () => flows.withEmail(mode, email.trim(), password),
    );
  const error = (field: keyof AccountErrors) => {
    const key = errors[field];
    return key ? t(key) : undefined;
  };

  return (
    <section className="screen" aria-labelledby="account-title" ref={screenRef}>
      <h2 id="account-title">{t('account.title')}</h2>
      {user.kind === 'user' && <Notice tone="success">{t('account.signedInAs', { who: user.who })}</Notice>}
      {user.kind === 'anonymous' && <Notice tone="info">{t('account.signedInAnonymous')}</Notice>}
      <p>{t('account.intro')}</p>
      {user.kind === 'anonymous' && <p className="hint">{t('account.upgradeHint')}</p>}
      <FailureNotice error={flows.error} />
      {flows.info && <Notice tone="info">{flows.info}</Notice>}
      {asking?.kind === 'refused' && (
        <Notice tone="warning">{t('account.switchUnsent', { count: asking.count })}</Notice>
      )}
      {asking?.kind === 'confirm' && (
        <div className="confirm" role="alert">
          <p>
            {user.kind === 'user'
              ? t('account.switchConfirmUser', { who: user.who })
              : t('account.switchConfirmAnonymous')}
          </p>
          <button
            type="button"
            className="button-danger"
            disabled={busy}
            onClick={() => void flows.confirm(asking.proceed)}
          >
            {t('account.switchYes')}
          </button>
          <button ref={keep} type="button" className="button-secondary" onClick={flows.dismiss}>
            {t('account.switchNo')}
          </button>
        </div>
      )}

      <div className="card">
        <button
          type="button"
          className="button-primary"
          disabled={busy}
          onClick={() => void flows.anonymous()}
        >
          {t('account.anonymous')}
        </button>
        <p className="hint">{t('account.anonymousHint')}</p>
      </div>

      {!online && <Notice tone="warning">{t('account.needsOnline')}</Notice>}

      <form className="card" onSubmit={onEmail('in')} noValidate>
        <h3 id="account-email">{t('account.emailHeading')}</h3>
        <TextField
          label={t('account.email')}
          type="email"
          autoComplete="email"
          required
          error={error('email')}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          label={t('account.password')}
          type="password"
          autoComplete="current-password"
          required
          hint={t('account.passwordHint')}
          error={error('password')}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <div className="actions">
          <button type="submit" disabled={busy || !online}>
            {t('account.signIn')}
          </button>
          <button
            type="button"
            className="button-secondary"
            disabled={busy || !online}
            onClick={() => onEmail('up')()}
          >
            {t('account.signUp')}
          </button>
        </div>
      </form>

      <div className="card">
        <h3 id="account-phone">{t('account.phoneHeading')}</h3>
        <form
          onSubmit={submit(
            () => checkPhone(phone),
            () => flows.sendCode(phone),
          )}
          noValidate
        >
          <TextField
            label={t('account.phone')}
            type="tel"
            autoComplete="tel"
            inputMode="tel"
            required
            error={error('phone')}
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
          />
          <button type="submit" disabled={busy || !online}>
            {t('account.sendCode')}
          </button>
        </form>
        {codeSentTo && (
          <form
            onSubmit={submit(
              () => checkCode(code),
              () => flows.verifyCode(code),
            )}
            noValidate
          >
            <p role="status">{t('account.codeSent', { phone: codeSentTo.phone })}</p>
            <TextField
              label={t('account.code')}
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              error={error('code')}
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <button type="submit" disabled={busy || !online}>
              {t('account.verify')}
            </button>
          </form>
        )}
      </div>
      {busy && <p role="status">{t('account.working')}</p>}
      {user.kind !== 'none' && (
        <button type="button" className="button-secondary" onClick={onDone}>
          {t('account.continue')}
        </button>
      )}
    </section>
  );
}
