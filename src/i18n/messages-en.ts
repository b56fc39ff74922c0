/**
 * The English catalogue: the source of every message key the patient app uses (kiosk mode and the QA
 * screen have catalogues of their own, in their chunks). `{name}` placeholders are filled by
 * `translate`; the Hindi catalogue must have the same keys and the same placeholders (a unit test
 * checks both, the `Messages` type checks the keys at compile time). A message whose words change with
 * `{count}` is a `PluralMessage` (`one`/`other`), never "change(s)". The words for what became of a
 * change (sync state, refusals, conflicts) are in messages-sync-en.ts, spread in.
 */
import { syncEn } from './messages-sync-en.ts';

export const en = {
  ...syncEn,
  'app.name': 'Consult',
  'app.loading': 'Loading…',
  'app.skipToContent': 'Skip to main content',
  'app.notFound': 'This page does not exist.',
  'app.storageFull':
    'This phone has no room left to save this, so nothing was saved. Free some space (delete photos or apps you do not need) and try again: what you typed is still here.',
  'app.goHome': 'Go to my appointments',
  'app.dbBlocked': 'Consult was updated in another tab. Reload this page to continue.',
  'app.qaOn': "QA MODE: this device's connection is degraded on purpose.",
  'app.qaOff': 'Turn off QA mode',
  'app.reload': 'Reload',
  'app.screenFailed': 'This screen could not be loaded. Check the connection and try again.',
  'app.screenBroken':
    'Something went wrong on this screen. What you saved is safe on this device. Try again, or open another screen.',
  'app.retry': 'Try again',

  'nav.label': 'Main',
  'nav.appointments': 'My appointments',
  'nav.book': 'Book',
  'nav.profile': 'Profile',
  'nav.settings': 'Settings',

  'update.ready': 'A new version is ready.',
  'update.reload': 'Reload',
  'update.heldBack': 'A new version is ready. Save or clear the form first, then reload.',

  'status.label': 'Sync status',
  'status.offline': 'Offline',
  'status.offlineWaiting': 'Offline · {count} waiting',
  'status.waiting': '{count} waiting to send',
  'status.sending': 'Sending…',
  'status.allSent': 'All sent at {time}',
  'time.inClinicZone': '{time} (India time)',
  'time.zoneNote':
    'Times are the clinic’s: India time (IST). This phone is set to another time zone ({zone}).',
  'status.nothingYet': 'Nothing to send',
  'status.attention': 'Needs attention ({count})',
  'status.signIn': '{count} waiting · sign in to send',
  'status.syncNow': 'Sync now',
  'status.retryIn': 'trying again in {seconds} s',
  'status.retryAt': 'trying again at {time}',
  'status.retryNow': 'trying again now',
  'status.tryNow': 'Try now',
  'status.webPage': 'Signed in to the Wi-Fi? The network answered with a web page',
  'status.signInLink': 'Sign in',

  'welcome.title': 'Welcome to Consult',
  'welcome.intro':
    'Book a consultation with a doctor by video or at a clinic. Everything you enter is saved on this phone first, and sent when you are online.',
  'welcome.languageLegend': 'Choose your language',
  'welcome.continue': 'Continue',

  'account.title': 'Your account',
  'account.intro':
    'An account keeps your bookings safe if you lose this phone. You can also continue without one.',
  'account.anonymous': 'Continue without an account',
  'account.anonymousHint': 'Your bookings are sent to the clinic once this phone is online.',
  'account.emailHeading': 'Email and password',
  'account.email': 'Email',
  'account.password': 'Password',
  'account.signIn': 'Sign in',
  'account.signUp': 'Create account',
  'account.phoneHeading': 'Phone number',
  'account.phone': 'Phone number',
  'account.sendCode': 'Send code',
  'account.code': 'One-time code',
  'account.verify': 'Verify code',
  'account.codeSent': 'We sent a code to {phone}.',
  'account.needsOnline':
    'You are offline. Signing in needs a connection; you can continue without an account.',
  'account.signedInAs': 'Signed in as {who}.',
  'account.signedInAnonymous': 'Using Consult without an account on this phone.',
  'account.continue': 'Continue',
  'account.error': 'Could not sign in: {message}',
  'account.emailFormat': 'Enter an email address like name@example.com.',
  'account.passwordShort': 'A new account needs a password of at least 6 characters.',
  'account.passwordHint': 'A new account needs at least 6 characters.',
  'account.codeFormat': 'Enter the digits of the code we sent.',
  'account.working': 'Please wait…',
  'account.upgradeHint':
    'Creating an account keeps the profile and appointments on this phone: they become part of the new account.',
  'account.exists': 'An account with this email or phone number already exists. Sign in to it instead.',
  'account.confirmEmail':
    'Check your email and follow the link to finish creating the account. Until then you keep using Consult without an account.',
  'account.phoneUnsupported':
    'A phone number cannot be added to this account here. To keep your data, create an account with email instead.',
  'account.switchUnsent': {
    one: 'This phone has {count} change that has not reached the clinic yet. Signing in to another account now would lose it, so it was not done. Wait until it is sent, or create an account instead to keep it.',
    other:
      'This phone has {count} changes that have not reached the clinic yet. Signing in to another account now would lose them, so it was not done. Wait until they are sent, or create an account instead to keep them.',
  },
  'account.switchConfirmAnonymous':
    'The profile and appointments on this phone were made without an account. Signing in to another account removes them from this phone for good: an account without an email or phone cannot be opened again. To keep them, create an account instead.',
  'account.switchConfirmUser':
    'The profile and appointments on this phone belong to {who}. Signing in to another account removes them from this phone; they stay with {who} at the clinic.',
  'account.switchYes': 'Switch account and remove them from this phone',
  'account.switchNo': 'Keep using this account',

  'profile.title': 'Your profile',
  'profile.intro': 'The doctor needs these details. Fields marked optional can be left empty.',
  'profile.beforeBooking':
    'Before you book or request a consultation, please fill in your profile. Your choices are kept.',
  'profile.fullName': 'Full name',
  'profile.dateOfBirth': 'Date of birth',
  'profile.sex': 'Sex',
  'profile.sex.female': 'Female',
  'profile.sex.male': 'Male',
  'profile.sex.other': 'Other',
  'profile.sex.undisclosed': 'Prefer not to say',
  'profile.phone': 'Phone number (optional)',
  'profile.address': 'Village or address (optional)',
  'profile.preferredLanguage': 'Preferred language',
  'profile.emergencyName': 'Emergency contact name (optional)',
  'profile.emergencyPhone': 'Emergency contact phone (optional)',
  'profile.save': 'Save profile',
  'profile.saved': 'Profile saved on this phone.',
  'profile.attentionHere': 'Your profile needs attention: {reason}',
  'profile.otherAccount':
    'A profile saved on this phone under another account has not been sent. It is not shown here: it is not this account’s.',
  'profile.otherAccountOpen': 'See it under My appointments',
  'profile.open': 'Open my profile',
  'profile.errorsSummary': {
    one: 'Please correct {count} field below.',
    other: 'Please correct {count} fields below.',
  },
  'profile.saveFailed': 'Could not save: {message}',

  'error.required': 'This field is required.',
  'error.tooLong': 'Use at most {max} characters.',
  'error.unstorableText':
    'This has a character that cannot be saved (an invisible control character). Retype it.',
  'error.noVisibleText': 'Write letters or digits, not only spaces.',
  'error.dateFormat': 'Enter a full date.',
  'error.dateTooEarly': 'The date must be on or after 1 January 1900.',
  'error.dateFuture': 'The date cannot be in the future.',
  'error.dayPast': 'That day is already over at the clinic. Choose another day.',
  'error.windowOver':
    'That time of day is already over today at the clinic. Choose a later one, or another day.',
  'error.phoneFormat': 'Use 7 to 15 digits, optionally starting with +.',
  'error.choose': 'Choose one of the options.',
  'error.invalid': 'This value is not valid.',

  'lang.en': 'English',
  'lang.hi': 'हिन्दी (Hindi)',

  'booking.title': 'Book a consultation',
  'booking.stepOf': 'Step {step} of {total}',
  'booking.back': 'Back',
  'booking.next': 'Next',
  'booking.specialty.heading': 'Choose a specialty',
  'booking.doctor.heading': 'Choose a doctor',
  'booking.doctor.languages': 'Speaks: {languages}',
  'booking.doctor.video': 'Video available',
  'booking.doctor.clinicOnly': 'At the clinic only',
  'booking.slot.heading': 'Choose a day and time',
  'booking.slot.day': 'Day',
  'booking.slot.none':
    'No free times for this doctor are saved on this phone. Connect to the internet to refresh, or choose another doctor.',
  'booking.slot.times': 'Free times',
  'booking.slot.video': 'video',
  'booking.slot.inPerson': 'at the clinic',
  'booking.mode.heading': 'Video or at the clinic?',
  'booking.mode.video': 'Video consultation',
  'booking.mode.inPerson': 'At the clinic',
  'booking.mode.unavailable': 'Not available at this time',
  'booking.reason.heading': 'Reason for the visit',
  'booking.reason.label': 'Describe your problem in a few words',
  'booking.review.heading': 'Check and confirm',
  'booking.review.doctor': 'Doctor',
  'booking.review.specialty': 'Specialty',
  'booking.review.when': 'When',
  'booking.review.mode': 'Consultation',
  'booking.review.reason': 'Reason',
  'booking.review.patient': 'Patient',
  'booking.confirm': 'Confirm booking',
  'booking.noDoctors':
    'No doctors are saved on this phone yet. Connect to the internet once to load the list of doctors.',
  'booking.needsProfile': 'Fill in your profile to continue',
  'booking.failed': 'Could not save the booking: {message}',
  'booking.rebookHeading': 'Pick another time',
  'booking.rebookIntro': 'The time you chose is no longer free. Pick another time with {doctor}.',
  'booking.rebookConfirm': 'Book this time',

  'appointments.title': 'My appointments',
  'appointments.loading': 'Loading appointments…',
  'appointments.empty': 'You have no appointments yet.',
  'appointments.bookFirst': 'Book a consultation',
  'appointments.upcoming': 'Upcoming',
  'appointments.past': 'Past and cancelled',
  'appointments.noneUpcoming': 'No upcoming appointments.',
  'appointments.nonePast': 'No past appointments.',
  'appointments.detailTitle': 'Appointment',
  'appointments.notFound': 'This appointment is not on this phone.',
  'appointments.back': 'Back to my appointments',
  'appointments.cancel': 'Cancel appointment',
  'appointments.cancelConfirm': 'Cancel this appointment with {doctor} on {when}?',
  'appointments.cancelYes': 'Yes, cancel it',
  'appointments.cancelNo': 'No, keep it',
  'appointments.join': 'Join video consultation',
  'appointments.joinSoon': 'The Join link appears 10 minutes before the start.',
  'appointments.unknownDoctor': 'Doctor',
  'appointments.fix': 'Pick another time',
  'appointments.discard': 'Discard this change',
  'appointments.discardConfirm': 'Discard this change? It will not be sent.',
  'appointments.discardYes': 'Yes, discard',

  'request.title': 'Request a consultation',
  'request.offer': 'Request a consultation',
  'request.offerHint':
    'You can still ask for a consultation: choose the kind of doctor and when suits you. When your request reaches the clinic, it books the first free time that matches.',
  'request.day.heading': 'Which day suits you?',
  'request.window.heading': 'What time of day?',
  'request.window.morning': 'Morning',
  'request.window.afternoon': 'Afternoon',
  'request.window.evening': 'Evening',
  'request.window.any': 'Any time',
  'request.review.day': 'Preferred day',
  'request.review.window': 'Time of day',
  'request.confirm': 'Confirm request',
  'request.failed': 'Could not save the request: {message}',
  'request.summary': 'Requested: {specialty}, {day}, {window}',
  'request.pendingHint': 'The clinic books the first free time that matches when your request arrives.',
  'request.again': 'Choose another day or time',
  'request.againIntro':
    'No free time matched your request for {specialty}. Choose another day or time of day.',
  'request.againConfirm': 'Request this day and time',
  'settings.unsentRequest': 'Request for {specialty}, {day}',

  'apptStatus.requested': 'Waiting for the clinic to confirm',
  'apptStatus.openRequest': 'Waiting for the clinic to choose a doctor and time',
  'apptStatus.confirmed': 'Confirmed by the clinic',
  'apptStatus.rejected': 'Declined by the clinic',
  'apptStatus.cancelled': 'Cancelled',
  'apptStatus.completed': 'Completed',
  'apptStatus.checked_in': 'Checked in at the clinic',
  'apptStatus.no_show': 'Missed (marked by the clinic)',

  'mode.video': 'Video',
  'mode.in_person': 'At the clinic',

  'specialty.general medicine': 'General medicine',
  'specialty.paediatrics': 'Children (paediatrics)',
  'specialty.gynaecology': 'Women (gynaecology)',
  'specialty.dermatology': 'Skin (dermatology)',
  'specialty.cardiology': 'Heart (cardiology)',
  'specialty.ENT': 'Ear, nose and throat (ENT)',
  'specialty.orthopaedics': 'Bones and joints (orthopaedics)',

  'settings.title': 'Settings',
  'settings.language': 'Language',
  'settings.storage': 'Storage on this phone',
  'settings.storageUsed': '{used} used of {quota} available',
  'settings.storageUnknown': 'This browser does not report storage use.',
  'settings.storagePersisted': 'Protected from automatic clean-up.',
  'settings.storageNotPersisted': 'The browser may clear this data if the phone runs low on space.',
  'settings.account': 'Account',
  'settings.signOut': 'Sign out',
  'settings.signInOrCreate': 'Sign in or create an account',
  'settings.notSignedIn': 'Not signed in.',
  'settings.signOutUnsent': 'These changes have not been sent yet. Signing out deletes them from this phone:',
  'settings.signOutConfirm': {
    one: 'Delete {count} unsent change and sign out',
    other: 'Delete {count} unsent changes and sign out',
  },
  'settings.signOutKeep': 'Keep them and stay signed in',
  'settings.signedOut': 'Signed out.',
  'settings.unsentProfile': 'Profile of {name}',
  'settings.unsentAppointment': 'Appointment with {doctor} on {when}',
  'settings.unsentCancel': 'Cancellation of the appointment on {when}',
  'settings.unsentByOther': 'A change saved on {when} under another account',
  'settings.testing': 'Testing tools',
  'settings.testingHint': 'For the QA team: the sync queue, its export, and simulated bad networks.',
} as const;

export type MessageKey = keyof typeof en;
/** A message that depends on `{count}`: one form per Intl.PluralRules category the languages use. */
export interface PluralMessage {
  readonly one: string;
  readonly other: string;
}
export type Message = string | PluralMessage;
export type Messages = Record<MessageKey, Message>;
