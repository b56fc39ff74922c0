import type { Rollup } from 'vite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadLang } from '../src/i18n/saved-lang.ts';
import { catalogueFiles, preloadScript } from './lang-preload.ts';

const FILES = { en: '/assets/messages-en-A.js', hi: '/assets/messages-hi-B.js' };

interface Device {
  saved?: string | null;
  storageThrows?: boolean;
  browser: string;
}

function storageOf(device: Device): Pick<Storage, 'getItem'> {
  return {
    getItem: () => {
      if (device.storageThrows) throw new DOMException('blocked', 'SecurityError');
      return device.saved ?? null;
    },
  };
}

/** Runs the inline script as the page would, and returns the links it appended to <head>. */
function runScript(device: Device): { rel: string; href: string; crossOrigin: string | null }[] {
  const head: { rel: string; href: string; crossOrigin: string | null }[] = [];
  const document = {
    createElement: () => ({ rel: '', href: '', crossOrigin: null }),
    head: { appendChild: (link: (typeof head)[number]) => head.push(link) },
  };
  new Function('localStorage', 'navigator', 'document', preloadScript(FILES))(
    storageOf(device),
    { language: device.browser },
    document,
  );
  return head;
}

describe("index.html's catalogue preload", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const devices: Device[] = [
    { saved: 'hi', browser: 'en-US' },
    { saved: 'en', browser: 'hi-IN' },
    { saved: null, browser: 'hi-IN' },
    { saved: null, browser: 'HI' },
    { saved: null, browser: 'en-IN' },
    { saved: 'fr', browser: 'hi' },
    { saved: 'toString', browser: 'de-DE' },
    { storageThrows: true, browser: 'hi-IN' },
    { storageThrows: true, browser: '' },
  ];

  it('preloads the catalogue of the language the app will open in (loadLang)', () => {
    for (const device of devices) {
      vi.stubGlobal('localStorage', storageOf(device));
      vi.stubGlobal('navigator', { language: device.browser });
      const links = runScript(device);
      expect(links, JSON.stringify(device)).toEqual([
        { rel: 'modulepreload', href: FILES[loadLang()], crossOrigin: '' },
      ]);
    }
  });
});

/** A page build's output, just the fields `catalogueFiles` reads. */
function bundle(facades: Record<string, string>): Rollup.OutputBundle {
  return Object.fromEntries(
    Object.entries(facades).map(([fileName, facade]) => [
      fileName,
      { type: 'chunk', fileName, facadeModuleId: `/repo/${facade}` } as unknown as Rollup.OutputChunk,
    ]),
  );
}

describe('catalogueFiles', () => {
  it("finds each language's chunk, under the base", () => {
    const built = bundle({
      'assets/index-X.js': 'src/main.tsx',
      'assets/messages-en-A.js': 'src/i18n/messages-en.ts',
      'assets/messages-hi-B.js': 'src/i18n/messages-hi.ts',
      'assets/messages-kiosk-en-C.js': 'src/i18n/messages-kiosk-en.ts',
    });
    expect(catalogueFiles(built, '/')).toEqual(FILES);
    expect(catalogueFiles(built, '/app/').hi).toBe('/app/assets/messages-hi-B.js');
  });

  it('refuses a build where a catalogue is not a chunk of its own', () => {
    const built = bundle({
      'assets/index-X.js': 'src/main.tsx',
      'assets/messages-en-A.js': 'src/i18n/messages-en.ts',
    });
    expect(() => catalogueFiles(built, '/')).toThrow(/messages-hi\.ts is not a chunk of its own/);
  });
});
