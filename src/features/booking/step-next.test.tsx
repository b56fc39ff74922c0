import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ChoiceGroup } from '../../components/fields.tsx';
import { I18nProvider } from '../../i18n/i18n-provider.tsx';
import { NextButton } from './step-next.tsx';

const nothing = () => undefined;

describe("a step's Next", () => {
  it('can be pressed before the question is answered (a greyed-out Next said nothing of why)', () => {
    const html = renderToStaticMarkup(
      <I18nProvider initial="en">
        <NextButton answered={false} onNext={nothing} onUnanswered={nothing} />
      </I18nProvider>,
    );
    expect(html).toContain('>Next</button>');
    expect(html).not.toContain('disabled');
  });

  it('marks the unanswered question, with the reason tied to it', () => {
    const html = renderToStaticMarkup(
      <ChoiceGroup
        legend="Choose a specialty"
        name="specialty"
        choices={[{ value: 'ent', label: 'ENT' }]}
        value={null}
        onChange={nothing}
        error="Choose one of the options."
      />,
    );
    expect(html).toMatch(/<fieldset[^>]*aria-invalid="true"[^>]*aria-describedby="([^"]+)-error"/);
    expect(html).toContain('Choose one of the options.');
  });
});
