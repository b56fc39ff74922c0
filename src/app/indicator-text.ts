/** The words of the status indicator, in the user's language. */
import type { Indicator } from '../data/sync-indicator.ts';
import { formatTime } from '../i18n/format.ts';
import type { Translate } from '../i18n/i18n-provider.tsx';
import type { Lang } from '../i18n/translate.ts';

/** Up to this far ahead a retry is told in seconds ("in 25 s"); later, as a time ("at 10:42"). */
const SECONDS_UP_TO_MS = 90_000;

/** `now` matters only for a retry countdown; the caller re-renders it every second meanwhile. */
export function indicatorText(
  indicator: Indicator,
  t: Translate,
  lang: Lang,
  now: Date = new Date(),
): string {
  switch (indicator.kind) {
    case 'attention': {
      const text = t('status.attention', { count: indicator.count });
      return indicator.offline ? `${t('status.offline')} · ${text}` : text;
    }
    case 'offline':
      return indicator.waiting > 0
        ? t('status.offlineWaiting', { count: indicator.waiting })
        : t('status.offline');
    case 'sending':
      return t('status.sending');
    case 'sign-in':
      return t('status.signIn', { count: indicator.waiting });
    case 'waiting':
      return t('status.waiting', { count: indicator.waiting });
    case 'retrying': {
      const text = `${t('status.waiting', { count: indicator.waiting })} · ${retryText(indicator.at, now, t, lang)}`;
      return indicator.webPage ? `${t('status.webPage')} · ${text}` : text;
    }
    case 'all-sent':
      return t('status.allSent', { time: formatTime(lang, indicator.at) });
    case 'nothing-yet':
      return t('status.nothingYet');
    default:
      return unreachable(indicator);
  }
}

function retryText(at: Date, now: Date, t: Translate, lang: Lang): string {
  const ms = at.getTime() - now.getTime();
  // The engine's timer may fire a little late: past the time, the retry is happening now.
  if (ms <= 0) return t('status.retryNow');
  if (ms <= SECONDS_UP_TO_MS) return t('status.retryIn', { seconds: Math.ceil(ms / 1000) });
  return t('status.retryAt', { time: formatTime(lang, at) });
}

function unreachable(x: never): never {
  throw new Error(`unknown indicator ${JSON.stringify(x)}`);
}
