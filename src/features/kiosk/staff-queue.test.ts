import { describe, expect, it } from 'vitest';
import { localMutation } from '../../../sync/local-mutation.ts';
import { preferredDayLabel } from '../../components/request-label.ts';
import { LANGS } from '../../i18n/translate.ts';
import { translateKiosk } from './kiosk-i18n.ts';
import { describeQueued } from './staff-queue.tsx';

const request = localMutation.parse({
  id: '11111111-1111-4111-8111-111111111111',
  clientId: '33333333-3333-4333-8333-333333333333',
  entity: 'appointments',
  op: 'upsert',
  key: '22222222-2222-4222-8222-222222222222',
  data: { preferred_date: '2026-12-01', starts_at: null },
  createdAt: '2026-11-30T10:15:00.000Z',
  state: 'pending',
  seq: 1,
  createsRow: true,
});

describe("the kiosk queue's words for a request", () => {
  for (const lang of LANGS)
    it(`give its day in words, not as stored (${lang})`, () => {
      const text = describeQueued(request, (key, params) => translateKiosk(lang, key, params), lang);
      expect(text).not.toContain('2026-12-01');
      expect(text).toBe(
        translateKiosk(lang, 'kiosk.queue.request', { day: preferredDayLabel('2026-12-01', lang) }),
      );
    });
});
