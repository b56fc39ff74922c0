/**
 * A walk-in's registration: the profile's own fields and rules (PatientFields, the entity schema),
 * written under the staff session; the server records the clinic and the staff member. Kept in this
 * component's state only, which the end of the session unmounts.
 */
import { type FormEvent, useRef, useState } from 'react';
import type { Patient } from '../../../sync/entities.ts';
import { FailureNotice } from '../../components/failure-notice.tsx';
import { Notice } from '../../components/fields.tsx';
import { PatientFields } from '../../components/patient-fields.tsx';
import { saveProfile } from '../../data/patient-writes.ts';
import {
  initialValues,
  PROFILE_FIELDS,
  type ProfileField,
  type ProfileFormValues,
  toCandidate,
} from '../../data/profile-form-values.ts';
import { useServices } from '../../data/services-context.tsx';
import { useAction } from '../../lib/use-action.ts';
import { type FieldMessage, fieldMessages } from '../../lib/validation-messages.ts';
import { useKioskI18n } from './kiosk-i18n.ts';

export function RegisterStep({
  patientId,
  onRegistered,
  onCancel,
}: {
  /** Chosen by the session before the write, so the sweep never removes the patient mid-session. */
  patientId: string;
  onRegistered(patient: Patient): void;
  onCancel(): void;
}) {
  const { t, lang } = useKioskI18n();
  const services = useServices();
  const [values, setValues] = useState<ProfileFormValues>(() => initialValues(null, lang));
  const [errors, setErrors] = useState<Partial<Record<ProfileField, FieldMessage>>>({});
  const action = useAction();
  const formRef = useRef<HTMLFormElement>(null);

  const set = (field: ProfileField) => (value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    action.clear();
  };
  const errorText = (field: ProfileField) => {
    const e = errors[field];
    return e ? t(e.key, e.params) : undefined;
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    void action.run(async () => {
      // The session made this id for this walk-in (`newUuid`): the save need not read it first. A
      // second submit after a local save would find the row and save again reading it.
      const result = await saveProfile(
        services,
        toCandidate(values, null, () => patientId),
        null,
        { fresh: true },
      );
      if (!result.ok) {
        const found = fieldMessages(result.issues);
        setErrors(found);
        const first = PROFILE_FIELDS.find((f) => f in found);
        formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"] input`)?.focus();
        return;
      }
      onRegistered(result.row);
    });
  }

  const errorCount = Object.keys(errors).length;
  return (
    <section className="kiosk-screen" aria-labelledby="kiosk-register-title">
      <h2 id="kiosk-register-title">{t('kiosk.register.title')}</h2>
      <p>{t('kiosk.register.intro')}</p>
      <form ref={formRef} onSubmit={submit} noValidate autoComplete="off">
        {errorCount > 0 && <Notice tone="error">{t('profile.errorsSummary', { count: errorCount })}</Notice>}
        <PatientFields values={values} set={set} errorText={errorText} shared />
        <FailureNotice error={action.error} describe={(message) => t('profile.saveFailed', { message })} />
        <div className="kiosk-actions">
          <button type="submit" className="button-primary" disabled={action.busy}>
            {t('kiosk.register.save')}
          </button>
          <button type="button" className="button-secondary" onClick={onCancel}>
            {t('kiosk.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
