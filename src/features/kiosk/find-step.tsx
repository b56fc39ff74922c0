/**
 * Finding a returning patient: by phone + year of birth, or by name + date of birth, among the
 * clinic's patients this tablet has an entry for. The answer shows only a first name and a year; an
 * empty query or a near miss finds nobody (there is no list to browse).
 */
import { type FormEvent, useState } from 'react';
import { type Choice, ChoiceGroup, Notice, TextField } from '../../components/fields.tsx';
import type { PatientIndex } from '../../data/kiosk-index.ts';
import { limitedFind } from '../../data/kiosk-lookup-limit.ts';
import type { MatchedPatient, MatchQuery } from '../../data/kiosk-match.ts';
import { useFocusFirstError } from '../../lib/focus.ts';
import { useAction } from '../../lib/use-action.ts';
import { type Checked, checkFind } from './kiosk-checks.ts';
import { useKioskI18n } from './kiosk-i18n.ts';
import { matchLabels } from './match-labels.ts';

type By = MatchQuery['kind'];

export function FindStep({
  index,
  onFound,
  onNew,
  onCancel,
}: {
  index: Pick<PatientIndex, 'find'>;
  onFound(patient: MatchedPatient): void;
  onNew(): void;
  onCancel(): void;
}) {
  const { t, lang } = useKioskI18n();
  const [by, setBy] = useState<By>('phone');
  const [text, setText] = useState('');
  const [birth, setBirth] = useState('');
  const [found, setFound] = useState<MatchedPatient[] | null>(null);
  // Minutes to wait before searching again: too many searches found nobody (kiosk-lookup-limit.ts).
  const [waitMinutes, setWaitMinutes] = useState<number | null>(null);
  const action = useAction();
  const [errors, setErrors] = useState<Checked<'text' | 'birth'>>({});
  const { ref, refused } = useFocusFirstError<HTMLFormElement>();
  const error = (field: 'text' | 'birth') => {
    const problem = errors[field];
    return problem ? t(problem.key, problem.params) : undefined;
  };
  const choices: Choice<By>[] = [
    { value: 'phone', label: t('kiosk.find.byPhone') },
    { value: 'name', label: t('kiosk.find.byName') },
  ];

  function submit(e: FormEvent) {
    e.preventDefault();
    const problems = checkFind(by, text, birth);
    setErrors(problems);
    if (Object.keys(problems).length > 0) {
      setFound(null);
      return refused();
    }
    void action.run(async () => {
      const out = await limitedFind(() => index.find({ kind: by, text, birth: birth.trim() }), Date.now);
      setWaitMinutes(out.kind === 'wait' ? Math.ceil(out.ms / 60_000) : null);
      setFound(out.kind === 'found' ? out.matches : null);
    });
  }

  return (
    <section className="kiosk-screen" aria-labelledby="kiosk-find-title">
      <h2 id="kiosk-find-title">{t('kiosk.find.title')}</h2>
      <form onSubmit={submit} noValidate autoComplete="off" ref={ref}>
        <ChoiceGroup
          legend={t('kiosk.find.how')}
          name="find-by"
          choices={choices}
          value={by}
          onChange={(v) => {
            setBy(v);
            setBirth('');
            setErrors({});
            setFound(null);
          }}
        />
        {by === 'phone' ? (
          <>
            <TextField
              label={t('kiosk.find.phone')}
              type="tel"
              inputMode="tel"
              value={text}
              error={error('text')}
              onChange={(e) => setText(e.target.value)}
            />
            <TextField
              label={t('kiosk.find.birthYear')}
              inputMode="numeric"
              error={error('birth')}
              value={birth}
              onChange={(e) => setBirth(e.target.value)}
            />
          </>
        ) : (
          <>
            <TextField
              label={t('kiosk.find.name')}
              error={error('text')}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
            <TextField
              label={t('profile.dateOfBirth')}
              type="date"
              error={error('birth')}
              value={birth}
              onChange={(e) => setBirth(e.target.value)}
            />
          </>
        )}
        <div className="kiosk-actions">
          <button type="submit" className="button-primary" disabled={action.busy}>
            {t('kiosk.find.search')}
          </button>
          <button type="button" className="button-secondary" onClick={onCancel}>
            {t('kiosk.cancel')}
          </button>
        </div>
      </form>
      {waitMinutes !== null && (
        <>
          <Notice tone="error">{t('kiosk.find.wait', { minutes: waitMinutes })}</Notice>
          <button type="button" className="button-secondary" onClick={onNew}>
            {t('kiosk.home.new')}
          </button>
        </>
      )}
      {found && found.length === 0 && (
        <>
          <Notice tone="warning">{t('kiosk.find.none')}</Notice>
          <button type="button" className="button-secondary" onClick={onNew}>
            {t('kiosk.home.new')}
          </button>
        </>
      )}
      {found && found.length > 0 && (
        <div className="kiosk-matches">
          <p id="kiosk-find-confirm">{t('kiosk.find.confirm')}</p>
          {found.length > 1 && <p className="hint">{t('kiosk.find.several')}</p>}
          {matchLabels(found, t, lang).map(({ match, label }) => (
            <button
              key={match.patientId}
              type="button"
              className="button-primary kiosk-big"
              onClick={() => onFound(match)}
            >
              {label}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
