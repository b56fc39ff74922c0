/**
 * The kiosk's English messages (`kiosk.` keys), apart from the main catalogue: only the kiosk's chunk
 * imports them (src/features/kiosk/kiosk-i18n.ts), so a phone's first screen and precache do not carry
 * them. The source of every kiosk key; same rules as `messages-en.ts`.
 */
import type { Message } from './messages-en.ts';

export const kioskEn = {
  'kiosk.cancel': 'Cancel',
  'kiosk.done': 'Done',

  'kiosk.setup.title': 'Set up this tablet as a clinic kiosk',
  'kiosk.setup.intro':
    'A staff member signs in once with their clinic account, while online. The tablet then registers and books walk-in patients for that clinic, one after another, even with no connection.',
  'kiosk.setup.clinic': 'Signed in as {email}, staff of {clinic}.',

  'kiosk.signIn.title': 'Staff sign-in',
  'kiosk.signIn.email': 'Staff email',
  'kiosk.signIn.password': 'Password',
  'kiosk.signIn.submit': 'Sign in',
  'kiosk.signIn.offline': 'This tablet is offline. Staff sign-in needs a connection.',
  'kiosk.signIn.credentials': 'Could not sign in: {message}',
  'kiosk.signIn.notStaff': '{message} is not a staff account of any clinic.',
  'kiosk.signIn.otherClinic': '{message} is staff of another clinic, not of this kiosk’s clinic.',
  'kiosk.signIn.failed': 'Could not check the staff account: {message}',
  'kiosk.signIn.unsent':
    'This device still holds changes that were never sent ({message}), made by whoever used it before. Signed in as staff, it would send them as the clinic’s. Let them be sent first (online, signed in as the person who made them), or set up another device.',

  'kiosk.pin.chooseTitle': 'Choose the staff PIN',
  'kiosk.pin.chooseHint':
    'At least 6 digits. Staff need it to open the staff screens and to leave kiosk mode. If it is forgotten, a staff member signs in again.',
  'kiosk.pin.new': 'New PIN (6 digits or more)',
  'kiosk.pin.again': 'The same PIN again',
  'kiosk.pin.save': 'Save PIN and start the kiosk',
  'kiosk.pin.saving': 'Saving…',
  'kiosk.pin.tooShort': 'Use 6 to 12 digits, numbers only.',
  'kiosk.pin.mismatch': 'The two PINs are not the same.',
  'kiosk.pin.title': 'Staff only',
  'kiosk.pin.label': 'Staff PIN',
  'kiosk.pin.unlock': 'Open staff screens',
  'kiosk.pin.wrong': 'Wrong PIN.',
  'kiosk.pin.enter': 'Enter the staff PIN.',
  'kiosk.pin.locked': 'Too many wrong PINs. Try again in {seconds} seconds.',
  'kiosk.pin.forgot': 'Forgot the PIN? Sign in again',

  'kiosk.forgot.title': 'Replace the staff PIN',
  'kiosk.forgot.intro': 'A staff member of this clinic signs in again, online, and chooses a new PIN.',

  'kiosk.home.title': 'Welcome to {clinic}',
  'kiosk.home.language': 'Language',
  'kiosk.home.new': 'I am new here',
  'kiosk.home.returning': 'I have been here before',

  'kiosk.register.title': 'Your details',
  'kiosk.register.intro': 'The clinic keeps these to book your consultation. Phone number is optional.',
  'kiosk.register.save': 'Save and continue',

  'kiosk.find.title': 'Find your registration',
  'kiosk.find.how': 'Find me by',
  'kiosk.find.byPhone': 'Phone number and year of birth',
  'kiosk.find.byName': 'Full name and date of birth',
  'kiosk.find.phone': 'Phone number',
  'kiosk.find.birthYear': 'Year of birth (for example 1984)',
  'kiosk.find.name': 'Full name',
  'kiosk.find.search': 'Find me',
  'kiosk.find.none': 'No registration matches. Check the details, or register as new.',
  'kiosk.find.wait':
    'Too many searches found nobody. Ask at the desk, or try again in {minutes} min. You can still register as new.',
  'kiosk.find.yearFormat': 'Write the year you were born with 4 digits, for example 1984.',
  'kiosk.find.confirm': 'Is this you?',
  'kiosk.find.match': '{name}, born {year}',
  'kiosk.find.matchRegistered': '{match}, registered {when}',
  'kiosk.find.matchNth': '{match} (registration {nth} of {total})',
  'kiosk.find.several':
    'More than one registration matches. Choose the one registered when you first came; if you are not sure, ask the staff.',

  'kiosk.book.title': 'Book a consultation',
  'kiosk.book.doctor': 'Doctor',
  'kiosk.book.requestInstead': 'No suitable time? Ask the clinic to choose one',
  'kiosk.book.nothingCached':
    'This tablet has no doctors’ times yet. Choose a specialty and a day: the clinic books the first free time.',
  'kiosk.book.specialty': 'Specialty',
  'kiosk.book.reason': 'Reason for the visit, in a few words',
  'kiosk.book.confirm': 'Book',
  'kiosk.book.skip': 'Not now',
  'kiosk.book.pickTime': 'Choose a day and a time first.',
  'kiosk.book.pickDoctor': 'Choose a doctor first.',
  'kiosk.book.failed': 'Could not book: {message}',

  'kiosk.saved.title': 'Thank you, {name}',
  'kiosk.saved.booked': 'Your consultation is booked.',
  'kiosk.saved.registered': 'Your registration is saved.',
  'kiosk.saved.queued':
    'It is saved on this tablet and reaches the clinic as soon as the tablet is online. Press Done when you have finished.',

  'kiosk.idle.title': 'Still there?',
  'kiosk.idle.text': 'This screen clears in {seconds} seconds to protect your details.',
  'kiosk.idle.continue': 'I am still here',

  'kiosk.staff.open': 'Staff',
  'kiosk.staff.title': 'Staff · {clinic}',
  'kiosk.staff.nav': 'Staff screens',
  'kiosk.staff.tab.queue': 'Waiting to send',
  'kiosk.staff.tab.today': 'Today',
  'kiosk.staff.tab.settings': 'Settings',
  'kiosk.staff.close': 'Back to patient screen',

  'kiosk.queue.title': 'Everything this tablet has not sent yet',
  'kiosk.queue.empty': 'Nothing is waiting: everything has reached the clinic.',
  'kiosk.queue.patient': 'Registration of {name}',
  'kiosk.queue.appointment': 'Appointment on {when}',
  'kiosk.queue.request': 'Request for {day}',
  'kiosk.queue.fix': 'Fix',
  'kiosk.queue.discard': 'Discard',
  'kiosk.queue.rebook': 'Book this time instead',
  'kiosk.queue.requestAgain': 'Ask again for this day',
  'kiosk.queue.correct': 'Save the corrected details',

  'kiosk.today.title': 'Today at this clinic',
  'kiosk.today.hint':
    'Each change is saved on the tablet and sent in order; a change the server refuses shows its reason here, and its fixes in the queue.',
  'kiosk.today.failed': 'Not saved: {message}',
  'kiosk.sync.saved': 'Saved on this tablet — will be sent when online',
  'kiosk.today.action.confirmed': 'Confirm',
  'kiosk.today.action.rejected': 'Refuse',
  'kiosk.today.action.checked_in': 'Check in',
  'kiosk.today.action.completed': 'Completed',
  'kiosk.today.action.no_show': 'Did not come',
  'kiosk.checkin.title': 'Your appointment today',
  'kiosk.checkin.at': 'Today at {time}. Check in to tell the clinic you are here.',
  'kiosk.checkin.action': 'Check in',
  'kiosk.checkin.none':
    'This tablet does not know an appointment for you today. Book one below, or ask at the desk.',
  'kiosk.checkin.pending':
    'Today at {time}, waiting for the clinic to confirm. Tell the desk you are here; there is no need to book again.',
  'kiosk.checkin.looking': 'Looking for your appointment today…',
  'kiosk.saved.checkedIn': 'You are checked in. Please take a seat; the clinic will call you.',
  'kiosk.today.offline':
    'Offline, and today’s list has not been loaded on this tablet yet: only what this tablet booked today is shown. The list loads when the tablet is back online.',
  'kiosk.today.sealed':
    'Offline: the list as loaded at {time}, with this tablet’s changes since. It is read again when the tablet is back online.',
  'kiosk.today.empty': 'No appointments today.',

  'kiosk.status.requested': 'requested',
  'kiosk.status.confirmed': 'confirmed',
  'kiosk.status.rejected': 'refused',
  'kiosk.status.cancelled': 'cancelled',
  'kiosk.status.completed': 'completed',
  'kiosk.status.checked_in': 'checked in',
  'kiosk.status.no_show': 'did not come',
  'kiosk.status.unknown': 'status {status}',

  'kiosk.settings.title': 'Kiosk settings',
  'kiosk.settings.idle': 'Seconds without a touch before a patient’s screen clears',
  'kiosk.settings.idleRange': 'Enter a whole number of seconds from {min} to {max}.',
  'kiosk.settings.saveIdle': 'Save idle time',
  'kiosk.settings.saved': 'Saved.',
  'kiosk.settings.defaultLang': 'Language the patient screen starts in',
  'kiosk.settings.signOut': 'Sign out of staff screens',
  'kiosk.settings.leave': 'Leave kiosk mode',

  'kiosk.leave.title': 'Leave kiosk mode: enter the PIN',
  'kiosk.leave.confirm': 'Leave kiosk mode and wipe patient data',
  'kiosk.left.title': 'Kiosk mode has ended',
  'kiosk.left.allSent': 'Staff are signed out and every patient’s data is removed from this tablet.',
  'kiosk.left.unsent': {
    one: 'Staff are signed out and patient data is removed, except {count} change not sent yet. It stays on this tablet and is sent when a staff member of the clinic signs in here again.',
    other:
      'Staff are signed out and patient data is removed, except {count} changes not sent yet. They stay on this tablet and are sent when a staff member of the clinic signs in here again.',
  },
  'kiosk.left.continue': 'Continue',

  'kiosk.unreadable.title': 'This tablet’s kiosk settings cannot be read',
  'kiosk.unreadable.body':
    'A staff member must set the tablet up again: sign in with the clinic account and choose a new PIN. Patient data is removed first; changes not sent yet stay on the tablet and are sent after the sign-in.',
  'kiosk.unreadable.setUp': 'Set up this tablet again',
} as const;

export type KioskMessageKey = keyof typeof kioskEn;
export type KioskMessages = Record<KioskMessageKey, Message>;
