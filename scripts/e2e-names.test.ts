/**
 * The browser tests share one local stack, and several count the server's patients by name ("the
 * profile is there exactly once"). A name typed by two test files makes that count depend on which
 * file ran first: `conflicts.test.ts` failed in CI when a new kiosk test registered its "Kamla Bai".
 * Each name a test looks up on the server is typed by that file only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const E2E = fileURLToPath(new URL('../e2e', import.meta.url));

it('gives every patient name a browser test looks up on the server to one test file', () => {
  const files = fs.readdirSync(E2E).filter((f) => f.endsWith('.ts'));
  const text = new Map(files.map((f) => [f, fs.readFileSync(path.join(E2E, f), 'utf8')]));
  const lookedUp = new Map<string, string>();
  for (const [file, source] of text)
    for (const [, name] of source.matchAll(/full_name = '([^']+)'/g)) if (name) lookedUp.set(name, file);
  expect(lookedUp.size).toBeGreaterThan(5);
  const shared = [...lookedUp].flatMap(([name, owner]) =>
    [...text]
      .filter(([file, source]) => file !== owner && source.includes(`'${name}'`))
      .map(([file]) => `${name}: ${owner} and ${file}`),
  );
  expect(shared).toEqual([]);
});
