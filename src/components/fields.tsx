/**
 * Labelled form controls. Every input has a visible <label>; an error is tied to its input with
 * aria-describedby and aria-invalid, so a screen reader reads it with the field.
 */
import { type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes, useId } from 'react';

interface FieldShell {
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
}

function describedBy(errorId: string, hintId: string, error?: string, hint?: string): string | undefined {
  const ids = [hint ? hintId : null, error ? errorId : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export function TextField({
  label,
  error,
  hint,
  ...input
}: FieldShell & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(`${id}-error`, `${id}-hint`, error, hint)}
        {...input}
      />
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

export function TextAreaField({
  label,
  error,
  hint,
  ...input
}: FieldShell & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <textarea
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(`${id}-error`, `${id}-hint`, error, hint)}
        {...input}
      />
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

export interface Choice<V extends string> {
  value: V;
  label: string;
  description?: string;
  disabled?: boolean;
}

/** A radio group in a fieldset: the legend names the group, each option is a large tap target. */
export function ChoiceGroup<V extends string>({
  legend,
  name,
  choices,
  value,
  onChange,
  error,
  legendAs = 'legend',
}: {
  legend: string;
  name: string;
  choices: readonly Choice<V>[];
  value: V | null;
  onChange(value: V): void;
  error?: string | undefined;
  /** 'heading' renders the legend as the step's heading (the booking steps). */
  legendAs?: 'legend' | 'heading';
}) {
  const id = useId();
  return (
    <fieldset
      className="choices"
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>
        {legendAs === 'heading' ? (
          <h3 className="legend-heading" tabIndex={-1}>
            {legend}
          </h3>
        ) : (
          legend
        )}
      </legend>
      {choices.map((c) => (
        <label key={c.value} className={`choice${c.disabled ? ' choice-disabled' : ''}`}>
          <input
            type="radio"
            name={`${name}-${id}`}
            value={c.value}
            checked={value === c.value}
            disabled={c.disabled}
            onChange={() => onChange(c.value)}
          />
          <span className="choice-text">
            <span className="choice-label">{c.label}</span>
            {c.description && <span className="choice-description">{c.description}</span>}
          </span>
        </label>
      ))}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

export function Notice({
  tone,
  children,
}: {
  tone: 'info' | 'success' | 'warning' | 'error';
  children: ReactNode;
}) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
