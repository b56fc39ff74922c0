import { describe, expect, it } from 'vitest';
import { loadSessionDraft } from '../../lib/session-draft.ts';
import { REQUEST_DRAFT_KEY, requestDraft } from './request-draft.ts';

describe('request draft', () => {
  it('starts at the first step with nothing chosen', () => {
    expect(requestDraft.parse({})).toEqual({
      step: 'specialty',
      specialty: null,
      mode: null,
      day: null,
      window: null,
      reason: '',
    });
  });

  it('restores a stored request and ignores a window the server does not know', () => {
    const stored = {
      step: 'review',
      specialty: 'paediatrics',
      mode: 'video',
      day: '2026-11-25',
      window: 'morning',
      reason: 'cough',
    };
    const from = (value: unknown) => ({ getItem: () => JSON.stringify(value) });
    expect(loadSessionDraft(from(stored), REQUEST_DRAFT_KEY, requestDraft)).toEqual(stored);
    expect(
      loadSessionDraft(from({ ...stored, window: 'midnight' }), REQUEST_DRAFT_KEY, requestDraft),
    ).toEqual(requestDraft.parse({}));
  });
});
