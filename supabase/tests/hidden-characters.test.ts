/**
 * Free text holds no hidden character (migration 20261205300000): a name with a direction override
 * shows as another name ("Ra<U+202E>hsem" reads "Ramesh"), so sync_push refuses it on its field,
 * by either path, and the table refuses it from the Data API; what Devanagari shapes with (ZWJ,
 * ZWNJ) and plain text in the same batch go through. 20261206500000 widened the class to marks and
 * characters shown as nothing (a soft hyphen, tag characters, Hangul fillers).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newUser, sql } from './stack-clients.ts';
import {
  appointmentRow,
  createClinic,
  newStaff,
  patientRow,
  push,
  upsertAppointment,
  upsertPatient,
} from './sync-fixtures.ts';

const HIDDEN = [
  ['a right-to-left override', 'Ra\u202ehsem'],
  ['a direction isolate', '\u2067Ramesh\u2069 Kumar'],
  ['a zero-width space', 'Ram\u200besh'],
  ['a byte-order mark', 'Ram\ufeffesh'],
  ['an escape', 'Ram\u001b[2Jesh'],
  // 20261206500000: a direction mark and characters shown as nothing, missed before.
  ['an Arabic letter mark', 'Ra\u061chsem'],
  ['a soft hyphen', 'Ram\u00adesh'],
  ['a tag character', 'Ramesh\u{E0041}'],
  ['only Hangul fillers (letters to Unicode, blank on screen)', '\u3164\u3164'],
] as const;

describe('hidden characters in free text', () => {
  it.each(HIDDEN)(
    'refuses a name holding %s on its field, alone or among plain ones',
    async (_what, name) => {
      const user = await newUser('hidden');
      const clientId = randomUUID();
      // Alone: the per-mutation path. In a batch of plain rows: the set-based path first.
      const alone = await push(user.client, clientId, [
        upsertPatient(clientId, patientRow({ full_name: name })),
      ]);
      expect(alone[0]).toMatchObject({ status: 'rejected', code: 'validation', field: 'full_name' });
      expect(alone[0]?.status === 'rejected' && alone[0].message).toContain('hidden');

      const staff = await newStaff((await createClinic(0)).clinicId, 'hidden-staff');
      const walkIns = [patientRow(), patientRow({ emergency_contact_name: name }), patientRow()];
      const staffClient = randomUUID();
      const batch = await push(
        staff.client,
        staffClient,
        walkIns.map((p) => upsertPatient(staffClient, p)),
      );
      expect(batch.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
      expect(batch[1]).toMatchObject({ code: 'validation', field: 'emergency_contact_name' });
    },
  );

  it('keeps Devanagari shaped with ZWJ and ZWNJ, and an address on two lines', async () => {
    const user = await newUser('zwj');
    const clientId = randomUUID();
    const name = 'क्\u200dष्\u200cणा देवी';
    const results = await push(user.client, clientId, [
      upsertPatient(clientId, patientRow({ full_name: name, address: 'Lane 1\nWard 4' })),
    ]);
    expect(results[0]).toMatchObject({ status: 'applied' });
    const [row] = await sql<{ full_name: string }>(
      'select full_name from public.patients where user_id = $1',
      [user.userId],
    );
    expect(row?.full_name).toBe(name);
  });

  it('refuses a booking reason holding a direction override', async () => {
    const clinic = await createClinic(1);
    const user = await newUser('reason');
    const clientId = randomUUID();
    const patient = patientRow();
    const slot = clinic.slots[0];
    if (!slot) throw new Error('no slot');
    const results = await push(user.client, clientId, [
      upsertPatient(clientId, patient),
      upsertAppointment(
        clientId,
        appointmentRow(String(patient.id), slot, { reason: 'Fever \u202egnidaelsim' }),
      ),
    ]);
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected']);
    expect(results[1]).toMatchObject({ code: 'validation', field: 'reason' });
  });

  it('refuses one through the Data API too, where no reader runs', async () => {
    const user = await newUser('rest');
    const clientId = randomUUID();
    const patient = patientRow();
    await push(user.client, clientId, [upsertPatient(clientId, patient)]);
    const { error } = await user.client
      .from('patients')
      .update({ full_name: 'Ra\u202ehsem' })
      .eq('id', String(patient.id));
    expect(error?.code).toBe('23514');
    const [row] = await sql<{ full_name: string }>('select full_name from public.patients where id = $1', [
      patient.id,
    ]);
    expect(row?.full_name).toBe('Sunita Devi');
  });
});
