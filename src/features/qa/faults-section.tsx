/**
 * Network faults through the local gateway: a form for the settings, what the gateway reads back,
 * and the requests it has seen per path. Without the local stack it says so and offers a re-check.
 */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { FaultSettings } from '../../../supabase/local/fault-settings.ts';
import { FailureNotice } from '../../components/failure-notice.tsx';
import { ChoiceGroup, Notice, TextField } from '../../components/fields.tsx';
import type { QaMessageKey } from '../../i18n/messages-qa-en.ts';
import { type QaTranslate, useQaI18n } from '../../i18n/qa-i18n.ts';
import { useAction } from '../../lib/use-action.ts';
import {
  FAIL_STATUSES,
  type FailStatusChoice,
  type FaultField,
  type FaultForm,
  type FieldErrors,
  type FieldProblem,
  formFromFaults,
  parseFaultForm,
  refusedFields,
} from './fault-form.ts';
import type { GatewayStats } from './gateway-client.ts';
import { type FaultGateway, useFaultGateway } from './use-fault-gateway.ts';

const FIELD_LABEL: Readonly<Record<FaultField, QaMessageKey>> = {
  offline: 'qa.faults.offline',
  latencyMs: 'qa.faults.latency',
  failRatePercent: 'qa.faults.failRate',
  failStatus: 'qa.faults.failStatus',
  retryAfterSeconds: 'qa.faults.retryAfter',
  dropRatePercent: 'qa.faults.dropRate',
  failNext: 'qa.faults.failNext',
  dropNext: 'qa.faults.dropNext',
};

const STATUS_LABEL: Readonly<Record<FailStatusChoice, QaMessageKey>> = {
  '503': 'qa.faults.status503',
  '500': 'qa.faults.status500',
  '429': 'qa.faults.status429',
};

function problemText(t: QaTranslate, problem: FieldProblem | undefined): string | undefined {
  if (!problem) return undefined;
  switch (problem.kind) {
    case 'required':
      return t('qa.error.required');
    case 'notNumber':
      return t('qa.error.notNumber');
    case 'notWhole':
      return t('qa.error.notWhole');
    case 'range':
      return t('qa.error.range', { min: problem.min, max: problem.max });
    case 'atLeast':
      return t('qa.error.atLeast', { min: problem.min });
    case 'refused':
      return t('qa.error.refused', { reason: problem.message });
  }
}

type Feedback = { tone: 'success' | 'error'; text: string } | null;

export function FaultsSection() {
  const { t } = useQaI18n();
  const gateway = useFaultGateway();
  const { state } = gateway;
  return (
    <section aria-labelledby="qa-faults" className="card">
      <h3 id="qa-faults">{t('qa.faults.title')}</h3>
      <p className="hint">{t('qa.inApp.gatewayLayer')}</p>
      {state.kind === 'checking' && <p className="loading">{t('qa.faults.checking')}</p>}
      {(state.kind === 'unavailable' || state.kind === 'offline') && (
        <>
          <Notice tone="info">
            {t(state.kind === 'offline' ? 'qa.faults.deviceOffline' : 'qa.faults.needsLocalStack')}
          </Notice>
          <button type="button" className="button-secondary" onClick={gateway.check}>
            {t('qa.faults.checkAgain')}
          </button>
        </>
      )}
      {state.kind === 'ready' && (
        <>
          <FaultsForm gateway={gateway} faults={state.faults} />
          <CurrentSettings faults={state.faults} />
          <RequestCounts stats={state.stats} onRefresh={gateway.refresh} />
        </>
      )}
    </section>
  );
}

