/** The Hindi twin of messages-sync-en.ts: a missing or unknown key fails the build. */
import type { Message } from './messages-en.ts';
import type { syncEn } from './messages-sync-en.ts';

export const syncHi: Record<keyof typeof syncEn, Message> = {
  'attention.elsewhere': 'और बदलाव जिन पर ध्यान देना है',
  'attention.patients.upsert': 'इस फ़ोन में सेव की गई एक प्रोफ़ाइल',
  'attention.patients.delete': 'एक प्रोफ़ाइल हटाना',
  'attention.appointments.upsert': 'इस फ़ोन में सेव की गई एक बुकिंग',
  'attention.appointments.delete': 'एक बुकिंग हटाना',
  'attention.otherAccount':
    '{when} को किसी दूसरे खाते से सहेजा गया, इस खाते से नहीं। इसे केवल वही खाता भेज सकता है: उसमें साइन इन करें, या ज़रूरत न हो तो इसे हटा दें।',
  'attention.unreadable': 'एक बदलाव जिसे यह ऐप अब पढ़ नहीं सकता',
  'attention.unreadableReason': 'इसे ऐसे ही भेजा नहीं जा सकता।',

  'conflict.lost':
    'आपका बदलाव “{yours}” सेव नहीं हुआ: इसे पहले ही किसी दूसरे फ़ोन या स्क्रीन पर “{theirs}” कर दिया गया था। अगर आपका सही है तो फिर से बदलें।',
  'conflict.empty': '(खाली)',
  'conflict.dismiss': 'ठीक है',

  'sync.saved': 'इस फ़ोन में सेव — ऑनलाइन होने पर भेजा जाएगा',
  'sync.sending': 'क्लिनिक को भेजा जा रहा है…',
  'sync.sent': 'क्लिनिक को भेज दिया गया',
  'sync.attention': 'ध्यान दें: {reason}',
  'sync.blocked': 'पहले के एक बदलाव पर ध्यान देना ज़रूरी है, उसके बाद भेजा जाएगा',

  'reject.validation': 'कुछ जानकारी सही नहीं है',
  'reject.validationField': '“{field}” सही नहीं है',
  'reject.forbidden': 'यह खाता यह बदलाव नहीं कर सकता',
  'reject.otherAccount': 'यह इस फ़ोन पर किसी दूसरे खाते से किया गया था',
  'reject.missing_parent': 'आपकी प्रोफ़ाइल अभी क्लिनिक तक नहीं पहुँची है',
  'reject.slot_taken': 'यह समय किसी और ने बुक कर लिया',
  'reject.conflict': 'यह क्लिनिक के पास पहले से मौजूद जानकारी से टकराता है',
  'reject.timeChanged': 'क्लिनिक ने यह समय बदल दिया है; नया समय देखकर फिर से बुक करें',
  'reject.profileExists': 'इस खाते की मरीज़ प्रोफ़ाइल सर्वर पर पहले से है',
  'reject.no_slot': 'अनुरोध से मेल खाता कोई खाली समय नहीं मिला',
  'reject.booking_limit': 'आपकी अधिकतम बुकिंग पहले से हैं; नई बुकिंग के लिए एक रद्द करें',
  'reject.bookingLimitAnonymous':
    'आप बिना ईमेल के Consult इस्तेमाल कर रहे हैं, और ऐसे खाते में कम बुकिंग रखी जा सकती हैं। और बुकिंग के लिए अपने खाते में ईमेल जोड़ें।',
  'reject.addEmail': 'ईमेल जोड़ें',
  'reject.own_booking': 'यह समय आपने पहले ही बुक किया है',
  'reject.transition': 'स्थिति का यह बदलाव अब संभव नहीं है',
};
