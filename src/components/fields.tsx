/**
 * Labelled form controls. Every input has a visible <label>; an error is tied to its input with
 * aria-describedby and aria-invalid, so a screen reader reads it with the field.
 */
import { type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes, useId } from 'react';

interface FieldShell {
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  /**
   * The most characters the field may hold. Shown as a counter ("12 / 120") instead of a maxLength
   * attribute, which would cut a pasted text in silence; going over is refused by the schema, with
   * a message, and nothing is cut.
   */
  limit?: number | undefined;
}

/** "12 / 120", marked when over the limit; read with the field (aria-describedby). */
function Counter({ id, length, limit }: { id: string; length: number; limit: number }) {
  return (
    <p className={`counter${length > limit ? ' counter-over' : ''}`} id={id}>
      {length} / {limit}
    </p>
  );
}

function lengthOf(value: unknown): number {
  return typeof value === 'string' ? value.length : 0;
}

function describedBy(id: string, error?: string, hint?: string, limit?: number): string | undefined {
  const ids = [hint ? `${id}-hint` : null, limit ? `${id}-count` : null, error ? `${id}-error` : null].filter(
    Boolean,
  );
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export function TextField({
  label,
  error,
  hint,
  limit,
  ...input
}: FieldShell & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'maxLength'>) {
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
        aria-describedby={describedBy(id, error, hint, limit)}
        {...input}
      />
      {limit !== undefined && <Counter id={`${id}-count`} length={lengthOf(input.value)} limit={limit} />}
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
  limit,
  ...input
}: FieldShell & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'maxLength'>) {
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
        aria-describedby={describedBy(id, error, hint, limit)}
        {...input}
      />
      {limit !== undefined && <Counter id={`${id}-count`} length={lengthOf(input.value)} limit={limit} />}
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
