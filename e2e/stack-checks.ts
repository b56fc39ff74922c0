/** What the e2e stack holds and saw, for tests in either browser. */
import { qa, sql } from './app-driver.ts';

export async function patientsNamed(name: string): Promise<number> {
  const rows = await sql<{ n: number }>(
    'select count(*)::int as n from public.patients where full_name = $1',
    [name],
  );
  return rows[0]?.n ?? 0;
}

/** Requests the gateway saw for this path since the last `qa('DELETE', 'stats')`. */
export async function requestsTo(path: string): Promise<number> {
  const { requests } = (await qa('GET', 'stats')) as { requests: Record<string, number> };
  return requests[path] ?? 0;
}
