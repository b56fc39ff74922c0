/**
 * The patient app's words for what became of a change: where it is (saved, sending, sent), why the
 * server refused it (`reject.*`, by code: src/components/sync-label.ts), the changes that need
 * attention elsewhere, and a field another device changed first (`conflict.*`). Part of the main
 * catalogue (messages-en.ts spreads it in); its Hindi twin is messages-sync-hi.ts.
 */
export const syncEn = {
  'attention.elsewhere': 'Other changes that need attention',
  'attention.patients.upsert': 'A profile saved on this phone',
  'attention.patients.delete': 'Removing a profile',
  'attention.appointments.upsert': 'A booking saved on this phone',
  'attention.appointments.delete': 'Removing a booking',
  'attention.otherAccount':
    'Saved on {when} under another account, not this one. Only that account can send it: sign in to it, or discard it if it is not needed.',
  'attention.unreadable': 'A change this app can no longer read',
  'attention.unreadableReason': 'It cannot be sent as it is.',

  'conflict.lost':
    'Your change to “{yours}” was not saved: it was changed on another phone or screen first, to “{theirs}”. Change it again if yours is right.',
  'conflict.empty': '(empty)',
  'conflict.dismiss': 'OK',

  'sync.saved': 'Saved on this phone — will be sent when online',
  'sync.sending': 'Sending to the clinic…',
  'sync.sent': 'Sent to the clinic',
  'sync.attention': 'Needs attention: {reason}',
  'sync.blocked': 'waiting for an earlier change that needs attention',

  'reject.validation': 'some details are not valid',
  'reject.validationField': '“{field}” is not valid',
  'reject.forbidden': 'this account may not make this change',
  'reject.otherAccount': 'it was made under another account on this phone',
  'reject.missing_parent': 'your profile has not reached the clinic',
  'reject.slot_taken': 'this time was booked by someone else',
  'reject.conflict': 'it clashes with what the clinic already has',
  'reject.timeChanged': 'the clinic changed this time; check the new time and book again',
  'reject.profileExists': 'this account already has a patient profile on the server',
  'reject.no_slot': 'no free time matched the request',
  'reject.booking_limit': 'you hold the most bookings allowed; cancel one to book another',
  'reject.bookingLimitAnonymous':
    'You are using Consult without an email, and such an account may hold fewer bookings. Add an email to your account to book more.',
  'reject.addEmail': 'Add an email',
  'reject.own_booking': 'you already booked this time',
  'reject.transition': 'this status change is not possible now',
} as const;
