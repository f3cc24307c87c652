import { useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import type { TemplateOut } from '../../api/gen';
import { ErrorBox } from '../../components/ErrorBox';
import { Badge } from '../../components/ui';
import { findPlaceholderProblems, templateTitle } from './placeholders';

interface Props {
  template: TemplateOut;
  /** The writing direction of the template's language: Arabic, Persian, Hebrew are edited right to left. */
  direction?: 'ltr' | 'rtl';
  canEdit: boolean;
  onSave: (text: string) => Promise<unknown>;
  onReset: () => Promise<unknown>;
  onPreview: (text: string) => Promise<{ rendered: string }>;
}

export function TemplateEditor({ template, direction = 'ltr', canEdit, onSave, onReset, onPreview }: Props) {
  const [text, setText] = useState(template.text);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'save' | 'reset' | 'preview' | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);

  // Follow the template when another one (or another language) is picked or a save/reset changes
  // its text. Done during render rather than in an effect: a mount effect could overwrite what the
  // owner typed first.
  const identity = `${template.language}:${template.key}`;
  const [draftOf, setDraftOf] = useState({ identity, text: template.text });
  if (draftOf.identity !== identity || draftOf.text !== template.text) {
    setDraftOf({ identity, text: template.text });
    setText(template.text);
    setPreview(null);
    if (draftOf.identity !== identity) {
      setError(null);
      setSaved(false);
    }
  }

  // A problem the server's refusal already lists (in the alert) is not listed again here.
  const refused = error instanceof ApiError ? error.fieldErrors.map((f) => f.message) : [];
  const problems = findPlaceholderProblems(text, template.placeholders).filter((p) => !refused.includes(p));
  const dirty = text !== template.text;

  const act = async (kind: 'save' | 'reset' | 'preview', fn: () => Promise<unknown>) => {
    setBusy(kind);
    setError(null);
    setSaved(false);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const insert = (name: string) => {
    const el = area.current;
    const token = `{${name}}`;
    if (!el) return setText((t) => t + token);
    const start = el.selectionStart ?? text.length;
    const end = el.selectionEnd ?? text.length;
    const next = text.slice(0, start) + token + text.slice(end);
    setText(next);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(start + token.length, start + token.length);
    });
  };

  return (
    <div className="template-editor">
      <div className="template-editor-head">
        <div>
          <h2>{templateTitle(template.key)}</h2>
          <code className="muted small">{template.key}</code>
        </div>
        {template.is_custom ? <Badge tone="info">customised</Badge> : <Badge>default</Badge>}
      </div>

      <div className="placeholders">
        <span className="muted small">Placeholders:</span>
        {template.placeholders.length === 0 && <span className="muted small">none for this reply</span>}
        {template.placeholders.map((p) => (
          <button key={p} type="button" className="chip chip-button" disabled={!canEdit} onClick={() => insert(p)} title="Insert at cursor">
            {`{${p}}`}
          </button>
        ))}
      </div>

      <textarea
        ref={area}
        aria-label="Template text"
        dir={direction}
        lang={template.language}
        rows={6}
        value={text}
        readOnly={!canEdit}
        onChange={(e) => {
          setText(e.target.value);
          setSaved(false);
        }}
      />

      {problems.length > 0 && (
        <ul className="problems" aria-label="Placeholder problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}

      <ErrorBox error={error} />
      {saved && (
        <div className="notice notice-ok" role="status">
          Saved.
        </div>
      )}

      <div className="button-row">
        {canEdit && (
          <button
            className="btn btn-primary"
            disabled={!dirty || busy !== null}
            onClick={() =>
              act('save', async () => {
                await onSave(text);
                setSaved(true);
              })
            }
          >
            {busy === 'save' ? 'Saving…' : 'Save'}
          </button>
        )}
        <button
          className="btn"
          disabled={busy !== null || !text.trim()}
          onClick={() => act('preview', async () => setPreview((await onPreview(text)).rendered))}
        >
          {busy === 'preview' ? 'Rendering…' : 'Preview'}
        </button>
        {canEdit && dirty && (
          <button className="btn btn-ghost" disabled={busy !== null} onClick={() => setText(template.text)}>
            Discard changes
          </button>
        )}
        {canEdit && template.is_custom && (
          <button className="btn btn-ghost-danger" disabled={busy !== null} onClick={() => act('reset', () => onReset())}>
            {busy === 'reset' ? 'Resetting…' : 'Reset to default'}
          </button>
        )}
      </div>

      {preview !== null && (
        <div className="preview">
          <div className="muted small">Preview with sample values</div>
          <p data-testid="template-preview" dir={direction} lang={template.language}>
            {preview}
          </p>
        </div>
      )}

      {template.is_custom && (
        <details className="default-text">
          <summary>Default text</summary>
          <p dir={direction} lang={template.language}>
            {template.default_text}
          </p>
        </details>
      )}
    </div>
  );
}
