import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Services } from '../../data/services.ts';
import { ServicesProvider } from '../../data/services-context.tsx';
import { I18nProvider } from '../../i18n/i18n-provider.tsx';
import { StaffSignIn } from './staff-sign-in.tsx';

describe('staff sign-in on a shared tablet', () => {
  it('is not filled in from, nor marked for, a staff sign-in the browser saved', () => {
    // Rendering only: no sign-in is made, so no service is reached.
    const services = {} as Services;
    const html = renderToStaticMarkup(
      <I18nProvider>
        <ServicesProvider services={services}>
          <StaffSignIn clinicId="0b6f6f0e-3c1a-4d35-9a57-6f7e0c1d2a11" onSignedIn={() => undefined} />
        </ServicesProvider>
      </I18nProvider>,
    );
    const fields = [...html.matchAll(/<input[^>]*>/g)].map((m) => m[0]);
    expect(fields).toHaveLength(2);
    for (const field of fields) {
      expect(field).not.toMatch(/autoComplete="(username|current-password|email|on)"/i);
      expect(field).toMatch(/autoComplete="(off|new-password)"/i);
    }
    expect(html).toMatch(/<form[^>]*autoComplete="off"/i);
  });
});