function FaultsForm({ gateway, faults }: { gateway: FaultGateway; faults: FaultSettings }) {
  const { t } = useQaI18n();
  // Filled from the gateway once; afterwards from each answer to Apply or Reset.
  const [form, setForm] = useState<FaultForm>(() => formFromFaults(faults));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [feedback, setFeedback] = useState<Feedback>(null);
  const { busy, error, run } = useAction();
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (Object.keys(errors).length > 0)
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const set = <K extends FaultField>(field: K, value: FaultForm[K]) => {
    setForm((f) => ({ ...f, [field]: value }));
    setErrors((e) => {
      const { [field]: _cleared, ...rest } = e;
      return rest;
    });
  };

  function send(action: 'apply' | 'reset'): void {
    setFeedback(null);
    if (action === 'reset') {
      void run(async () => show(action, await gateway.reset()));
      return;
    }
    const parsed = parseFaultForm(form);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      setFeedback({ tone: 'error', text: t('qa.faults.fixFields') });
      return;
    }
    void run(async () => show(action, await gateway.apply(parsed.patch)));
  }

  function show(action: 'apply' | 'reset', answer: Awaited<ReturnType<FaultGateway['apply']>>): void {
    switch (answer.kind) {
      case 'ok':
        setForm(formFromFaults(answer.value));
        setErrors({});
        setFeedback({
          tone: 'success',
          text: t(action === 'apply' ? 'qa.faults.applied' : 'qa.faults.resetDone'),
        });
        void gateway.refresh();
        return;
      case 'refused': {
        const refusal = refusedFields(answer.body);
        setErrors(refusal.errors);
        const names = [
          ...Object.keys(refusal.errors).map((f) => t(FIELD_LABEL[f as FaultField])),
          ...refusal.otherSettings,
        ];
        setFeedback({
          tone: 'error',
          text: t('qa.faults.refused', { fields: names.join(', ') || refusal.message }),
        });
        return;
      }
      case 'unreachable':
        setFeedback({ tone: 'error', text: t('qa.faults.unreachable', { detail: answer.detail }) });
        return;
    }
  }

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    send('apply');
  };

  const numberField = (field: Exclude<FaultField, 'offline' | 'failStatus'>, hint?: QaMessageKey) => (
    <TextField
      label={t(FIELD_LABEL[field])}
      hint={hint ? t(hint) : undefined}
      error={problemText(t, errors[field])}
      type="number"
      inputMode={field.endsWith('Percent') ? 'decimal' : 'numeric'}
      step={field.endsWith('Percent') ? 'any' : 1}
      min={0}
      value={form[field]}
      onChange={(e) => set(field, e.target.value)}
    />
  );

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate>
      <label className="choice">
        <input type="checkbox" checked={form.offline} onChange={(e) => set('offline', e.target.checked)} />
        <span className="choice-text">
          <span className="choice-label">{t('qa.faults.offline')}</span>
          <span className="choice-description">{t('qa.faults.offlineHint')}</span>
        </span>
      </label>
      {numberField('latencyMs')}
      {numberField('failRatePercent', 'qa.faults.failRateHint')}
      <ChoiceGroup
        legend={t('qa.faults.failStatus')}
        name="qa-fail-status"
        choices={FAIL_STATUSES.map((s) => ({ value: s, label: t(STATUS_LABEL[s]) }))}
        value={form.failStatus}
        onChange={(v) => set('failStatus', v)}
        error={problemText(t, errors.failStatus)}
      />
      {numberField('retryAfterSeconds', 'qa.faults.retryAfterHint')}
      {numberField('dropRatePercent', 'qa.faults.dropRateHint')}
      {numberField('failNext')}
      {numberField('dropNext')}
      {feedback && <Notice tone={feedback.tone}>{feedback.text}</Notice>}
      <FailureNotice error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t('qa.faults.apply')}
        </button>
        <button type="button" className="button-secondary" disabled={busy} onClick={() => send('reset')}>
          {t('qa.faults.reset')}
        </button>
      </div>
    </form>
  );
}

function CurrentSettings({ faults }: { faults: FaultSettings }) {
  const { t } = useQaI18n();
  const percent = (rate: number) => `${Math.round(rate * 100_000) / 1000} %`;
  return (
    <section aria-labelledby="qa-faults-current">
      <h4 id="qa-faults-current">{t('qa.faults.current')}</h4>
      <dl className="summary">
        <dt>{t('qa.faults.offline')}</dt>
        <dd>{t(faults.offline ? 'qa.yes' : 'qa.no')}</dd>
        <dt>{t('qa.faults.latency')}</dt>
        <dd>{faults.latencyMs}</dd>
        <dt>{t('qa.faults.failRate')}</dt>
        <dd>{percent(faults.failRate)}</dd>
        <dt>{t('qa.faults.failStatus')}</dt>
        <dd>{faults.failStatus}</dd>
        <dt>{t('qa.faults.retryAfter')}</dt>
        <dd>{faults.retryAfterSeconds ?? t('qa.none')}</dd>
        <dt>{t('qa.faults.dropRate')}</dt>
        <dd>{percent(faults.dropRate)}</dd>
        <dt>{t('qa.faults.failNext')}</dt>
        <dd>{faults.failNext}</dd>
        <dt>{t('qa.faults.dropNext')}</dt>
        <dd>{faults.dropNext}</dd>
        <dt>{t('qa.faults.match')}</dt>
        <dd>
          <code>{faults.match}</code>
        </dd>
      </dl>
    </section>
  );
}

function RequestCounts({ stats, onRefresh }: { stats: GatewayStats | null; onRefresh(): Promise<boolean> }) {
  const { t } = useQaI18n();
  const refresh = useAction();
  const rows = stats ? Object.entries(stats).sort(([a], [b]) => a.localeCompare(b)) : [];
  return (
    <section aria-labelledby="qa-stats">
      <h4 id="qa-stats">{t('qa.stats.title')}</h4>
      <FailureNotice error={refresh.error} describe={() => t('qa.stats.failed')} />
      {stats === null ? (
        <p>{t('qa.stats.unavailable')}</p>
      ) : rows.length === 0 ? (
        <p>{t('qa.stats.empty')}</p>
      ) : (
        <table style={{ width: '100%', borderCollapse: 'collapse' }}>
          <thead>
            <tr>
              <th scope="col" style={{ textAlign: 'start' }}>
                {t('qa.stats.path')}
              </th>
              <th scope="col" style={{ textAlign: 'end' }}>
                {t('qa.stats.count')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([path, count]) => (
              <tr key={path}>
                <td style={{ overflowWrap: 'anywhere' }}>
                  <code>{path}</code>
                </td>
                <td style={{ textAlign: 'end' }}>{count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button
        type="button"
        className="button-secondary"
        disabled={refresh.busy}
        onClick={() =>
          void refresh.run(async () => {
            if (!(await onRefresh())) refresh.fail('gateway unreachable');
          })
        }
      >
        {t('qa.stats.refresh')}
      </button>
    </section>
  );
}
