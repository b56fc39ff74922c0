import { describe, expect, it } from 'vitest';
import { staffActions } from './kiosk-status.ts';

describe('staff actions on an appointment', () => {
  it('offers the one-step moves of the state machine that are the clinic’s', () => {
    expect(staffActions('requested')).toEqual(['confirmed', 'rejected']);
    expect(staffActions('confirmed')).toEqual(['checked_in', 'no_show']);
    expect(staffActions('checked_in')).toEqual(['completed']);
    expect(staffActions('no_show')).toEqual(['checked_in']);
  });

  it('offers nothing on a final status', () => {
    expect(staffActions('completed')).toEqual([]);
    expect(staffActions('cancelled')).toEqual([]);
    expect(staffActions('rejected')).toEqual([]);
  });
});
