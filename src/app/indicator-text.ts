/** The words of the status indicator, in the user's language. */
import type { Indicator } from '../data/sync-indicator.ts';
import { formatTime } from '../i18n/format.ts';
import type { Translate } from '../i18n/i18n-provider.tsx';
import type { Lang } from '../i18n/translate.ts';

export function indicatorText(indicator: Indicator, t: Translate, lang: Lang): string {
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
    case 'all-sent':
      return t('status.allSent', { time: formatTime(lang, indicator.at) });
    case 'nothing-yet':
      return t('status.nothingYet');
    default:
      return unreachable(indicator);
  }
}

function unreachable(x: never): never {
  throw new Error(`unknown indicator ${JSON.stringify(x)}`);
}
