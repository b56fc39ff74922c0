/**
 * The local stack's JWT secret and API keys. The secret is Supabase CLI's well-known local default,
 * so the anon key printed here is the same one `supabase start` prints: never use it in production.
 */
import { SignJWT } from 'jose';

export const LOCAL_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

/** Supabase CLI signs its demo keys with a fixed expiry far in the future; so do we. */
const DEMO_KEY_EXPIRY = 1983812996;

export async function signApiKey(role: 'anon' | 'service_role', secret = LOCAL_JWT_SECRET): Promise<string> {
  return new SignJWT({ iss: 'supabase-demo', role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime(DEMO_KEY_EXPIRY)
    .sign(new TextEncoder().encode(secret));
}
