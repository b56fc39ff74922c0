import { useI18n } from '../i18n/i18n-provider.tsx';
import type { MessageKey } from '../i18n/messages-en.ts';
import { hrefOf } from '../lib/router.ts';

const ITEMS: readonly { path: string; label: MessageKey }[] = [
  { path: '/appointments', label: 'nav.appointments' },
  { path: '/book', label: 'nav.book' },
  { path: '/profile', label: 'nav.profile' },
  { path: '/settings', label: 'nav.settings' },
];

export function MainNav({ path }: { path: string }) {
  const { t } = useI18n();
  return (
    <nav className="main-nav" aria-label={t('nav.label')}>
      <ul>
        {ITEMS.map((item) => {
          const current = path === item.path || path.startsWith(`${item.path}/`);
          return (
            <li key={item.path}>
              <a href={hrefOf(item.path)} aria-current={current ? 'page' : undefined}>
                {t(item.label)}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
