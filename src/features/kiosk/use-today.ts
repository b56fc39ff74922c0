/**
 * Today's list for the staff screen: read from the server, or, with no connection, opened from the
 * vault where the tablet sealed it under the PIN (kiosk-day-vault.ts); what the patient side dropped
 * for staff (kiosk-drop-box.ts) and the tablet's unsent writes are laid over either
 * (kiosk-today-merge.ts), and the result sealed again, so a check-in made offline, or a walk-in booked
 * offline, is still on the list after a reload with no connection. Read again from the server when
 * the tablet comes online and whenever the outbox shrinks (something was sent: the server's list now
 * has it).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LocalMutation } from '../../../sync/local-mutation.ts';
import { clinicToday } from '../../data/consult-request.ts';
import type { DayVault } from '../../data/kiosk-day-vault.ts';
import type { Drop, DropBox } from '../../data/kiosk-drop-box.ts';
import { clinicDayBounds, loadToday, type TodayItem } from '../../data/kiosk-today.ts';
import { leftOutbox, sentWrites, withQueuedWrites } from '../../data/kiosk-today-merge.ts';
import { useServices } from '../../data/services-context.tsx';
import { useOnline } from '../../data/use-online.ts';
import { useOutbox } from '../../data/use-outbox.ts';

/** The vault and the drops, with the keys the PIN unlocked them with (null: could not be derived). */
export interface DaySeal {
  vault: DayVault;
  key: Promise<CryptoKey | null>;
  drops: DropBox;
  dropKey: Promise<CryptoKey | null>;
}

/**
 * The keys of the sealed day and of the drops, from a PIN just checked or chosen. Made at setup and
 * at a new PIN too, so the patient side can drop for staff before the first unlock.
 */
export function unlockSeal(vault: DayVault, drops: DropBox, pin: string): DaySeal {
  const key = vault.keyFor(pin);
  return { vault, key, drops, dropKey: key.then((k) => (k ? drops.unlock(k) : null)) };
}

/** The drops of today, opened with the PIN's keys; older ones are removed first. */
function useDrops(seal: DaySeal | null, outboxSize: number | undefined): Drop[] {
  const [drops, setDrops] = useState<Drop[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `outboxSize` says when to read again (a new write was dropped).
  useEffect(() => {
    if (!seal) return;
    let live = true;
    void (async () => {
      const key = await seal.dropKey;
      if (!key) return;
      await seal.drops.clearUpTo(clinicDayBounds(new Date()).from);
      const opened = await seal.drops.open(key);
      if (live) setDrops(opened);
    })();
    return () => {
      live = false;
    };
  }, [seal, outboxSize]);
  return drops;
}

/** Where the list under the tablet's own writes comes from. */
export type TodaySource =
  | { kind: 'server' }
  /** Offline: the list as loaded at `loadedAt` (sealed on the tablet, or still on screen). */
  | { kind: 'offline'; loadedAt: string }
  /** Offline, and nothing sealed for this clinic today: only the tablet's own writes. */
  | { kind: 'notLoaded' };

interface Base {
  items: TodayItem[];
  source: TodaySource;
  loadedAt: string | null;
}

export function useToday(
  clinicId: string,
  doctorIds: readonly string[] | undefined,
  seal: DaySeal | null,
): { items: TodayItem[] | null; source: TodaySource | null; moved(item: TodayItem): void } {
  const services = useServices();
  const online = useOnline();
  const outbox = useOutbox();
  const [base, setBase] = useState<Base | null>(null);
  const doctorKey = doctorIds?.join(',');
  const sent = outbox?.length;
  // Writes leave the outbox when sent (or discarded): the server's list is then the newer one.
  const [reads, setReads] = useState(0);
  const [lastOutbox, setLastOutbox] = useState<LocalMutation[] | undefined>(undefined);
  if (outbox !== lastOutbox) {
    setLastOutbox(outbox);
    const left = lastOutbox ? leftOutbox(lastOutbox, outbox ?? []) : [];
    if (left.length > 0) setReads((n) => n + 1);
    // Until that read is back, the list under the overlay may be one read while they were on their
    // way (on coming online the list is read as the outbox is sent): what the server took is folded
    // into it, or the item would show its old status and buttons for a moment, under a finger (a tap
    // on "Did not come" would land on "Refuse").
    const taken = outbox ? sentWrites(left) : [];
    if (taken.length > 0 && doctorKey !== undefined)
      setBase(
        (b) => b && { ...b, items: withQueuedWrites(b.items, taken, doctorKey.split(','), new Date()) },
      );
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: `online` and `reads` say when to read again, not what is read.
  useEffect(() => {
    if (doctorKey === undefined) return;
    let live = true;
    const now = new Date();
    const fromSeal = async (): Promise<Base | null> => {
      const key = await seal?.key;
      const day = key ? await seal?.vault.open(key, clinicId, clinicToday(now)) : null;
      return day
        ? { items: day.items, source: { kind: 'offline', loadedAt: day.loadedAt }, loadedAt: day.loadedAt }
        : null;
    };
    loadToday(services, doctorKey ? doctorKey.split(',') : [], now).then(
      (items) => live && setBase({ items, source: { kind: 'server' }, loadedAt: now.toISOString() }),
      async () => {
        const sealed = await fromSeal();
        // A list already on screen is newer than the sealed one (it is sealed as it changes).
        if (live)
          setBase((shown) => shown ?? sealed ?? { items: [], source: { kind: 'notLoaded' }, loadedAt: null });
      },
    );
    return () => {
      live = false;
    };
  }, [services, clinicId, doctorKey, seal, online, reads]);

  const drops = useDrops(seal, sent);
  const items = useMemo(
    () =>
      base && outbox && doctorKey !== undefined
        ? withQueuedWrites(base.items, outbox, doctorKey.split(','), new Date(), drops, base.loadedAt)
        : null,
    [base, outbox, doctorKey, drops],
  );

  // Saves one after another, in the order the list changed; one started just before the staff
  // screens closed still finishes (the key goes with it).
  const saving = useRef<Promise<void>>(Promise.resolve());
  useEffect(() => {
    // Only a list read from the server (or sealed from one) is kept: the tablet's writes alone are
    // not the day's list.
    if (!items || !seal || !base?.loadedAt) return;
    const day = { clinicId, day: clinicToday(new Date()), loadedAt: base.loadedAt, items };
    saving.current = saving.current
      .then(async () => {
        const key = await seal.key;
        // Drops up to the list's reading are in it now (the unsent ones through the outbox laid
        // over it): only later ones are kept, so the drops stay a few per day.
        if (key && (await seal.vault.save(key, day))) await seal.drops.clearUpTo(day.loadedAt);
      })
      // A failed save leaves the previous list sealed; the next change tries again.
      .catch((error: unknown) => console.warn('kiosk day not sealed', error));
  }, [items, seal, base?.loadedAt, clinicId]);

  const moved = useCallback((next: TodayItem) => {
    // The server's copy of the list, as it will be once this write is sent.
    setBase((b) => b && { ...b, items: b.items.map((i) => (i.id === next.id ? next : i)) });
  }, []);

  const source: TodaySource | null =
    base && !online && base.source.kind === 'server' && base.loadedAt
      ? { kind: 'offline', loadedAt: base.loadedAt }
      : (base?.source ?? null);
  return { items, source, moved };
}
