/**
 * What the account screen's buttons do (data/account-change.ts decides which way each goes): sign in
 * or create an account by email, by phone code, or anonymously; upgrade an anonymous user; switch
 * accounts after asking. Failures and notes come back in the patient's language for the screen.
 */
import { useState } from 'react';
import {
  type AccountIntent,
  type ChangeOutcome,
  type CurrentUser,
  readAccountSituation,
  startPhoneUpgrade,
  switchAccount,
  upgradeWithEmail,
  verifyPhoneUpgrade,
} from '../../data/account-change.ts';
import {
  type AuthOutcome,
  chooseAnonymous,
  sendPhoneCode,
  signInWithEmail,
  signUpWithEmail,
  verifyPhoneCode,
} from '../../data/auth.ts';
import { useServices } from '../../data/services-context.tsx';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { errorMessage, useAction } from '../../lib/use-action.ts';

/** How a sent code is verified: a plain sign-in, adding the number to this user, or a switch. */
type PhoneFlow = 'plain' | 'upgrade' | 'switch';
export type Asking = { kind: 'refused'; count: number } | { kind: 'confirm'; proceed: () => Promise<void> };

export function useAccountFlows(user: CurrentUser, onDone: () => void) {
  const { t } = useI18n();
  const services = useServices();
  const { busy, error, run: runAction, fail } = useAction();
  const [codeSentTo, setCodeSentTo] = useState<{ phone: string; flow: PhoneFlow } | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [asking, setAsking] = useState<Asking | null>(null);

  // Every failure here is shown already in the patient's words, a thrown one included.
  const attempt = (work: () => Promise<void>) =>
    runAction(() => work().catch((e: unknown) => fail(t('account.error', { message: errorMessage(e) }))));

  const signIn = (how: () => Promise<AuthOutcome>) =>
    attempt(async () => {
      const result = await how();
      if (result.ok) onDone();
      else fail(t('account.error', { message: result.message }));
    });

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

  const withEmail = (mode: 'in' | 'up', email: string, password: string) =>
    attempt(async () => {
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

  const sendCode = (phone: string) => {
    const to = phone.replace(/[\s-]/g, '');
    const send = async (flow: PhoneFlow) => {
      const result = await sendPhoneCode(services, to);
      if (result.ok) setCodeSentTo({ phone: to, flow });
      else fail(t('account.error', { message: result.message }));
    };
    return attempt(async () => {
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
  const verifyCode = async (code: string) => {
    if (!codeSentTo) return;
    const { phone: to, flow } = codeSentTo;
    const token = code.trim();
    if (flow === 'plain') return signIn(() => verifyPhoneCode(services, to, token));
    return attempt(async () => {
      const result =
        flow === 'upgrade'
          ? await verifyPhoneUpgrade(services, to, token)
          : await switchAccount(services, (auth) => auth.verifyOtp({ phone: to, token, type: 'sms' }));
      if (explain(result)) onDone();
    });
  };

  /** The patient said yes to the question in `asking`. */
  const confirm = (proceed: () => Promise<void>) => {
    setAsking(null);
    return attempt(proceed);
  };

  return {
    busy,
    error,
    info,
    asking,
    dismiss: () => setAsking(null),
    confirm,
    codeSentTo,
    anonymous: () => signIn(async () => chooseAnonymous(services)),
    withEmail,
    sendCode,
    verifyCode,
  };
}
