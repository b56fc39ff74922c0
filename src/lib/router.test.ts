import { describe, expect, it } from 'vitest';
import { appRootUrl } from './router.ts';

describe('appRootUrl', () => {
  it('is the page itself with no hash, so going there loads the page (a hash change would not)', () => {
    expect(appRootUrl('http://127.0.0.1:5173/#/kiosk')).toBe('http://127.0.0.1:5173/');
    expect(appRootUrl('https://clinic.example/consult/?qa-faults=off#/kiosk')).toBe(
      'https://clinic.example/consult/',
    );
  });
});
