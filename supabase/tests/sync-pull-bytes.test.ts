/**
 * sync_pull pages sized in bytes, and slots sent as runs: measured on the answer's text as it comes
 * over HTTP. A page stays within `max_bytes` (unless one row alone is bigger), the pages together
 * give every row once, and the slots a device rebuilds from runs are the rows the Data API shows.
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { type PullResponse, pullResponse } from '../../sync/protocol.ts';
import { connect, newUser, sql, stack } from './stack-clients.ts';
import {
  appointmentRow,
  createClinic,
  newStaff,
  patientRow,
  pull,
  push,
  type TestClinic,
  upsertAppointment,
  upsertPatient,
} from './sync-fixtures.ts';

interface RawPage {
  bytes: number;
  page: PullResponse;
}

/** One page over plain HTTP, so its size is the bytes the server sent. */
async function rawPage(client: SupabaseClient, since: string | null, maxBytes: number): Promise<RawPage> {
  const token = (await client.auth.getSession()).data.session?.access_token;
  if (!token) throw new Error('no session');
  const res = await fetch(`${stack().url}/rest/v1/rpc/sync_pull`, {
    method: 'POST',
    headers: {
      apikey: stack().anonKey,
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ since, max_rows: 1000, max_bytes: maxBytes }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`sync_pull: ${res.status} ${text}`);
  return { bytes: Buffer.byteLength(text, 'utf8'), page: pullResponse.parse(JSON.parse(text)) };
}

/** Every page from `since` until hasMore is false. */
async function rawPages(client: SupabaseClient, since: string | null, maxBytes: number): Promise<RawPage[]> {
  const out: RawPage[] = [];
  for (let next = since; ; ) {
    const got = await rawPage(client, next, maxBytes);
    out.push(got);
    if (!got.page.hasMore) return out;
    if (out.length > 500) throw new Error('more than 500 pages');
    next = got.page.cursor;
  }
}

const rowCount = (p: PullResponse): number =>
  Object.values(p.changes).reduce((n, rows) => n + rows.length, p.deleted.length);

const insert = `insert into public.patients (id, clinic_id, registered_by, full_name, date_of_birth, sex, preferred_language, address, emergency_contact_name)
  values ($1, $2, $3, $4, '1984-07-15', 'female', 'hi', $5, $6)`;

/** A kiosk of a clinic of its own, caught up, and a way to make its walk-ins' rows. */
async function caughtUpKiosk(label: string) {
  const own = await createClinic(0);
  const staff = await newStaff(own.clinicId, label);
  const start = await pull(staff.client);
  const walkIn = (name: string, address = 'Ward 4', contact = 'Ramesh') => [
    randomUUID(),
    own.clinicId,
    staff.userId,
    name,
    address,
    contact,
  ];
  return { client: staff.client, start, walkIn };
}

const patientIds = (pages: RawPage[]) =>
  pages.flatMap((p) => p.page.changes.patients.map((r) => String(r.id)));

describe('sync_pull: pages sized in bytes', () => {
  it('stops each page within max_bytes and gives every row once, across and within transactions', async () => {
    const k = await caughtUpKiosk('bytes-pages');
    const together = Array.from({ length: 30 }, (_, i) => k.walkIn(`Together ${i}`));
    const db = await connect();
    try {
      await db.query('begin');
      for (const r of together) await db.query(insert, r);
      await db.query('commit');
    } finally {
      await db.end();
    }
    const alone = Array.from({ length: 10 }, (_, i) => k.walkIn(`Alone ${i}`));
    for (const r of alone) await sql(insert, r);

    const budget = 4096;
    const pages = await rawPages(k.client, k.start.cursor, budget);
    expect(pages.length).toBeGreaterThanOrEqual(4);
    for (const { bytes, page } of pages) {
      expect(bytes).toBeLessThanOrEqual(budget);
      // Cut by bytes, not by count (a page of 1,000 rows would be far over): and not cut early.
      if (page.hasMore) expect(bytes).toBeGreaterThan(budget / 2);
      expect(rowCount(page)).toBeGreaterThan(0);
    }
    const got = patientIds(pages);
    const expected = [...together, ...alone].map((r) => String(r[0]));
    expect([...got].sort()).toEqual([...expected].sort());
    expect(got).toHaveLength(expected.length);
    expect(pages.at(-1)?.page.cursor).toMatch(/^\d+\/\d+$/);
  });

  it('still moves on past a row bigger than the budget: it comes alone', async () => {
    const k = await caughtUpKiosk('bytes-big-row');
    // Devanagari is three bytes a character: the budget counts bytes, not characters.
    const big = k.walkIn('क'.repeat(120), 'ख'.repeat(200), 'ग'.repeat(120));
    const small = k.walkIn('Small');
    const db = await connect();
    try {
      await db.query('begin');
      await db.query(insert, big);
      await db.query(insert, small);
      await db.query('commit');
    } finally {
      await db.end();
    }
    const pages = await rawPages(k.client, k.start.cursor, 1024);
    const withBig = pages.find((p) => p.page.changes.patients.some((r) => r.id === big[0]));
    expect(withBig?.bytes).toBeGreaterThan(1024);
    expect(withBig && rowCount(withBig.page)).toBe(1);
    expect([...patientIds(pages)].sort()).toEqual([String(big[0]), String(small[0])].sort());
  });

  it('refuses a byte budget out of range', async () => {
    const user = await newUser('bytes-range');
    for (const max_bytes of [1023, 8 * 1024 * 1024 + 1]) {
      const { error } = await user.client.rpc('sync_pull', { since: null, max_bytes });
      expect(error?.code).toBe('22023');
    }
  });
});

describe('sync_pull: slots as runs', () => {
  let clinic: TestClinic;
  beforeAll(async () => {
    clinic = await createClinic(12);
    // Not on a whole second: it travels as a plain row, with the same columns.
    await sql(
      `insert into public.slots (doctor_id, starts_at, ends_at, mode)
       values ($1, now() + interval '2 days 0.25 seconds', now() + interval '2 days 30 minutes', 'video')`,
      [clinic.doctorId],
    );
  });

  it('gives a new phone every future slot once, in small pages, as the rows the Data API shows', async () => {
    const user = await newUser('runs-phone');
    const clientId = randomUUID();
    const patient = patientRow();
    const booked = clinic.slots[3];
    if (!booked) throw new Error('no slot');
    await push(user.client, clientId, [
      upsertPatient(clientId, patient),
      upsertAppointment(clientId, appointmentRow(String(patient.id), booked)),
    ]);
    const before = await sql<{ id: string }>(
      `select id from public.slots where ends_at > now() + interval '5 minutes' and starts_at < private.slot_window_end()`,
    );

    const pages = await rawPages(user.client, null, 8192);
    expect(pages.length).toBeGreaterThan(1);
    for (const { bytes, page } of pages) {
      expect(bytes).toBeLessThanOrEqual(8192);
      // The server reads only the positions a page can hold (no row is smaller than a compact
      // slot): never so few that a page of slots stops short of its budget.
      if (page.hasMore) expect(bytes).toBeGreaterThan(8192 / 2);
    }
    const slots = pages.flatMap((p) => p.page.changes.slots);
    const ids = slots.map((s) => String(s.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(before.map((r) => r.id)));

    const columns = 'id, doctor_id, starts_at, ends_at, mode, available';
    const { data, error } = await user.client.from('slots').select(columns).eq('doctor_id', clinic.doctorId);
    expect(error).toBeNull();
    const future = (data ?? []).filter((s) => Date.parse(String(s.ends_at)) > Date.now());
    const mine = slots.filter((s) => s.doctor_id === clinic.doctorId);
    const byId = (rows: readonly Record<string, unknown>[]) =>
      [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id)));
    expect(byId(mine)).toEqual(byId(future));
    expect(mine).toHaveLength(clinic.slots.length + 1);
    expect(mine.find((s) => s.id === booked.id)).toMatchObject({ available: false });
  });
});
