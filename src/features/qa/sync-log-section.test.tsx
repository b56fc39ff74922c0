import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { INITIAL_STATUS } from '../../../sync/sync-status.ts';
import type { DrainLogEntry } from '../../data/qa-sync-log.ts';
import type { Services } from '../../data/services.ts';
import { ServicesProvider } from '../../data/services-context.tsx';
import { I18nProvider } from '../../i18n/i18n-provider.tsx';
import type { Lang } from '../../i18n/translate.ts';
import { describeEngine } from './engine-view.ts';
import { SyncLogSection } from './sync-log-section.tsx';

const KEY = '00000000-0000-4000-8000-0000000000a1';

function drain(startedAt: number, status: 'applied' | 'duplicate'): DrainLogEntry {
  return {
    startedAt,
    trigger: 'sync-now',
    durationMs: 120,
    batches: 1,
    bytesUp: 300,
    bytesDown: 90,
    pullPages: 0,
    pulledRows: 0,
    answers: [{ id: `m-${startedAt}`, entity: 'patients', op: 'upsert', key: KEY, status }],
    failures: [],
    end: null,
    backoffMs: null,
  };
}

function render(lang: Lang, entries: DrainLogEntry[]): string {
  // The export and import only read the services when pressed: rendering needs none of them.
  const services = {} as Services;
  return renderToStaticMarkup(
    <I18nProvider initial={lang}>
      <ServicesProvider services={services}>
        <SyncLogSection view={describeEngine({ status: INITIAL_STATUS, outbox: [] })} entries={entries} />
      </ServicesProvider>
    </I18nProvider>,
  );
}

describe('the sync log on the QA screen', () => {
  it("says each write's answer in the screen's language", () => {
    const hi = render('hi', [drain(1, 'duplicate')]);
    expect(hi).toContain('दोहराव');
    expect(render('en', [drain(1, 'applied')])).toContain(': applied');
  });

  it('says a drain in words a screen reader reads as words, not arrows', () => {
    const en = render('en', [drain(1, 'applied')]);
    expect(en).toContain('Started by Sync now, ');
    expect(en).toContain('sent 300 B, received 90 B');
    for (const lang of ['en', 'hi'] as const)
      expect(render(lang, [drain(1, 'applied')])).not.toMatch(/[↑↓→]/);
  });

  it('says when it shows only the newest drains, and offers the rest', () => {
    const log = Array.from({ length: 200 }, (_, i) => drain(200 - i, 'applied'));
    const html = render('en', log);
    expect(html).toContain('Showing the newest 30 of 200 drains');
    expect(html).toContain('Show all 200 drains');
    expect(render('en', log.slice(0, 30))).not.toContain('Show all');
  });
});
