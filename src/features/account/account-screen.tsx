/**
 * Account: continue without one (anonymous sign-in once online), email and password, or phone with a
 * one-time code. The app is usable whatever is chosen; queued writes wait for a session.
 */
import { type FormEvent, useState } from 'react';
import { Notice, TextField } from '../../components/fields.tsx';
import {
  type AuthOutcome,
  chooseAnonymous,
  describeUser,
  sendPhoneCode,
  signInWithEmail,
  signUpWithEmail,
  verifyPhoneCode,
} from '../../data/auth.ts';
import { useServices } from '../../data/services-context.tsx';
import { useOnline } from '../../data/use-online.ts';
import { useSession } from '../../data/use-session.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';

export function AccountScreen({ onDone }: { onDone(): void }) {
  const { t } = useI18n();
  const services = useServices();
  const online = useOnline();
  const session = useSession();
  const user = describeUser(session ?? null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [phone, setPhone] = useState('');
  const [codeSentTo, setCodeSentTo] = useState<string | null>(null);
  const [code, setCode] = useState('');

  async function run(action: () => Promise<AuthOutcome>, after?: () => void): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const result = await action();
      if (result.ok) (after ?? onDone)();
      else setError(t('account.error', { message: result.message }));
    } catch (e) {
      setError(t('account.error', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  }

  const onEmail = (mode: 'in' | 'up') => (e?: FormEvent) => {
    e?.preventDefault();
    void run(() =>
      mode === 'in' ? signInWithEmail(services, email, password) : signUpWithEmail(services, email, password),
    );
  };
  const normalisedPhone = phone.replace(/[\s-]/g, '');
  const onSendCode = (e: FormEvent) => {
    e.preventDefault();
    void run(
      () => sendPhoneCode(services, normalisedPhone),
      () => setCodeSentTo(normalisedPhone),
    );
  };
  const onVerify = (e: FormEvent) => {
    e.preventDefault();
    if (codeSentTo) void run(() => verifyPhoneCode(services, codeSentTo, code.trim()));
  };

  return (
    <section className="screen" aria-labelledby="account-title">
      <h2 id="account-title">{t('account.title')}</h2>
      {user.kind === 'user' && <Notice tone="success">{t('account.signedInAs', { who: user.who })}</Notice>}
      {user.kind === 'anonymous' && <Notice tone="info">{t('account.signedInAnonymous')}</Notice>}
      <p>{t('account.intro')}</p>
      {error && <Notice tone="error">{error}</Notice>}

      <div className="card">
        <button
          type="button"
          className="button-primary"
          disabled={busy}
          onClick={() => void run(async () => chooseAnonymous(services))}
        >
          {t('account.anonymous')}
        </button>
        <p className="hint">{t('account.anonymousHint')}</p>
      </div>

      {!online && <Notice tone="warning">{t('account.needsOnline')}</Notice>}

      <form className="card" onSubmit={onEmail('in')}>
        <h3 id="account-email">{t('account.emailHeading')}</h3>
        <TextField
          label={t('account.email')}
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          label={t('account.password')}
          type="password"
          autoComplete="current-password"
          required
          minLength={6}
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
            disabled={busy || !online || !email || password.length < 6}
            onClick={() => onEmail('up')()}
          >
            {t('account.signUp')}
          </button>
        </div>
      </form>

      <div className="card">
        <h3 id="account-phone">{t('account.phoneHeading')}</h3>
        <form onSubmit={onSendCode}>
          <TextField
            label={t('account.phone')}
            type="tel"
            autoComplete="tel"
            inputMode="tel"
            required
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
          />
          <button type="submit" disabled={busy || !online}>
            {t('account.sendCode')}
          </button>
        </form>
        {codeSentTo && (
          <form onSubmit={onVerify}>
            <p role="status">{t('account.codeSent', { phone: codeSentTo })}</p>
            <TextField
              label={t('account.code')}
              inputMode="numeric"
              autoComplete="one-time-code"
              required
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
