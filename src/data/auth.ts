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
 * "Continue without an account": remembered on the device. The anonymous sign-in itself is the
 * engine's first step whenever it sends or fetches (session-gate.ts), so it is retried with the
 * engine's backoff and triggers (online, visible, timer, "Sync now") until the server answers.
 */
export function chooseAnonymous(services: Services): AuthOutcome {
  saveAuthChoice('anonymous');
  // Never waited for: offline, or with the server down, the patient carries on. Also lifts a pause
  // for sign-in from before the choice.
  services.engine.syncNow();
  return { ok: true };
}

export function describeUser(
  session: Session | null,
): { kind: 'none' } | { kind: 'anonymous' } | { kind: 'user'; who: string } {
  const user = session?.user;
  if (!user) return { kind: 'none' };
  if (user.is_anonymous) return { kind: 'anonymous' };
  return { kind: 'user', who: user.email || user.phone || user.id };
}
