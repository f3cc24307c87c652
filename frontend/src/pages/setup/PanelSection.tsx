import { useState, type FormEvent } from 'react';
import { Field } from '../../components/Field';
import { useToast } from '../../components/Toast';
import { ErrorBox } from '../../components/ErrorBox';
import { QueryView } from '../../components/QueryView';
import { Badge, Card } from '../../components/ui';
import { useDraft } from '../../useDraft';
import { formatDate } from '../../format';
import { usePanel, useSavePanel, useTestPanel } from './queries';

export function SecretInput({ label, isSet, value, onChange }: { label: string; isSet: boolean; value: string; onChange: (v: string) => void }) {
  return (
    <Field
      label={
        <>
          {label} {isSet ? <Badge tone="ok">set</Badge> : <Badge tone="warn">not set</Badge>}
        </>
      }
    >
      <input
        type="password"
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={isSet ? '•••••••• stored — paste it again to save changes' : 'Paste the key'}
      />
    </Field>
  );
}

export function PanelSection() {
  const toast = useToast();
  const panel = usePanel();
  const save = useSavePanel();
  const test = useTestPanel();
  const [url, setUrl] = useDraft(panel.data, (p) => p.url ?? '', '');
  const [adminKey, setAdminKey] = useState('');
  const [userKey, setUserKey] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The server stores the connection as a whole: URL and both keys on every save.
    save.mutate(
      { url: url.trim(), admin_api_key: adminKey, user_api_key: userKey },
      {
        onSuccess: () => {
          setAdminKey('');
          setUserKey('');
          test.reset();
          toast.success('Panel connection saved.');
        },
      },
    );
  };

  return (
    <Card
      title="Your panel"
      id="panel"
      actions={panel.data?.updated_at && <span className="muted small">Last changed {formatDate(panel.data.updated_at)}</span>}
    >
      <QueryView query={panel} what="panel settings">
        {(p) => (
          <form className="form" onSubmit={submit}>
            <p className="muted">
              SupportAI reads tickets, orders and users through your panel's admin API, and services through the user API. Keys are stored encrypted and
              never shown again, so saving asks for both keys each time.
            </p>
            <ErrorBox error={save.error} inlineFields={['url']} />
            <Field label="Panel URL" name="url" error={save.error}>
              <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://yourpanel.com" required />
            </Field>
            <div className="grid-2">
              <SecretInput label="Admin API key" isSet={p.admin_key_set} value={adminKey} onChange={setAdminKey} />
              <SecretInput label="User API key" isSet={p.user_key_set} value={userKey} onChange={setUserKey} />
            </div>
            <div className="button-row">
              <button className="btn btn-primary" type="submit" disabled={save.isPending || !url.trim() || !adminKey || !userKey}>
                {save.isPending ? 'Saving…' : 'Save'}
              </button>
              <button className="btn" type="button" onClick={() => test.mutate()} disabled={test.isPending || !p.url}>
                {test.isPending ? 'Testing…' : 'Test connection'}
              </button>
            </div>
            <ErrorBox error={test.error} title="The test could not run." />
            {test.data && (
              <ul className="checks" aria-label="Connection checks">
                {test.data.checks.map((c) => (
                  <li key={c.name}>
                    <span className={`dot ${c.ok ? 'dot-ok' : 'dot-bad'}`} aria-hidden="true" />
                    <strong>{c.name}</strong> <Badge tone={c.ok ? 'ok' : 'bad'}>{c.ok ? 'OK' : 'failed'}</Badge>
                    {c.detail && <span className="muted small"> {c.detail}</span>}
                  </li>
                ))}
              </ul>
            )}
          </form>
        )}
      </QueryView>
    </Card>
  );
}
