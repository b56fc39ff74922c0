/** Dates, times and sizes in the user's language, in the phone's time zone or one given (clinic-time.ts). */
import { type Lang, localeOf } from './translate.ts';

/**
 * What a date that is not one shows as. Intl throws a RangeError on an invalid date, and a single
 * row with a time no one can read (a bug, an edited database) took a whole screen down with it.
 */
export const NO_DATE = '—';

function invalid(date: Date): boolean {
  return Number.isNaN(date.getTime());
}

/**
 * 24-hour HH:MM, as the status indicator promises ("all sent at 14:05"). `timeZone`: the zone whose
 * wall clock to show (the clinic's: clinic-time.ts); the phone's when not given.
 */
export function formatTime(lang: Lang, date: Date, timeZone?: string): string {
  if (invalid(date)) return NO_DATE;
  return new Intl.DateTimeFormat(localeOf(lang), {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
}

export function formatDay(lang: Lang, date: Date, timeZone?: string): string {
  if (invalid(date)) return NO_DATE;
  return new Intl.DateTimeFormat(localeOf(lang), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
}

export function formatDateTime(lang: Lang, date: Date, timeZone?: string): string {
  if (invalid(date)) return NO_DATE;
  return `${formatDay(lang, date, timeZone)}, ${formatTime(lang, date, timeZone)}`;
}

const UNITS = ['B', 'KB', 'MB', 'GB'] as const;

export function formatBytes(lang: Lang, bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const number = new Intl.NumberFormat(localeOf(lang), {
    maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0,
  });
  return `${number.format(value)} ${UNITS[unit]}`;
}
