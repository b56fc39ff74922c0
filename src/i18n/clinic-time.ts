/**
 * The clinic's wall clock. Slots, appointments and the kiosk's day are the clinic's times (India,
 * Asia/Kolkata, the zone the server counts days and request windows in). They were shown in the
 * phone's zone: on a phone set to New York a 09:00 slot read "22:30" under the day before, and a
 * patient travelling or with a misset phone booked what looked like another time. They are now
 * shown as the clinic's, and said to be when the phone's zone is another (`clinicDateTime`,
 * `zoneDiffers`). What happened on this phone (a sync, a log line) stays in the phone's time.
 */
import { formatDateTime, formatDay, formatTime } from './format.ts';
import { type Lang, translate } from './translate.ts';

export const CLINIC_TIME_ZONE = 'Asia/Kolkata';

/** The phone's zone (its IANA name), as Intl reads it. */
export function deviceTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const wallClock = (zone: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });

/** Whether the phone's clock reads another time than the clinic's at `at` (a zone, or its DST). */
export function zoneDiffers(at: Date, deviceZone: string = deviceTimeZone()): boolean {
  if (Number.isNaN(at.getTime())) return false;
  return wallClock(deviceZone).format(at) !== wallClock(CLINIC_TIME_ZONE).format(at);
}

/** The clinic's calendar day of an instant, as YYYY-MM-DD (en-CA writes dates so). */
export function clinicDayKey(date: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: CLINIC_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
}

export function clinicDay(lang: Lang, date: Date): string {
  return formatDay(lang, date, CLINIC_TIME_ZONE);
}

/** HH:MM on the clinic's clock, without saying so: for lists under a note that says it (ClinicZoneNote). */
export function clinicTime(lang: Lang, date: Date): string {
  return formatTime(lang, date, CLINIC_TIME_ZONE);
}

/** "Mon 30 Nov, 09:00" on the clinic's clock, "(India time)" added when the phone's differs. */
export function clinicDateTime(lang: Lang, date: Date, deviceZone: string = deviceTimeZone()): string {
  const text = formatDateTime(lang, date, CLINIC_TIME_ZONE);
  return zoneDiffers(date, deviceZone) ? translate(lang, 'time.inClinicZone', { time: text }) : text;
}

/** A YYYY-MM-DD calendar day (no instant, no zone) in the user's words: the same day everywhere. */
export function calendarDay(lang: Lang, day: string): string {
  // Read at noon UTC and written in UTC: no zone can move it to the day before or after.
  const date = new Date(`${day}T12:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : formatDay(lang, date, 'UTC');
}
