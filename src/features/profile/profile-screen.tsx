/** The patient's profile: saved on the phone first, errors shown field by field in the user's language. */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Patient } from '../../../sync/entities.ts';
import { DiscardChange } from '../../components/discard-change.tsx';
import { FailureNotice } from '../../components/failure-notice.tsx';
import { FieldConflict } from '../../components/field-conflict.tsx';
import { Notice } from '../../components/fields.tsx';
import { PatientFields } from '../../components/patient-fields.tsx';
import { syncLabel } from '../../components/sync-label.ts';
import { saveProfile } from '../../data/patient-writes.ts';
import {
  followRow,
  followValues,
  initialValues,
  isDirty,
  PROFILE_FIELDS,
  type ProfileField,
  type ProfileFormValues,
  toCandidate,
} from '../../data/profile-form-values.ts';
import { useServices } from '../../data/services-context.tsx';
import { dismissConflict, useFieldConflicts } from '../../data/use-field-conflicts.ts';
import { useOwnPatientSync } from '../../data/use-row-sync.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { useDirtyFlag } from '../../lib/dirty-forms.tsx';
import { hrefOf } from '../../lib/router.ts';
import { useAction } from '../../lib/use-action.ts';
import { newUuid } from '../../lib/uuid.ts';
import { type FieldMessage, fieldMessages } from '../../lib/validation-messages.ts';
import { loadProfileDraft, saveProfileDraft } from './profile-draft.ts';

export function ProfileScreen({
  returningToBooking,
  onSaved,
}: {
  returningToBooking: boolean;
  onSaved(): void;
}) {
  const { t } = useI18n();
  // The row and its outbox entries from one read: shown apart, one could run ahead of the other.
  const own = useOwnPatientSync();
  const patient = own?.patient;
  const sync = own?.sync;
  return (
    <section className="screen" aria-labelledby="profile-title">
      <h2 id="profile-title">{t('profile.title')}</h2>
      {returningToBooking && <Notice tone="info">{t('profile.beforeBooking')}</Notice>}
      <p>{t('profile.intro')}</p>
      {own?.otherAccountProfile && (
        <Notice tone="info">
          {t('profile.otherAccount')} <a href={hrefOf('/appointments')}>{t('profile.otherAccountOpen')}</a>
        </Notice>
      )}
      {sync?.kind === 'attention' && <Notice tone="error">{syncLabel(sync, t, 'patients')}</Notice>}
      {sync?.kind === 'attention' && !sync.blockedBy && <DiscardChange mutationId={sync.mutationId} />}
      {patient && sync && sync.kind !== 'attention' && (
        <p className={`sync-label sync-label-${sync.kind}`}>{syncLabel(sync, t, 'patients')}</p>
      )}
      {patient === undefined ? (
        <p className="loading">{t('app.loading')}</p>
      ) : (
        <ProfileForm patient={patient} onSaved={onSaved} />
      )}
    </section>
  );
}

/** This tab's sessionStorage, where the draft lives (none where storage is unavailable). */
const drafts = () => (typeof sessionStorage === 'undefined' ? undefined : sessionStorage);

function ProfileForm({ patient, onSaved }: { patient: Patient | null; onSaved(): void }) {
  const { t, lang } = useI18n();
  const services = useServices();
  // The profile as the form showed it before the user's edits: what an edit is sent against.
  const [shown, setShown] = useState(patient);
  // What was typed before the form was left, over the stored profile (profile-draft.ts).
  const [draft] = useState(() => loadProfileDraft(drafts(), patient?.id ?? null));
  const [values, setValues] = useState<ProfileFormValues>(() => ({
    ...initialValues(patient, lang),
    ...draft,
  }));
  // Fields the user typed in since the last save: they keep the user's text when the row changes.
  const touched = useRef(new Set<ProfileField>(Object.keys(draft) as ProfileField[]));
  const [errors, setErrors] = useState<Partial<Record<ProfileField, FieldMessage>>>({});
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const formRef = useRef<HTMLFormElement>(null);
  const conflicts = useFieldConflicts('patients', patient?.id ?? null);
  useDirtyFlag(isDirty(values, initialValues(shown, lang)));

  // Another tab, a pull or a sync answer changed the stored profile: show it, but keep the user's
  // own unsaved edits (a form open on stale data used to save its stale copy of every field).
  useEffect(() => {
    if (!patient) return;
    setShown((before) => followRow(before, patient, touched.current));
    setValues((before) => followValues(before, patient, touched.current));
  }, [patient]);

  const set = (field: ProfileField) => (value: string) => {
    touched.current.add(field);
    setValues((v) => {
      const next = { ...v, [field]: value };
      saveProfileDraft(drafts(), shown?.id ?? null, next, touched.current);
      return next;
    });
    setSaved(false);
    action.clear();
  };
  const errorText = (field: ProfileField) => {
    const e = errors[field];
    return e ? t(e.key, e.params) : undefined;
  };
  const conflictOf = (field: ProfileField) => {
    const c = conflicts.find((x) => x.field === field);
    return <FieldConflict conflict={c} onDismiss={() => c && void dismissConflict(services.store, c)} />;
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    void action.run(async () => {
      // With nothing shown, toCandidate makes the id now: a first profile, fresh.
      const result = await saveProfile(services, toCandidate(values, shown, newUuid), shown, {
        fresh: shown === null,
      });
      if (!result.ok) {
        const found = fieldMessages(result.issues);
        setErrors(found);
        // Focus the first field in error, so the patient (and a screen reader) lands on it.
        const first = PROFILE_FIELDS.find((f) => f in found);
        formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"] input`)?.focus();
        return;
      }
      setErrors({});
      touched.current.clear();
      saveProfileDraft(drafts(), null, null, touched.current);
      // The row as stored now: the user's changes over what other tabs saved meanwhile.
      setShown(result.row);
      setValues(initialValues(result.row, lang));
      setSaved(true);
      onSaved();
    });
  }

  const errorCount = Object.keys(errors).length;
  return (
    <form ref={formRef} onSubmit={submit} noValidate>
      {errorCount > 0 && <Notice tone="error">{t('profile.errorsSummary', { count: errorCount })}</Notice>}
      <PatientFields values={values} set={set} errorText={errorText} below={conflictOf} />
      {saved && <Notice tone="success">{t('profile.saved')}</Notice>}
      <FailureNotice error={action.error} describe={(message) => t('profile.saveFailed', { message })} />
      <button type="submit" className="button-primary" disabled={action.busy}>
        {t('profile.save')}
      </button>
    </form>
  );
}
