/**
 * Sign-in paths of the patient app. Each returns an error message or null; the screens translate
 * the situation, and show the server's message (which may be English) inside a translated sentence.
 */
import type { Session } from '@supabase/supabase-js';
import { saveAuthChoice } from '../lib/device-prefs.ts';
import type { Services } from './services.ts';

async function authOf(services: Services) {
  return (await services.supabase()).auth;
}

export type AuthOutcome = { ok: true } | { ok: false; message: string };

function outcome(error: { message: string } | null): AuthOutcome {
  if (error) return { ok: false, message: error.message };
  return { ok: true };
}

async function afterSignIn(services: Services, error: { message: string } | null): Promise<AuthOutcome> {
  if (!error) {
    saveAuthChoice('account');
    // Writes made before sign-in have waited in the outbox for exactly this.
    services.engine.syncNow();
  }
  return outcome(error);
}

export async function signInWithEmail(
  services: Services,
  email: string,
  password: string,
): Promise<AuthOutcome> {
  const { error } = await (await authOf(services)).signInWithPassword({ email, password });
  return afterSignIn(services, error);
}

export async function signUpWithEmail(
  services: Services,
  email: string,
  password: string,
): Promise<AuthOutcome> {
  const { error } = await (await authOf(services)).signUp({ email, password });
  return afterSignIn(services, error);
}

export async function sendPhoneCode(services: Services, phone: string): Promise<AuthOutcome> {
  const { error } = await (await authOf(services)).signInWithOtp({ phone });
  return outcome(error);
}

export async function verifyPhoneCode(
  services: Services,
  phone: string,
  token: string,
): Promise<AuthOutcome> {
  const { error } = await (await authOf(services)).verifyOtp({ phone, token, type: 'sms' });
  return afterSignIn(services, error);
}

/**
 * "Continue without an account": remembered on the device, and the anonymous sign-in itself happens
 * the first time the device is online (see `useAnonymousSignIn`).
 */
export function chooseAnonymous(services: Services): AuthOutcome {
  saveAuthChoice('anonymous');
  // Never wait for it: offline, or with the server down, the patient carries on and the sign-in is
  // tried again when the device comes online (useAnonymousSignIn).
  if (navigator.onLine) void signInAnonymouslyIfNeeded(services).catch(() => undefined);
  return { ok: true };
}

export async function signInAnonymouslyIfNeeded(services: Services): Promise<AuthOutcome> {
  const { data } = await (await authOf(services)).getSession();
  if (data.session) return { ok: true };
  const { error } = await (await authOf(services)).signInAnonymously();
  if (!error) services.engine.syncNow();
  return outcome(error);
}

export function describeUser(
  session: Session | null,
): { kind: 'none' } | { kind: 'anonymous' } | { kind: 'user'; who: string } {
  const user = session?.user;
  if (!user) return { kind: 'none' };
  if (user.is_anonymous) return { kind: 'anonymous' };
  return { kind: 'user', who: user.email || user.phone || user.id };
}
