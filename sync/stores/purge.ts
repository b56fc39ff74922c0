/**
 * Removing people's rows from the device (signing out, "forget this patient"), inside one store
 * transaction: their patient and appointment rows and conflict notices go, unless an unsent write
 * still needs them; signing everyone out also voids the cursor, the epoch's answers and the
 * quarantine. The slots their appointments held stay marked taken until a pull says otherwise.
 */
import { SLOT_HOLDING_STATUSES } from '../entities.ts';
import { type Row, refKey } from '../local-mutation.ts';
import { epochIn } from './apply-change.ts';
import type { PurgeFilter, PurgeReport } from './sync-store.ts';
import type { TxReader } from './tx-reader.ts';

export async function purgeIn(r: TxReader, filter: PurgeFilter): Promise<PurgeReport> {
  const { tx } = r;
  const everyone = 'everyone' in filter;
  let ids: string[];
  if (everyone) {
    // Appointments whose patient row is not on the device (pulled alone) go too.
    const patients = (await r.rows('patients', await tx.listRows('patients'))).map((p) => String(p.id));
    const owners = (await r.rows('appointments', await tx.listRows('appointments'))).map((a) =>
      String(a.patient_id),
    );
    ids = [...new Set([...patients, ...owners])];
    // The next session starts from nothing: a full pull, and answers fetched before now are void.
    await tx.deleteMeta('cursor');
    await tx.putMeta('epoch', (await epochIn(tx)) + 1);
    // Unreadable records may still hold someone's details: on a shared device they go too.
    await tx.clearQuarantine();
    await tx.clearConflicts();
  } else {
    ids = [...filter.patientIds];
  }
  const outbox = await r.mutations(await tx.allMutations());
  const result: PurgeReport = { purged: [], kept: [] };
  // Slots the purged appointments held: the device's copy of each may still say free (a push's
  // page stops below the push's own rows, so the slot's booking comes with the next pull).
  const held: string[] = [];
  for (const patientId of ids) {
    const appointments = await r.rows('appointments', await tx.appointmentsOfPatient(patientId));
    const keys = new Set([
      refKey('patients', patientId),
      ...appointments.map((a) => refKey('appointments', String(a.id))),
    ]);
    // Unsent writes are the only copy of what was typed: never purge them.
    const pending = outbox.some(
      (m) => keys.has(refKey(m.entity, m.key)) || m.refKeys.some((k) => keys.has(k)),
    );
    if (pending) {
      result.kept.push(patientId);
      continue;
    }
    for (const a of appointments) {
      if (typeof a.slot_id === 'string' && SLOT_HOLDING_STATUSES.some((st) => st === a.status))
        held.push(a.slot_id);
      await tx.deleteRow('appointments', String(a.id));
      await tx.deleteConflicts('appointments', String(a.id));
    }
    await tx.deleteRow('patients', patientId);
    await tx.deleteConflicts('patients', patientId);
    result.purged.push(patientId);
  }
  // Taken, as the appointment showed it, until a pulled copy of the slot says otherwise.
  const slots = (await tx.getRows('slots', held)).filter(
    (row): row is Row => typeof row === 'object' && row !== null && (row as Row).available !== false,
  );
  if (slots.length > 0)
    await tx.putRows(
      'slots',
      slots.map((row) => ({ ...row, available: false })),
    );
  return result;
}
