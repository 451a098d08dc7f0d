/**
 * Every user-visible string of the widget, per language. `{name}` placeholders; objects are plural forms
 * keyed by `Intl.PluralRules` categories. A language without a table, or a key missing from one, falls back
 * to English. Right-to-left languages get a mirrored layout.
 */

export const STRINGS = Object.freeze({
  title: 'Chat',
  openChat: 'Open chat',
  closeChat: 'Close chat',
  launcherUnread: { one: 'Open chat, {count} unread message', other: 'Open chat, {count} unread messages' },
  roomsLabel: 'Rooms',
  tabUnread: { one: '{count} unread', other: '{count} unread' },
  messagesLabel: 'Messages in {room}',
  composerLabel: 'Message {room}',
  composerPlaceholder: 'Write a message…',
  composerHint: 'Enter to send, Shift+Enter for a new line',
  send: 'Send',
  you: 'You',
  systemAuthor: 'Notice',
  someone: 'Someone',
  online: { one: '{count} online', other: '{count} online' },
  peopleLabel: 'People in {room}',
  peopleShow: 'Show people in this room',
  peopleYou: '{name} (you)',
  peopleTooMany: 'This room is too large to list everyone.',
  typingOne: '{name} is typing…',
  typingTwo: '{first} and {second} are typing…',
  typingMany: 'Several people are typing…',
  statusConnecting: 'Connecting…',
  statusOffline: 'Connection lost. Reconnecting… Messages you write will be sent when it is back.',
  statusStopped: 'You have been disconnected from chat.',
  statusSignedOut: 'Sign in to chat.',
  retryNow: 'Retry now',
  pendingSending: 'Sending…',
  pendingWaiting: 'Waiting for connection',
  failed: 'Not sent: {reason}',
  dismiss: 'Dismiss',
  errorTooLarge: 'the message is too long.',
  errorForbidden: 'you cannot write in this room.',
  errorInvalid: 'the server refused it.',
  roomForbidden: 'You do not have access to this room.',
  gap: 'Some earlier messages are no longer available.',
  empty: 'No messages yet. Say hello!',
  jumpToLatest: 'New messages ↓',
  charsLeft: { one: '{count} character left', other: '{count} characters left' },
});

const DE = Object.freeze({
  title: 'Chat',
  openChat: 'Chat öffnen',
  closeChat: 'Chat schließen',
  launcherUnread: { one: 'Chat öffnen, {count} ungelesene Nachricht', other: 'Chat öffnen, {count} ungelesene Nachrichten' },
  roomsLabel: 'Räume',
  tabUnread: { one: '{count} ungelesen', other: '{count} ungelesen' },
  messagesLabel: 'Nachrichten in {room}',
  composerLabel: 'Nachricht an {room}',
  composerPlaceholder: 'Nachricht schreiben…',
  composerHint: 'Eingabetaste zum Senden, Umschalt+Eingabetaste für eine neue Zeile',
  send: 'Senden',
  you: 'Du',
  systemAuthor: 'Hinweis',
  someone: 'Jemand',
  online: { one: '{count} online', other: '{count} online' },
  peopleLabel: 'Personen in {room}',
  peopleShow: 'Personen in diesem Raum zeigen',
  peopleYou: '{name} (du)',
  peopleTooMany: 'Dieser Raum ist zu groß, um alle aufzulisten.',
  typingOne: '{name} schreibt…',
  typingTwo: '{first} und {second} schreiben…',
  typingMany: 'Mehrere Personen schreiben…',
  statusConnecting: 'Verbinden…',
  statusOffline: 'Verbindung unterbrochen. Neuer Versuch… Was du schreibst, wird gesendet, sobald sie wieder steht.',
  statusStopped: 'Du wurdest vom Chat getrennt.',
  statusSignedOut: 'Melde dich an, um zu chatten.',
  retryNow: 'Jetzt erneut versuchen',
  pendingSending: 'Wird gesendet…',
  pendingWaiting: 'Wartet auf Verbindung',
  failed: 'Nicht gesendet: {reason}',
  dismiss: 'Verwerfen',
  errorTooLarge: 'die Nachricht ist zu lang.',
  errorForbidden: 'du kannst in diesem Raum nicht schreiben.',
  errorInvalid: 'der Server hat sie abgelehnt.',
  roomForbidden: 'Du hast keinen Zugang zu diesem Raum.',
  gap: 'Einige ältere Nachrichten sind nicht mehr verfügbar.',
  empty: 'Noch keine Nachrichten. Sag Hallo!',
  jumpToLatest: 'Neue Nachrichten ↓',
  charsLeft: { one: 'Noch {count} Zeichen', other: 'Noch {count} Zeichen' },
});

