/**
 * What a keyboard or screen-reader user meets on a form, read from the page: where the focus is,
 * and each field marked invalid with the message it is described by. Shared by the browser tests
 * of forms and focus (patient app and kiosk).
 */
import type { Page } from 'playwright-core';

/** The focused element: its tag and accessible label (a field's label, or its text). */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    if (!el || el === document.body) return 'BODY';
    const label = el.labels?.[0]?.innerText ?? el.innerText ?? '';
    return `${el.tagName} ${label.split('\n')[0]}`;
  });
}

/** Each field marked invalid, named by its label or legend, with the text it is described by. */
export function refusals(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('[aria-invalid="true"]')].map((el) => {
      const name =
        (el as HTMLInputElement).labels?.[0]?.innerText ??
        el.querySelector('legend')?.innerText ??
        el.tagName;
      const described = (el.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id))
        .filter((d) => d?.classList.contains('field-error'))
        .map((d) => d?.innerText);
      return `${name}: ${described.join(' ')}`;
    }),
  );
}
