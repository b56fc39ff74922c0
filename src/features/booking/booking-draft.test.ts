import { describe, expect, it } from 'vitest';
import { loadSessionDraft } from '../../lib/session-draft.ts';
import { BOOKING_DRAFT_KEY, bookingDraft, choose } from './booking-draft.ts';

const EMPTY_DRAFT = bookingDraft.parse({});
const loadDraft = (storage: Pick<Storage, 'getItem'> | undefined) =>
  loadSessionDraft(storage, BOOKING_DRAFT_KEY, bookingDraft);

describe('booking draft', () => {
  const full = {
    ...EMPTY_DRAFT,
    step: 'review' as const,
    specialty: 'paediatrics',
    doctorId: 'd1',
    mode: 'video' as const,
    day: '2026-11-25',
    slotId: 's1',
    reason: 'cough',
  };

  it('clears the choices that depended on a changed earlier choice, and keeps the reason', () => {
    expect(choose(full, { doctorId: 'd2' })).toMatchObject({
      specialty: 'paediatrics',
      doctorId: 'd2',
      mode: null,
      slotId: null,
      reason: 'cough',
    });
    expect(choose(full, { specialty: 'ENT' })).toMatchObject({
      doctorId: null,
      mode: null,
      day: null,
      slotId: null,
    });
    expect(choose(full, { day: '2026-11-26' })).toMatchObject({ mode: 'video', slotId: null });
  });

  it('keeps everything when a choice is re-selected or only the step moves', () => {
    expect(choose(full, { doctorId: 'd1' })).toEqual(full);
    expect(choose(full, { step: 'slot' })).toEqual({ ...full, step: 'slot' });
  });

  it('starts at the first step with nothing chosen', () => {
    expect(EMPTY_DRAFT).toEqual({
      step: 'specialty',
      specialty: null,
      doctorId: null,
      mode: null,
      day: null,
      slotId: null,
      reason: '',
    });
  });

  it('restores a stored draft and ignores a malformed one', () => {
    expect(loadDraft({ getItem: () => JSON.stringify(full) })).toEqual(full);
    expect(loadDraft({ getItem: () => '{"step":"nope"}' })).toEqual(EMPTY_DRAFT);
    expect(loadDraft({ getItem: () => 'not json' })).toEqual(EMPTY_DRAFT);
    expect(loadDraft(undefined)).toEqual(EMPTY_DRAFT);
  });
});
