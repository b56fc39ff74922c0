import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QA_FAULTS_KEY } from '../data/qa-mode.ts';
import { I18nProvider } from '../i18n/i18n-provider.tsx';
import { LANGS, translate } from '../i18n/translate.ts';
import { memoryStorage } from '../testing/memory-storage.ts';
import { QaBannerSlot } from './qa-banner-slot.tsx';

/** A text as the markup writes it (an apostrophe is escaped). */
const inMarkup = (text: string) => renderToStaticMarkup(text);

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("QA mode's banner before (or without) its chunk", () => {
  for (const lang of LANGS)
    it(`says QA mode is on, with the way off, in ${lang}, from the shell's own words`, () => {
      vi.stubGlobal('localStorage', memoryStorage({ [QA_FAULTS_KEY]: '{"offline":true}' }));
      const html = renderToStaticMarkup(
        <I18nProvider initial={lang}>
          <QaBannerSlot />
        </I18nProvider>,
      );
      // Before, nothing showed until the chunk came, and nothing at all where it could not.
      expect(html).toContain('role="alert"');
      expect(html).toContain(inMarkup(translate(lang, 'app.qaOn')));
      expect(html).toContain(inMarkup(translate(lang, 'app.qaOff')));
    });

  it('is not there with QA mode off', () => {
    vi.stubGlobal('localStorage', memoryStorage({}));
    expect(
      renderToStaticMarkup(
        <I18nProvider initial="en">
          <QaBannerSlot />
        </I18nProvider>,
      ),
    ).toBe('');
  });
});
