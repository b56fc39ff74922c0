/** The kiosk's Hindi messages. Typed as `KioskMessages`, so a missing or unknown key fails the build. */
import type { KioskMessages } from './messages-kiosk-en.ts';

export const kioskHi: KioskMessages = {
  'kiosk.cancel': 'रद्द करें',
  'kiosk.done': 'हो गया',

  'kiosk.setup.title': 'इस टैबलेट को क्लिनिक कियॉस्क बनाएँ',
  'kiosk.setup.intro':
    'स्टाफ़ का कोई सदस्य इंटरनेट चालू रहते हुए एक बार अपने क्लिनिक खाते से साइन इन करता है। फिर यह टैबलेट उस क्लिनिक के लिए एक के बाद एक आने वाले मरीज़ों का पंजीकरण और बुकिंग करता है, इंटरनेट न होने पर भी।',
  'kiosk.setup.clinic': '{email} के रूप में साइन इन, {clinic} के स्टाफ़।',

  'kiosk.signIn.title': 'स्टाफ़ साइन-इन',
  'kiosk.signIn.email': 'स्टाफ़ ईमेल',
  'kiosk.signIn.password': 'पासवर्ड',
  'kiosk.signIn.submit': 'साइन इन करें',
  'kiosk.signIn.offline': 'यह टैबलेट ऑफ़लाइन है। स्टाफ़ साइन-इन के लिए इंटरनेट चाहिए।',
  'kiosk.signIn.credentials': 'साइन इन नहीं हो सका: {message}',
  'kiosk.signIn.notStaff': '{message} किसी क्लिनिक का स्टाफ़ खाता नहीं है।',
  'kiosk.signIn.otherClinic': '{message} किसी दूसरे क्लिनिक का स्टाफ़ है, इस कियॉस्क के क्लिनिक का नहीं।',
  'kiosk.signIn.failed': 'स्टाफ़ खाते की जाँच नहीं हो सकी: {message}',
  'kiosk.signIn.unsent':
    'इस डिवाइस पर पहले इस्तेमाल करने वाले के बदलाव ({message}) अब तक भेजे नहीं गए हैं। स्टाफ़ के रूप में साइन इन करने पर वे क्लिनिक के नाम से भेजे जाएँगे। पहले उन्हें भेजने दें (ऑनलाइन, उन्हें बनाने वाले व्यक्ति के साइन-इन के साथ), या कोई दूसरा डिवाइस सेट करें।',

  'kiosk.pin.chooseTitle': 'स्टाफ़ PIN चुनें',
  'kiosk.pin.chooseHint':
    'कम से कम 6 अंक। स्टाफ़ स्क्रीन खोलने और कियॉस्क मोड छोड़ने के लिए यह ज़रूरी है। भूल जाने पर स्टाफ़ का कोई सदस्य फिर से साइन इन करता है।',
  'kiosk.pin.new': 'नया PIN (6 या अधिक अंक)',
  'kiosk.pin.again': 'वही PIN दोबारा',
  'kiosk.pin.save': 'PIN सहेजें और कियॉस्क शुरू करें',
  'kiosk.pin.saving': 'सहेजा जा रहा है…',
  'kiosk.pin.tooShort': '6 से 12 अंक लिखें, केवल संख्याएँ।',
  'kiosk.pin.mismatch': 'दोनों PIN एक जैसे नहीं हैं।',
  'kiosk.pin.title': 'केवल स्टाफ़ के लिए',
  'kiosk.pin.label': 'स्टाफ़ PIN',
  'kiosk.pin.unlock': 'स्टाफ़ स्क्रीन खोलें',
  'kiosk.pin.wrong': 'गलत PIN।',
  'kiosk.pin.enter': 'स्टाफ़ PIN लिखें।',
  'kiosk.pin.locked': 'बहुत बार गलत PIN। {seconds} सेकंड बाद फिर कोशिश करें।',
  'kiosk.pin.forgot': 'PIN भूल गए? फिर से साइन इन करें',

  'kiosk.forgot.title': 'स्टाफ़ PIN बदलें',
  'kiosk.forgot.intro': 'इस क्लिनिक का स्टाफ़ सदस्य इंटरनेट पर फिर से साइन इन करके नया PIN चुनता है।',

  'kiosk.home.title': '{clinic} में आपका स्वागत है',
  'kiosk.home.language': 'भाषा',
  'kiosk.home.new': 'मैं यहाँ पहली बार आया/आई हूँ',
  'kiosk.home.returning': 'मैं पहले भी यहाँ आ चुका/चुकी हूँ',

  'kiosk.register.title': 'आपकी जानकारी',
  'kiosk.register.intro': 'आपकी जाँच बुक करने के लिए क्लिनिक यह जानकारी रखता है। फ़ोन नंबर देना ज़रूरी नहीं है।',
  'kiosk.register.save': 'सहेजें और आगे बढ़ें',

  'kiosk.find.title': 'अपना पंजीकरण खोजें',
  'kiosk.find.how': 'मुझे इससे खोजें',
  'kiosk.find.byPhone': 'फ़ोन नंबर और जन्म का वर्ष',
  'kiosk.find.byName': 'पूरा नाम और जन्म तिथि',
  'kiosk.find.phone': 'फ़ोन नंबर',
  'kiosk.find.birthYear': 'जन्म का वर्ष (जैसे 1984)',
  'kiosk.find.name': 'पूरा नाम',
  'kiosk.find.search': 'मुझे खोजें',
  'kiosk.find.none': 'कोई पंजीकरण नहीं मिला। जानकारी जाँचें, या नए मरीज़ के रूप में पंजीकरण करें।',
  'kiosk.find.wait':
    'बहुत सी खोजों में कोई नहीं मिला। काउंटर पर पूछें, या {minutes} मिनट बाद फिर कोशिश करें। आप नए मरीज़ के रूप में पंजीकरण अब भी कर सकते हैं।',
  'kiosk.find.yearFormat': 'जन्म का साल 4 अंकों में लिखें, जैसे 1984।',
  'kiosk.find.confirm': 'क्या यह आप हैं?',
  'kiosk.find.match': '{name}, जन्म {year}',
  'kiosk.find.matchRegistered': '{match}, पंजीकरण {when}',
  'kiosk.find.matchNth': '{match} (पंजीकरण {total} में से {nth})',
  'kiosk.find.several':
    'एक से ज़्यादा पंजीकरण मिलते हैं। वह चुनें जो आपके पहली बार आने पर हुआ था; पक्का न हो तो स्टाफ़ से पूछें।',

  'kiosk.book.title': 'डॉक्टर से समय लें',
  'kiosk.book.doctor': 'डॉक्टर',
  'kiosk.book.requestInstead': 'सही समय नहीं मिला? क्लिनिक से समय चुनने को कहें',
  'kiosk.book.nothingCached':
    'इस टैबलेट पर अभी डॉक्टरों के समय नहीं हैं। विशेषज्ञता और दिन चुनें: क्लिनिक पहला खाली समय बुक करेगा।',
  'kiosk.book.specialty': 'विशेषज्ञता',
  'kiosk.book.reason': 'आने का कारण, कुछ शब्दों में',
  'kiosk.book.confirm': 'बुक करें',
  'kiosk.book.skip': 'अभी नहीं',
  'kiosk.book.pickTime': 'पहले दिन और समय चुनें।',
  'kiosk.book.pickDoctor': 'पहले डॉक्टर चुनें।',
  'kiosk.book.failed': 'बुक नहीं हो सका: {message}',

  'kiosk.saved.title': 'धन्यवाद, {name}',
  'kiosk.saved.booked': 'आपकी जाँच बुक हो गई है।',
  'kiosk.saved.registered': 'आपका पंजीकरण सहेज लिया गया है।',
  'kiosk.saved.queued':
    'यह इस टैबलेट पर सहेजा गया है और इंटरनेट मिलते ही क्लिनिक तक पहुँच जाएगा। काम पूरा होने पर "हो गया" दबाएँ।',

  'kiosk.idle.title': 'क्या आप अभी भी यहाँ हैं?',
  'kiosk.idle.text': 'आपकी जानकारी की सुरक्षा के लिए यह स्क्रीन {seconds} सेकंड में साफ़ हो जाएगी।',
  'kiosk.idle.continue': 'मैं अभी यहाँ हूँ',

  'kiosk.staff.open': 'स्टाफ़',
  'kiosk.staff.title': 'स्टाफ़ · {clinic}',
  'kiosk.staff.nav': 'स्टाफ़ स्क्रीन',
  'kiosk.staff.tab.queue': 'भेजे जाने बाकी',
  'kiosk.staff.tab.today': 'आज',
  'kiosk.staff.tab.settings': 'सेटिंग्स',
  'kiosk.staff.close': 'मरीज़ स्क्रीन पर लौटें',

  'kiosk.queue.title': 'इस टैबलेट से अभी तक न भेजा गया सब कुछ',
  'kiosk.queue.empty': 'कुछ बाकी नहीं: सब कुछ क्लिनिक तक पहुँच गया है।',
  'kiosk.queue.patient': '{name} का पंजीकरण',
  'kiosk.queue.appointment': '{when} की अपॉइंटमेंट',
  'kiosk.queue.request': '{day} के लिए अनुरोध',
  'kiosk.queue.fix': 'ठीक करें',
  'kiosk.queue.discard': 'हटाएँ',
  'kiosk.queue.rebook': 'इसकी जगह यह समय बुक करें',
  'kiosk.queue.requestAgain': 'इस दिन के लिए फिर से अनुरोध करें',
  'kiosk.queue.correct': 'सुधारी गई जानकारी सहेजें',

  'kiosk.today.title': 'आज इस क्लिनिक में',
  'kiosk.today.hint':
    'हर बदलाव टैबलेट पर सहेजा जाता है और क्रम से भेजा जाता है; सर्वर जिस बदलाव को मना करे, उसका कारण यहाँ और उसके सुधार कतार में दिखते हैं।',
  'kiosk.today.failed': 'सहेजा नहीं गया: {message}',
  'kiosk.sync.saved': 'इस टैबलेट में सेव — ऑनलाइन होने पर भेजा जाएगा',
  'kiosk.today.action.confirmed': 'पक्का करें',
  'kiosk.today.action.rejected': 'मना करें',
  'kiosk.today.action.checked_in': 'चेक-इन करें',
  'kiosk.today.action.completed': 'पूरा हुआ',
  'kiosk.today.action.no_show': 'नहीं आए',
  'kiosk.checkin.title': 'आज आपका अपॉइंटमेंट',
  'kiosk.checkin.at': 'आज {time} बजे। क्लिनिक को बताने के लिए चेक-इन करें कि आप आ गए हैं।',
  'kiosk.checkin.action': 'चेक-इन करें',
  'kiosk.checkin.none': 'इस टैबलेट को आज आपका कोई अपॉइंटमेंट नहीं पता। नीचे बुक करें, या डेस्क पर पूछें।',
  'kiosk.checkin.pending':
    'आज {time} बजे, क्लिनिक की पुष्टि का इंतज़ार है। डेस्क पर बताएँ कि आप आ गए हैं; फिर से बुक करने की ज़रूरत नहीं।',
  'kiosk.checkin.looking': 'आज का आपका अपॉइंटमेंट खोज रहे हैं…',
  'kiosk.saved.checkedIn': 'आपका चेक-इन हो गया। कृपया बैठिए; क्लिनिक आपको बुलाएगा।',
  'kiosk.today.offline':
    'इंटरनेट नहीं है, और आज की सूची इस टैबलेट पर अभी लोड नहीं हुई: केवल वही दिख रहा है जो इस टैबलेट ने आज बुक किया। टैबलेट ऑनलाइन होने पर सूची लोड होगी।',
  'kiosk.today.sealed':
    'इंटरनेट नहीं है: {time} बजे लोड हुई सूची, उसके बाद इस टैबलेट के बदलावों के साथ। टैबलेट ऑनलाइन होने पर सूची फिर से पढ़ी जाएगी।',
  'kiosk.today.empty': 'आज कोई अपॉइंटमेंट नहीं।',

  'kiosk.status.requested': 'अनुरोध किया गया',
  'kiosk.status.confirmed': 'पक्की',
  'kiosk.status.rejected': 'अस्वीकार',
  'kiosk.status.cancelled': 'रद्द',
  'kiosk.status.completed': 'पूरी हुई',
  'kiosk.status.checked_in': 'पहुँच गए',
  'kiosk.status.no_show': 'नहीं आए',
  'kiosk.status.unknown': 'स्थिति {status}',

  'kiosk.settings.title': 'कियॉस्क सेटिंग्स',
  'kiosk.settings.idle': 'मरीज़ की स्क्रीन साफ़ होने से पहले बिना छुए कितने सेकंड',
  'kiosk.settings.idleRange': '{min} से {max} तक सेकंड की पूरी संख्या लिखें।',
  'kiosk.settings.saveIdle': 'समय सहेजें',
  'kiosk.settings.saved': 'सहेजा गया।',
  'kiosk.settings.defaultLang': 'मरीज़ स्क्रीन किस भाषा में शुरू हो',
  'kiosk.settings.signOut': 'स्टाफ़ स्क्रीन से साइन आउट करें',
  'kiosk.settings.leave': 'कियॉस्क मोड छोड़ें',

  'kiosk.leave.title': 'कियॉस्क मोड छोड़ें: PIN डालें',
  'kiosk.leave.confirm': 'कियॉस्क मोड छोड़ें और मरीज़ों का डेटा मिटाएँ',
  'kiosk.left.title': 'कियॉस्क मोड बंद हो गया है',
  'kiosk.left.allSent': 'स्टाफ़ साइन आउट हो गए हैं और हर मरीज़ का डेटा इस टैबलेट से हटा दिया गया है।',
  'kiosk.left.unsent': {
    one: 'स्टाफ़ साइन आउट हो गए हैं और मरीज़ों का डेटा हटा दिया गया है, सिवाय {count} बदलाव के जो अभी भेजा नहीं गया। वह इस टैबलेट पर रहेगा और क्लिनिक का स्टाफ़ सदस्य यहाँ फिर से साइन इन करने पर भेजा जाएगा।',
    other:
      'स्टाफ़ साइन आउट हो गए हैं और मरीज़ों का डेटा हटा दिया गया है, सिवाय {count} बदलावों के जो अभी भेजे नहीं गए। वे इस टैबलेट पर रहेंगे और क्लिनिक का स्टाफ़ सदस्य यहाँ फिर से साइन इन करने पर भेजे जाएँगे।',
  },
  'kiosk.left.continue': 'आगे बढ़ें',

  'kiosk.unreadable.title': 'इस टैबलेट की कियॉस्क सेटिंग पढ़ी नहीं जा सकती',
  'kiosk.unreadable.body':
    'स्टाफ़ के किसी सदस्य को टैबलेट फिर से सेट करना होगा: क्लिनिक के खाते से साइन इन करें और नया PIN चुनें। पहले मरीज़ों का डेटा हटाया जाता है; जो बदलाव अभी भेजे नहीं गए वे टैबलेट पर रहते हैं और साइन इन के बाद भेजे जाते हैं।',
  'kiosk.unreadable.setUp': 'यह टैबलेट फिर से सेट करें',
};
