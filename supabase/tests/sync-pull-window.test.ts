/**
 * sync_pull sends slots only for the days a patient can book (private.slot_window_end: to the end
 * of the 14th clinic day). A slot further out reaches a device when its day enters the window,
 * although nothing changed it: the cursor carries the window's end, and a pull from a cursor with an
 * earlier end first sends the slots of the days that entered since. Time cannot be moved here, so a
 * device that last pulled days ago is a cursor with an earlier end, exactly what it would hold.
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse } from '../../sync/protocol.ts';
import { newUser, sql } from './stack-clients.ts';
import { pull, pullPage } from './sync-fixtures.ts';

const DAY = 86_400;

interface Doctor {
  doctorId: string;
  /** Unix seconds: the window's end now. */
  end: number;
  inside: string;
  lastDay: string;
  beyond: string;
}

/** A doctor of a clinic of its own with a slot tomorrow, one on the window's last day, one after it. */
async function doctorAcrossTheWindow(): Promise<Doctor> {
  const clinicId = randomUUID();
  const doctorId = randomUUID();
  await sql(
    `insert into public.clinics (id, name, town, district, state) values ($1, 'Window clinic', 'T', 'T', 'T')`,
    [clinicId],
  );
  await sql(
    `insert into public.doctors (id, clinic_id, name, specialty, languages, offers_video)
     values ($1, $2, 'Dr. Window', 'general medicine', array['hi'], false)`,
    [doctorId, clinicId],
  );
  const [row] = await sql<{ end: string }>(
    `select extract(epoch from private.slot_window_end())::bigint as end`,
  );
  const end = Number(row?.end);
  const slot = async (startsAt: number) =>
    (
      await sql<{ id: string }>(
        `insert into public.slots (doctor_id, starts_at, ends_at, mode)
         values ($1, to_timestamp($2), to_timestamp($2) + interval '30 minutes', 'in_person') returning id`,
        [doctorId, startsAt],
      )
    )[0]?.id ?? '';
  const tomorrow = Math.floor(Date.now() / 1000 / 3600) * 3600 + DAY;
  return {
    doctorId,
    end,
    inside: await slot(tomorrow),
    lastDay: await slot(end - 2 * 3600),
    beyond: await slot(end + DAY),
  };
}

const slotIds = (pages: PullResponse[], doctorId?: string): string[] =>
  pages.flatMap((p) =>
    p.changes.slots.filter((s) => !doctorId || s.doctor_id === doctorId).map((s) => String(s.id)),
  );

/** Every page from `since`, with a byte budget, until hasMore is false. */
async function pages(client: SupabaseClient, since: string, maxBytes?: number): Promise<PullResponse[]> {
  const out: PullResponse[] = [];
  for (let next = since; ; ) {
    const page = await pullPage(client, next, 1000, maxBytes);
    out.push(page);
    if (!page.hasMore) return out;
    if (out.length > 500) throw new Error('more than 500 pages');
    next = page.cursor;
  }
}

describe('sync_pull: the days a patient can book', () => {
  let d: Doctor;
  let client: SupabaseClient;
  beforeAll(async () => {
    d = await doctorAcrossTheWindow();
    client = (await newUser('window')).client;
  });

  it('sends slots up to the window’s end, not after it, and says the end in the cursor', async () => {
    const first = await pull(client);
    expect(slotIds([first], d.doctorId).sort()).toEqual([d.inside, d.lastDay].sort());
    expect(first.cursor).toMatch(new RegExp(`^\\d+/${d.end}$`));
    // Nothing changed: a device holding this window is sent none of them again.
    expect(slotIds(await pages(client, first.cursor), d.doctorId)).toEqual([]);
  });

  it('sends a device whose window ended a day earlier the slots of the day that entered it', async () => {
    const first = await pull(client);
    const txid = first.cursor.split('/')[0];
    const yesterdays = `${txid}/${d.end - DAY}`;
    const later = await pages(client, yesterdays);
    expect(slotIds(later, d.doctorId)).toEqual([d.lastDay]);
    expect(later.at(-1)?.cursor).toMatch(new RegExp(`/${d.end}$`));
    // An older client's cursor, without an end, counts as holding today's window.
    expect(slotIds(await pages(client, String(txid)), d.doctorId)).toEqual([]);
  });

  it('pages through the slots that entered the window, small pages, each slot once', async () => {
    const first = await pull(client);
    const txid = String(first.cursor.split('/')[0]);
    const since = d.end - 3 * DAY;
    const expected = await sql<{ id: string }>(
      `select id from public.slots where starts_at >= to_timestamp($1) and starts_at < to_timestamp($2)
         and txid < $3::xid8 and ends_at > now() + interval '5 minutes'`,
      [since, d.end, txid],
    );
    expect(expected.length).toBeGreaterThan(100);
    const later = await pages(client, `${txid}/${since}`, 2048);
    // A page stopped among them: its cursor names the row and both ends.
    expect(later.some((p) => /^\d+:0:[0-9a-f-]{36}\/\d+\/\d+$/.test(p.cursor))).toBe(true);
    const got = slotIds(later);
    expect(new Set(got).size).toBe(got.length);
    expect(got).toEqual(expect.arrayContaining(expected.map((r) => r.id)));
    expect(got).not.toContain(d.beyond);
  });

  it('refuses a cursor whose ends do not fit its position', async () => {
    const first = await pull(client);
    const txid = first.cursor.split('/')[0];
    const nil = '00000000-0000-0000-0000-000000000000';
    for (const since of [`${txid}/${d.end}/${d.end - DAY}`, `${txid}:0:${nil}/${d.end}`]) {
      const { error } = await client.rpc('sync_pull', { since });
      expect(error?.code).toBe('22023');
    }
  });
});
