/**
 * The banner every screen shows while QA mode is on, so a patient's device is never left degraded
 * by accident: loud colours, at the top, naming what is injected, with a way to turn it off. The
 * shell loads this chunk only when QA mode is on; its styles are inline for the same reason.
 */
import type { CSSProperties } from 'react';
import { presetOf } from '../../data/qa-fault-settings.ts';
import { writeQaFaults } from '../../data/qa-mode.ts';
import { useQaI18n } from '../../i18n/qa-i18n.ts';
import { PRESET_LABEL, useInAppFaults } from './in-app-faults-section.tsx';

const BANNER: CSSProperties = {
  position: 'sticky',
  top: 0,
  zIndex: 1000,
  background: 'repeating-linear-gradient(135deg, #b00020 0 16px, #8a0019 16px 32px)',
  color: '#fff',
  padding: '0.5rem 0.75rem',
  fontWeight: 700,
  display: 'flex',
  flexWrap: 'wrap',
  gap: '0.5rem',
  alignItems: 'center',
  justifyContent: 'space-between',
};

/** Off, the banner and its button go: the page's main content takes the focus, not the body. */
function turnOff(): void {
  writeQaFaults(null);
  document.getElementById('main')?.focus();
}

export function QaFaultBanner() {
  const { t } = useQaI18n();
  const faults = useInAppFaults();
  if (faults === null) return null;
  const preset = presetOf(faults);
  const what = preset ? t(PRESET_LABEL[preset]) : t('qa.inApp.preset.custom');
  return (
    <div role="alert" aria-label={t('qa.inApp.banner.label')} data-qa-fault-banner="" style={BANNER}>
      <span>{t('qa.inApp.banner.text', { what })}</span>
      <button type="button" className="button-secondary" onClick={turnOff}>
        {t('qa.inApp.turnOff')}
      </button>
    </div>
  );
}
