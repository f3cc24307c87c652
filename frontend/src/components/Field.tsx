import { cloneElement, useId, type ReactElement, type ReactNode } from 'react';
import { FieldMessage } from './ErrorBox';

interface FieldProps {
  label: ReactNode;
  children: ReactElement<{ id?: string; 'aria-describedby'?: string }>;
  hint?: ReactNode;
  hintWarn?: boolean;
  /** Server field name whose messages (from an ApiError) are shown under the input. */
  name?: string;
  error?: unknown;
  className?: string;
}

/** A labelled form control: the label names the input, the hint describes it. */
export function Field({ label, children, hint, hintWarn, name, error, className }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id, 'aria-describedby': hint ? hintId : undefined })}
      {hint && (
        <small id={hintId} className={hintWarn ? 'hint hint-warn' : 'hint'}>
          {hint}
        </small>
      )}
      {name && <FieldMessage error={error} field={name} />}
    </div>
  );
}
