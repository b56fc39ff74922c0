/**
 * In-app faults on the QA screen: turning QA mode on for this device (after a confirmation), the
 * presets, and the settings of the fault layer in the app's own fetch. Works against any backend.
 */
import { type FormEvent, useRef, useState, useSyncExternalStore } from 'react';
import { Confirmable } from '../../components/confirmable.tsx';
import { ChoiceGroup, Notice, TextField } from '../../components/fields.tsx';
import {
  type InAppFaults,
  NO_FAULTS,
  PRESET_NAMES,
  PRESETS,
  type PresetName,
  parseStoredFaults,
  presetOf,
  sameFaults,
} from '../../data/qa-fault-settings.ts';
import { readQaFaults, subscribeQaFaults, writeQaFaults } from '../../data/qa-mode.ts';
import type { QaMessageKey } from '../../i18n/messages-qa-en.ts';
import { useQaI18n } from '../../i18n/qa-i18n.ts';
import { useFocusFirstError } from '../../lib/focus.ts';
import {
  formOf,
  type InAppFaultField,
  type InAppFaultForm,
  parseInAppForm,
  rangeOf,
} from './in-app-fault-form.ts';

export const PRESET_LABEL: Readonly<Record<PresetName, QaMessageKey>> = {
  '2g-village': 'qa.inApp.preset.2gVillage',
  'flaky-wifi': 'qa.inApp.preset.flakyWifi',
  'captive-portal': 'qa.inApp.preset.captivePortal',
  'server-down': 'qa.inApp.preset.serverDown',
  'all-fine': 'qa.inApp.preset.allFine',
};

const NUMBER_FIELDS: readonly [Exclude<InAppFaultField, 'offline' | 'captivePortal'>, QaMessageKey][] = [
  ['latencyMs', 'qa.inApp.field.latency'],
  ['jitterMs', 'qa.inApp.field.jitter'],
  ['failRatePercent', 'qa.inApp.field.failRate'],
  ['failStatus', 'qa.inApp.field.failStatus'],
  ['retryAfterSeconds', 'qa.inApp.field.retryAfter'],
  ['lostRatePercent', 'qa.inApp.field.lostRate'],
  ['bytesPerSecond', 'qa.inApp.field.bytesPerSecond'],
];

/** The stored settings, following every change (this screen, the banner, another tab). */
export function useInAppFaults(): InAppFaults | null {
  return parseStoredFaults(useSyncExternalStore(subscribeQaFaults, readQaFaults, readQaFaults));
}

export function InAppFaultsSection() {
  const { t } = useQaI18n();
  const faults = useInAppFaults();
  // Turning QA mode on or off takes away the pressed button: the section's heading takes the focus.
  const heading = useRef<HTMLHeadingElement>(null);
  const turn = (value: string | null) => {
    writeQaFaults(value);
    heading.current?.focus();
  };
  return (
    <section aria-labelledby="qa-in-app" className="card">
      <h3 id="qa-in-app" ref={heading} tabIndex={-1}>
        {t('qa.inApp.title')}
      </h3>
      <p className="hint">{t('qa.inApp.layer')}</p>
      {faults === null && (
        <Confirmable
          ask={t('qa.inApp.turnOn')}
          askClass="button-primary"
          question={t('qa.inApp.confirm')}
          yes={t('qa.inApp.confirmYes')}
          no={t('qa.inApp.cancel')}
          busy={false}
          onYes={() => turn(JSON.stringify(NO_FAULTS))}
        />
      )}
      {faults !== null && <FaultControls faults={faults} onTurnOff={() => turn(null)} />}
    </section>
  );
}

function FaultControls({ faults, onTurnOff }: { faults: InAppFaults; onTurnOff(): void }) {
  const { t } = useQaI18n();
  const [form, setForm] = useState<InAppFaultForm>(() => formOf(faults));
  const [bad, setBad] = useState<InAppFaultField[]>([]);
  const [saved, setSaved] = useState(false);
  // The settings the form was last filled from. When the stored ones change under it (another tab,
  // the banner, a link), the form shows them: a stale form's Apply wrote the old settings back.
  const [shown, setShown] = useState(faults);
  if (!sameFaults(shown, faults)) {
    setShown(faults);
    setForm(formOf(faults));
    setBad([]);
    setSaved(false);
  }
  const { ref, refused } = useFocusFirstError<HTMLFormElement>();
  const save = (next: InAppFaults) => {
    setShown(next);
    writeQaFaults(JSON.stringify(next));
    setForm(formOf(next));
    setBad([]);
    setSaved(true);
  };
  const set = <K extends InAppFaultField>(field: K, value: InAppFaultForm[K]) => {
    setSaved(false);
    setForm((f) => ({ ...f, [field]: value }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseInAppForm(form);
    if (parsed.ok) save(parsed.faults);
    else {
      setSaved(false);
      setBad(parsed.fields);
      refused();
    }
  };
  const preset = presetOf(faults);
  const badValue = (field: (typeof NUMBER_FIELDS)[number][0]) => {
    const { min, max, whole } = rangeOf(field);
    return t(whole ? 'qa.inApp.badWhole' : 'qa.inApp.badNumber', { min, max });
  };
  return (
    <>
      <ChoiceGroup
        legend={t('qa.inApp.preset')}
        name="qa-preset"
        value={preset}
        onChange={(name) => save(PRESETS[name])}
        choices={PRESET_NAMES.map((name) => ({ value: name, label: t(PRESET_LABEL[name]) }))}
      />
      <p className="hint">{t('qa.inApp.presetSource')}</p>
      <form onSubmit={submit} noValidate ref={ref}>
        <label className="choice">
          <input type="checkbox" checked={form.offline} onChange={(e) => set('offline', e.target.checked)} />
          <span className="choice-label">{t('qa.inApp.field.offline')}</span>
        </label>
        <label className="choice">
          <input
            type="checkbox"
            checked={form.captivePortal}
            onChange={(e) => set('captivePortal', e.target.checked)}
          />
          <span className="choice-label">{t('qa.inApp.field.captivePortal')}</span>
        </label>
        {NUMBER_FIELDS.map(([field, label]) => (
          <TextField
            key={field}
            label={t(label)}
            inputMode="numeric"
            value={form[field]}
            error={bad.includes(field) ? badValue(field) : undefined}
            onChange={(e) => set(field, e.target.value)}
          />
        ))}
        {bad.length > 0 && <Notice tone="error">{t('qa.inApp.fixFields')}</Notice>}
        {saved && <Notice tone="success">{t('qa.inApp.applied')}</Notice>}
        <button type="submit">{t('qa.inApp.apply')}</button>{' '}
        <button type="button" className="button-secondary" onClick={onTurnOff}>
          {t('qa.inApp.turnOff')}
        </button>
      </form>
    </>
  );
}