const AR = Object.freeze({
  title: 'الدردشة',
  openChat: 'فتح الدردشة',
  closeChat: 'إغلاق الدردشة',
  launcherUnread: {
    zero: 'فتح الدردشة', one: 'فتح الدردشة، رسالة واحدة غير مقروءة', two: 'فتح الدردشة، رسالتان غير مقروءتين',
    few: 'فتح الدردشة، {count} رسائل غير مقروءة', many: 'فتح الدردشة، {count} رسالة غير مقروءة', other: 'فتح الدردشة، {count} رسالة غير مقروءة',
  },
  roomsLabel: 'الغرف',
  tabUnread: { one: 'رسالة غير مقروءة', two: 'رسالتان غير مقروءتين', few: '{count} غير مقروءة', other: '{count} غير مقروءة' },
  messagesLabel: 'الرسائل في {room}',
  composerLabel: 'رسالة إلى {room}',
  composerPlaceholder: 'اكتب رسالة…',
  composerHint: 'Enter للإرسال، Shift+Enter لسطر جديد',
  send: 'إرسال',
  you: 'أنت',
  systemAuthor: 'إشعار',
  someone: 'شخص ما',
  online: { zero: 'لا أحد متصل', one: 'شخص واحد متصل', two: 'شخصان متصلان', few: '{count} متصلون', other: '{count} متصل' },
  peopleLabel: 'الأشخاص في {room}',
  peopleShow: 'عرض الأشخاص في هذه الغرفة',
  peopleYou: '{name} (أنت)',
  peopleTooMany: 'هذه الغرفة أكبر من أن يُعرض كل من فيها.',
  typingOne: '{name} يكتب…',
  typingTwo: '{first} و{second} يكتبان…',
  typingMany: 'عدة أشخاص يكتبون…',
  statusConnecting: 'جارٍ الاتصال…',
  statusOffline: 'انقطع الاتصال. جارٍ إعادة الاتصال… ستُرسل رسائلك عند عودته.',
  statusStopped: 'تم قطع اتصالك بالدردشة.',
  statusSignedOut: 'سجّل الدخول للدردشة.',
  retryNow: 'أعد المحاولة الآن',
  pendingSending: 'جارٍ الإرسال…',
  pendingWaiting: 'بانتظار الاتصال',
  failed: 'لم تُرسل: {reason}',
  dismiss: 'تجاهل',
  errorTooLarge: 'الرسالة طويلة جدًا.',
  errorForbidden: 'لا يمكنك الكتابة في هذه الغرفة.',
  errorInvalid: 'رفضها الخادم.',
  roomForbidden: 'ليس لديك إذن بدخول هذه الغرفة.',
  gap: 'بعض الرسائل الأقدم لم تعد متاحة.',
  empty: 'لا توجد رسائل بعد. قل مرحبًا!',
  jumpToLatest: 'رسائل جديدة ↓',
  charsLeft: { one: 'بقي حرف واحد', two: 'بقي حرفان', few: 'بقيت {count} أحرف', other: 'بقي {count} حرفًا' },
});

/** The built-in tables, by language subtag. */
export const LOCALES = Object.freeze({ en: STRINGS, de: DE, ar: AR });

const RTL_LANGUAGES = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'yi', 'dv', 'ckb']);

function language(locale) {
  return String(locale || '').toLowerCase().split(/[-_]/)[0];
}

/** The strings for `locale` (English where its table has no entry), with `overrides` on top. */
export function stringsFor(locale, overrides) {
  return Object.assign({}, STRINGS, LOCALES[language(locale)] || {}, overrides || {});
}

/** True when `locale` is written right to left. */
export function isRtl(locale) {
  return RTL_LANGUAGES.has(language(locale));
}

/** `t(key, params)`: the string with placeholders filled, plural forms chosen and numbers formatted for `locale`. */
export function makeTranslator(strings, locale) {
  let plural;
  let numbers;
  try {
    plural = new Intl.PluralRules(locale);
    numbers = new Intl.NumberFormat(locale);
  } catch (e) {
    plural = new Intl.PluralRules();
    numbers = new Intl.NumberFormat();
  }
  return (key, params = {}) => {
    let text = strings[key];
    if (text && typeof text === 'object') text = text[plural.select(params.count ?? 0)] ?? text.other;
    if (typeof text !== 'string') return key;
    return text.replace(/\{(\w+)\}/g, (match, name) => {
      if (!(name in params)) return match;
      const value = params[name];
      return typeof value === 'number' ? numbers.format(value) : String(value);
    });
  };
}
