import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { DeviceState } from './app-steps.ts';
import { answeredRows, deviceProblems } from './checks.ts';
import type { PageNetwork } from './network.ts';
import type { Device } from './run.ts';

/** A kiosk that registered and booked two walk-ins (its rows swept once sent). */
const kiosk: Device = {
  name: 'kiosk',
  // The checks read names and flags only: no page or network is driven.
  page: {} as Page,
  net: {} as PageNetwork,
  patientNames: ['walk-in 1', 'walk-in 2'],
  reasons: ['booking 1', 'booking 2'],
  kiosk: true,
};

const answer = (entity: string, key: string, status = 'applied') => ({ id: `m-${key}`, entity, key, status });

describe("the scenario's exactly-once check", () => {
  it("reports writes whose answer is not in the sync log (the last drain's, logged when it ends)", () => {
    const firstWalkIn: DeviceState = {
      outbox: 0,
      patients: [],
      appointments: [],
      answers: [answer('patients', 'p1'), answer('appointments', 'a1')],
    };
    expect(deviceProblems(kiosk, firstWalkIn)).toEqual([
      'the sync log holds no answer from the server for 2 write(s)',
    ]);
    const all: DeviceState = {
      ...firstWalkIn,
      answers: [...firstWalkIn.answers, answer('patients', 'p2', 'duplicate'), answer('appointments', 'a2')],
    };
    expect(deviceProblems(kiosk, all)).toEqual([]);
    expect(answeredRows(all)).toBe(4);
  });
});
