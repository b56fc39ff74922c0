import { describe, expect, it } from 'vitest';
import { screenFailure } from './screen-error-boundary.tsx';

describe('screenFailure', () => {
  it('reads a screen chunk that could not be fetched, as each browser words it, as a load failure', () => {
    for (const message of [
      'Failed to fetch dynamically imported module: http://127.0.0.1:5173/assets/book-abc.js',
      'error loading dynamically imported module: http://127.0.0.1:5173/assets/book-abc.js',
      'Importing a module script failed.',
      'Unable to preload CSS for /assets/kiosk-abc.css',
    ])
      expect(screenFailure(new TypeError(message))).toBe('load');
  });

  it("reads any other error as the screen's own fault, not the connection's", () => {
    expect(screenFailure(new RangeError('Invalid time value'))).toBe('render');
    expect(screenFailure(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe('render');
    expect(screenFailure('thrown string')).toBe('render');
  });
});
