import { describe, expect, it } from 'vitest';
import { focusFirstError, focusToRestore } from './focus.ts';

/** An element as focus.ts reads it: a tag, children found by selector, and a record of focus. */
interface FakeElement {
  tagName: string;
  focused: number;
  focus(): void;
  querySelector(selector: string): FakeElement | null;
}

function element(tagName: string, children: Record<string, FakeElement> = {}): FakeElement {
  const el: FakeElement = {
    tagName,
    focused: 0,
    focus() {
      el.focused += 1;
    },
    querySelector: (selector: string) => children[selector] ?? null,
  };
  return el;
}

describe('focusFirstError', () => {
  it('focuses the first field marked invalid', () => {
    const input = element('INPUT');
    expect(focusFirstError(element('FORM', { '[aria-invalid="true"]': input }))).toBe(true);
    expect(input.focused).toBe(1);
  });

  it('focuses the first enabled option of a radio group marked invalid, not its fieldset', () => {
    const radio = element('INPUT');
    const group = element('FIELDSET', { 'input:not([disabled])': radio });
    expect(focusFirstError(element('FORM', { '[aria-invalid="true"]': group }))).toBe(true);
    expect(radio.focused).toBe(1);
    expect(group.focused).toBe(0);
  });

  it('does nothing when nothing is marked, or there is no form', () => {
    expect(focusFirstError(element('FORM'))).toBe(false);
    expect(focusFirstError(null)).toBe(false);
  });
});

describe('focusToRestore', () => {
  const body = { name: 'body' };
  const button = { isConnected: true, disabled: false };

  it('gives focus back to the pressed button when it was lost to the body or to nothing', () => {
    expect(focusToRestore(button, body, body)).toBe(button);
    expect(focusToRestore(button, null, body)).toBe(button);
  });

  it('leaves focus the work moved itself (to a field in error, to the next screen)', () => {
    expect(focusToRestore(button, { name: 'field' }, body)).toBeNull();
  });

  it('never focuses a button that left the page or is still disabled', () => {
    expect(focusToRestore({ isConnected: false, disabled: false }, body, body)).toBeNull();
    expect(focusToRestore({ isConnected: true, disabled: true }, body, body)).toBeNull();
    expect(focusToRestore(null, body, body)).toBeNull();
  });
});
