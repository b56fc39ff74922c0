import { expect, it } from 'vitest';
import { loadStoredSessionUser, sessionUserNow, subscribeSessionUser } from './session-user.ts';

it('says the session user is not known until the stored session was read, then follows it', async () => {
  // Until then a screen cannot tell a queued profile the user's from another account's (use-patient.ts).
  expect(sessionUserNow()).toEqual({ user: null, known: false });
  let heard = 0;
  const stop = subscribeSessionUser(() => {
    heard += 1;
  });
  await loadStoredSessionUser(async () => []);
  expect(sessionUserNow()).toEqual({ user: null, known: true });
  const before = sessionUserNow();
  await loadStoredSessionUser(async () => []);
  // The same answer is the same snapshot: React re-renders only on a change.
  expect(sessionUserNow()).toBe(before);
  await loadStoredSessionUser(async () => [{ user: { id: 'u1', is_anonymous: true } }]);
  expect(sessionUserNow()).toEqual({ user: { id: 'u1', anonymous: true }, known: true });
  expect(heard).toBe(2);
  stop();
});
