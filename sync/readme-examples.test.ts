/**
 * sync/README.md shows how the page and the service worker run the engine. Those examples must stay
 * the code the app really runs: every line of each ```ts block must appear in one of the files the
 * README names for it (comments and the README's own `// …` notes aside).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const SOURCES = ['src/data/services.ts', 'src/data/engine-adapter.ts', 'src/sw-drain.ts'];

function codeBlocks(markdown: string): string[][] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) =>
    (m[1] ?? '')
      .split('\n')
      .map((l) => l.trim())
      // A line ending in a README note ("…  // what happens") is compared without the note.
      .map((l) => l.replace(/\s{2,}\/\/.*$/, '').trim())
      .filter((l) => l !== '' && !l.startsWith('//')),
  );
}

describe('sync/README.md examples', () => {
  const readme = fs.readFileSync(path.join(root, 'sync/README.md'), 'utf8');
  const source = SOURCES.map((f) => fs.readFileSync(path.join(root, f), 'utf8'))
    .join('\n')
    .split('\n')
    .map((l) => l.trim());
  const blocks = codeBlocks(readme);

  it('has examples to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  it.each(blocks.map((b, i) => [i + 1, b] as const))('block %i is code the app runs', (_n, lines) => {
    const missing = lines.filter((l) => !source.includes(l));
    expect(missing).toEqual([]);
  });
});
