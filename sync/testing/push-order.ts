/**
 * The order the server applies a batch in (a port of private.push_order in the sync_push
 * migration): depth-first, visiting by (rank, arrival), each mutation after its prerequisites —
 * its deps in the batch, the previous write of the same row, an appointment's patient upsert.
 * Ranks put parents first: patient upserts, appointments, patient deletes.
 */
import type { Mutation } from '../protocol.ts';

function rank(m: Mutation): number {
  if (m.entity === 'patients') return m.op === 'upsert' ? 0 : 2;
  return 1;
}

export function pushOrder(batch: readonly Mutation[]): number[] {
  const posById = new Map<string, number>();
  const prevSameRow: number[] = [];
  const parentUpsert: number[] = [];
  const lastByRow = new Map<string, number>();
  const lastPatientUpsert = new Map<string, number>();
  batch.forEach((m, i) => {
    if (!posById.has(m.id)) posById.set(m.id, i);
    const row = `${m.entity}:${m.key}`;
    prevSameRow[i] = lastByRow.get(row) ?? -1;
    lastByRow.set(row, i);
    if (m.entity === 'patients' && m.op === 'upsert') lastPatientUpsert.set(m.key, i);
  });
  batch.forEach((m, i) => {
    const patient = m.entity === 'appointments' ? m.data?.patient_id : undefined;
    parentUpsert[i] = typeof patient === 'string' ? (lastPatientUpsert.get(patient) ?? -1) : -1;
  });
  const start = batch.map((m, i) => [rank(m), i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const state: number[] = batch.map(() => 0); // 0 unvisited, 1 prerequisites pending, 2 placed
  const order: number[] = [];
  for (const [, s] of start) {
    if (state[s] !== 0) continue;
    const stack = [s];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as number;
      if (state[top] === 0) {
        state[top] = 1;
        const prereqs = [
          prevSameRow[top] ?? -1,
          parentUpsert[top] ?? -1,
          ...(batch[top]?.deps ?? []).map((d) => posById.get(d) ?? -1),
        ];
        for (const p of prereqs) if (p >= 0 && state[p] === 0) stack.push(p);
      } else {
        stack.pop();
        if (state[top] === 1) {
          state[top] = 2;
          order.push(top);
        }
      }
    }
  }
  return order;
}
