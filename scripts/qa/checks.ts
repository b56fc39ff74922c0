/**
 * What a scenario's end is checked against on the device: its outbox, its rows and the server's
 * answers in its sync log (run.ts adds the server's rows when the database is reachable).
 */
import type { DeviceState } from './app-steps.ts';
import type { Device } from './run.ts';

export function deviceProblems(d: Device, s: DeviceState): string[] {
  const problems: string[] = [];
  if (s.outbox !== 0) problems.push(`${s.outbox} write(s) still in the outbox`);
  // A kiosk sweeps a walk-in's rows once they are sent: none left is right, two never are.
  const wrongCount = (n: number) => (d.kiosk ? n > 1 : n !== 1);
  for (const name of d.patientNames) {
    const n = s.patients.filter((p) => p.full_name === name).length;
    if (wrongCount(n)) problems.push(`the app holds ${n} profile(s) named ${name}`);
  }
  for (const reason of d.reasons) {
    const n = s.appointments.filter((a) => a.reason === reason).length;
    if (wrongCount(n)) problems.push(`the app holds ${n} booking(s) "${reason}"`);
  }
  const missing = d.patientNames.length + d.reasons.length - answeredRows(s);
  if (missing > 0) problems.push(`the sync log holds no answer from the server for ${missing} write(s)`);
  const applied = new Map<string, number>();
  for (const a of s.answers) if (a.status === 'applied') applied.set(a.id, (applied.get(a.id) ?? 0) + 1);
  const twice = [...applied.values()].filter((n) => n > 1).length;
  if (twice > 0) problems.push(`${twice} write(s) answered "applied" more than once`);
  const refused = s.answers.filter((a) => a.status === 'rejected' || a.status === 'blocked');
  if (refused.length > 0)
    problems.push(`${refused.length} write(s) refused: ${refused.map((a) => a.code ?? a.status).join(', ')}`);
  return problems;
}

/** Rows the server answered applied or duplicate, by the sync log. */
export function answeredRows(s: DeviceState): number {
  const answered = s.answers.filter((a) => a.status === 'applied' || a.status === 'duplicate');
  return new Set(answered.map((a) => `${a.entity}:${a.key}`)).size;
}

export function countAnswers(s: DeviceState): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of s.answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
}
