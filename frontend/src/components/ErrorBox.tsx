import { ApiError, errorMessage } from '../api/client';

/** Inline problem-details display: the detail plus any field errors. */
export function ErrorBox({ error, title, inlineFields = [] }: { error: unknown; title?: string; inlineFields?: string[] }) {
  if (!error) return null;
  // Errors for fields that show their own message under the input are not repeated here.
  const shownInline = (f: string | null) => f !== null && inlineFields.some((n) => f === n || f.endsWith(`.${n}`));
  const fields = error instanceof ApiError ? error.fieldErrors.filter((f) => !shownInline(f.field)) : [];
  return (
    <div className="error-box" role="alert">
      {title && <strong>{title} </strong>}
      <span>{errorMessage(error)}</span>
      {fields.length > 0 && (
        <ul>
          {fields.map((f, i) => (
            <li key={i}>
              {f.field && <code>{f.field}</code>} {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Messages the server gave for one form field, shown under the input. */
export function FieldMessage({ error, field }: { error: unknown; field: string }) {
  if (!(error instanceof ApiError)) return null;
  const msgs = error.fieldMessages(field);
  if (!msgs.length) return null;
  return <div className="field-error">{msgs.join(' ')}</div>;
}
