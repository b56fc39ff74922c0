/**
 * Account: continue without one (anonymous sign-in once online), email and password, or phone with a
 * one-time code. The app is usable whatever is chosen; queued writes wait for a session.
 *
 * While signed in anonymously, "Create account" upgrades that same user (their rows stay theirs).
 * Signing in to another account is refused while writes are unsent, and otherwise asked first when
 * this phone's rows would leave the device (data/account-change.ts decides).
 */
import { type FormEvent, useState } from 'react';
import { FailureNotice } from '../../components/failure-notice.tsx';
import { Notice, TextField } from '../../components/fields.tsx';
import {
  type AccountIntent,
  type ChangeOutcome,
  readAccountSituation,
  startPhoneUpgrade,
  switchAccount,
  upgradeWithEmail,
  verifyPhoneUpgrade,
} from '../../data/account-change.ts';
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
import { errorMessage, useAction } from '../../lib/use-action.ts';

/** How a sent code is verified: a plain sign-in, adding the number to this user, or a switch. */
type PhoneFlow = 'plain' | 'upgrade' | 'switch';
type Asking = { kind: 'refused'; count: number } | { kind: 'confirm'; proceed: () => Promise<void> };

export function AccountScreen({ onDone }: { onDone(): void }) {
  const { t } = useI18n();
  const services = useServices();
  const online = useOnline();
  const session = useSession();
  const user = describeUser(session ?? null);
  const { busy, error, run: runAction, fail } = useAction();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [phone, setPhone] = useState('');
  const [codeSentTo, setCodeSentTo] = useState<{ phone: string; flow: PhoneFlow } | null>(null);
  const [code, setCode] = useState('');
  const [info, setInfo] = useState<string | null>(null);
  const [asking, setAsking] = useState<Asking | null>(null);

  // Every failure here is shown already in the patient's words, a thrown one included.
  const attempt = (work: () => Promise<void>) =>
    runAction(() => work().catch((e: unknown) => fail(t('account.error', { message: errorMessage(e) }))));

  async function run(signIn: () => Promise<AuthOutcome>, after?: () => void): Promise<void> {
    return attempt(async () => {
      const result = await signIn();
      if (result.ok) (after ?? onDone)();
      else fail(t('account.error', { message: result.message }));
    });
  }

  /** True when it worked; otherwise says why, in the patient's language. */
  function explain(result: ChangeOutcome): boolean {
    if (result.ok) return true;
    switch (result.reason) {
      case 'exists':
        fail(t('account.exists'));
        break;
      case 'unsupported':
        fail(t('account.phoneUnsupported'));
        break;
      case 'unsent':
        setAsking({ kind: 'refused', count: result.count });
        break;
      case 'error':
        fail(t('account.error', { message: result.message }));
        break;
      default: {
        const never: never = result;
        throw new Error(`unknown outcome ${JSON.stringify(never)}`);
      }
    }
    return false;
  }

  const plan = (intent: AccountIntent) => {
    setAsking(null);
    setInfo(null);
    return readAccountSituation(services, user, intent);
  };

  const onEmail = (mode: 'in' | 'up') => (e?: FormEvent) => {
    e?.preventDefault();
    void attempt(async () => {
      const p = await plan({ action: mode === 'up' ? 'create' : 'sign-in', identifier: email });
      switch (p.kind) {
        case 'plain': {
          const result =
            mode === 'in'
              ? await signInWithEmail(services, email, password)
              : await signUpWithEmail(services, email, password);
          if (result.ok) onDone();
          else fail(t('account.error', { message: result.message }));
          return;
        }
        case 'upgrade': {
          const result = await upgradeWithEmail(services, email, password);
          if (!explain(result)) return;
          if (result.ok && result.confirmEmail) setInfo(t('account.confirmEmail'));
          else onDone();
          return;
        }
        case 'refuse-unsent':
          setAsking({ kind: 'refused', count: p.unsent.length });
          return;
        case 'switch': {
          const proceed = async () => {
            const result = await switchAccount(services, (auth) =>
              mode === 'in' ? auth.signInWithPassword({ email, password }) : auth.signUp({ email, password }),
            );
            if (explain(result)) onDone();
          };
          if (p.confirm) setAsking({ kind: 'confirm', proceed });
          else await proceed();
          return;
        }
        default: {
          const never: never = p;
          throw new Error(`unknown plan ${JSON.stringify(never)}`);
        }
      }
    });
  };

  const normalisedPhone = phone.replace(/[\s-]/g, '');
  const onSendCode = (e: FormEvent) => {
    e.preventDefault();
    const to = normalisedPhone;
    const send = async (flow: PhoneFlow) => {
      const result = await sendPhoneCode(services, to);
      if (result.ok) setCodeSentTo({ phone: to, flow });
      else fail(t('account.error', { message: result.message }));
    };
    void attempt(async () => {
      let p = await plan({ action: 'create', identifier: to });
      if (p.kind === 'upgrade') {
        const result = await startPhoneUpgrade(services, to);
        if (result.ok) {
          setCodeSentTo({ phone: to, flow: 'upgrade' });
          return;
        }
        if (result.reason !== 'exists' && result.reason !== 'unsupported') {
          explain(result);
          return;
        }
        // The number is another account's (or cannot be linked here): signing in with it is a switch.
        setInfo(t(result.reason === 'exists' ? 'account.exists' : 'account.phoneUnsupported'));
        p = await readAccountSituation(services, user, { action: 'sign-in', identifier: to });
      }
      if (p.kind === 'refuse-unsent') setAsking({ kind: 'refused', count: p.unsent.length });
      else if (p.kind === 'switch' && p.confirm)
        setAsking({ kind: 'confirm', proceed: () => send('switch') });
      else await send(p.kind === 'switch' ? 'switch' : 'plain');
    });
  };
  const onVerify = (e: FormEvent) => {
    e.preventDefault();
    if (!codeSentTo) return;
    const { phone: to, flow } = codeSentTo;
    const token = code.trim();
    if (flow === 'plain') {
      void run(() => verifyPhoneCode(services, to, token));
      return;
    }
    void attempt(async () => {
      const result =
        flow === 'upgrade'
          ? await verifyPhoneUpgrade(services, to, token)
          : await switchAccount(services, (auth) => auth.verifyOtp({ phone: to, token, type: 'sms' }));
      if (explain(result)) onDone();
    });
  };

  return (
    <section className="screen" aria-labelledby="account-title">
      <h2 id="account-title">{t('account.title')}</h2>
      {user.kind === 'user' && <Notice tone="success">{t('account.signedInAs', { who: user.who })}</Notice>}
      {user.kind === 'anonymous' && <Notice tone="info">{t('account.signedInAnonymous')}</Notice>}
      <p>{t('account.intro')}</p>
      {user.kind === 'anonymous' && <p className="hint">{t('account.upgradeHint')}</p>}
      <FailureNotice error={error} />
      {info && <Notice tone="info">{info}</Notice>}
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
            onClick={() => {
              const { proceed } = asking;
              setAsking(null);
              void attempt(proceed);
            }}
          >
            {t('account.switchYes')}
          </button>
          <button type="button" className="button-secondary" onClick={() => setAsking(null)}>
            {t('account.switchNo')}
          </button>
        </div>
      )}

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
            <p role="status">{t('account.codeSent', { phone: codeSentTo.phone })}</p>
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
