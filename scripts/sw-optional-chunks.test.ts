import type { Rollup } from 'vite';
import { describe, expect, it } from 'vitest';
import { isKeepOfflineMessage } from '../src/app/pwa/optional-chunks.ts';
import { groupFiles } from './sw-optional-chunks.ts';

interface Spec {
  facade?: string;
  entry?: boolean;
  imports?: string[];
  dynamic?: string[];
  css?: string[];
}

/** A page build's output, just the fields the grouping reads. */
function bundle(specs: Record<string, Spec>): Rollup.OutputBundle {
  return Object.fromEntries(
    Object.entries(specs).map(([fileName, s]) => [
      fileName,
      {
        type: 'chunk',
        fileName,
        isEntry: s.entry ?? false,
        facadeModuleId: s.facade ? `/repo/${s.facade}` : null,
        imports: s.imports ?? [],
        dynamicImports: s.dynamic ?? [],
        viteMetadata: { importedCss: new Set(s.css ?? []), importedAssets: new Set() },
      } as unknown as Rollup.OutputChunk,
    ]),
  );
}

const ROOTS = { qa: ['src/qa-screen.tsx'], kiosk: ['src/kiosk-app.tsx', 'src/setup.tsx'] };

// The shape of the real build: the entry imports every screen lazily, a group's chunks import the
// entry back, the worker's entry shares a chunk with the page, and the groups share a chunk.
const APP = bundle({
  'index.js': { entry: true, imports: ['react.js'], dynamic: ['book.js', 'qa.js', 'kiosk.js', 'setup.js'] },
  'sw-drain.js': { entry: true, imports: ['engine.js'] },
  'react.js': {},
  'engine.js': {},
  'book.js': { facade: 'src/book.tsx', imports: ['index.js', 'engine.js'] },
  'qa.js': {
    facade: 'src/qa-screen.tsx',
    imports: ['index.js', 'outbox.js', 'engine.js'],
    dynamic: ['kiosk.js'],
  },
  'kiosk.js': { facade: 'src/kiosk-app.tsx', imports: ['index.js', 'outbox.js'], dynamic: ['staff.js'] },
  'setup.js': { facade: 'src/setup.tsx', imports: ['index.js'], dynamic: ['kiosk.js'] },
  'staff.js': { facade: 'src/staff.tsx', imports: ['outbox.js'], css: ['staff.css'] },
  'outbox.js': {},
});

describe('groupFiles', () => {
  it("puts in a group what only its roots reach, with CSS, and not another group's chunks", () => {
    expect(groupFiles(APP, ROOTS)).toEqual({
      qa: ['outbox.js', 'qa.js'],
      kiosk: ['kiosk.js', 'outbox.js', 'setup.js', 'staff.css', 'staff.js'],
    });
  });

  it('leaves a chunk the core reaches in the precache, even when a group reaches it too', () => {
    const groups = groupFiles(APP, ROOTS);
    for (const core of ['index.js', 'sw-drain.js', 'react.js', 'engine.js', 'book.js'])
      expect(Object.values(groups).flat()).not.toContain(core);
  });

  it('fails the build when a root has no lazy chunk of its own', () => {
    expect(() => groupFiles(APP, { ...ROOTS, qa: ['src/renamed-qa-screen.tsx'] })).toThrow(
      'no lazy chunk for src/renamed-qa-screen.tsx',
    );
  });
});

describe('isKeepOfflineMessage', () => {
  it('accepts a known group only', () => {
    expect(isKeepOfflineMessage({ type: 'KEEP_OFFLINE', group: 'kiosk' })).toBe(true);
    expect(isKeepOfflineMessage({ type: 'KEEP_OFFLINE', group: 'toString' })).toBe(false);
    expect(isKeepOfflineMessage({ type: 'SKIP_WAITING' })).toBe(false);
    expect(isKeepOfflineMessage(null)).toBe(false);
  });
});
