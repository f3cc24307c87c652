import { useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import { useApi } from '../deps';
import { useAuth } from '../auth/AuthContext';
import { useLoad } from '../useLoad';
import { useToast } from '../components/Toast';
import { ErrorBox, FieldMessage } from '../components/ErrorBox';
import { Modal } from '../components/Modal';
import { CopyButton } from '../components/CopyButton';
import { ConfirmButton } from '../components/ConfirmButton';
import { Badge, Empty, LoadError, Loading, PageHeader } from '../components/ui';
import { formatDate } from '../format';
import { API_SCOPES, type ApiKey, type ApiKeyCreated, type ApiScope } from '../api/types';

const SCOPE_HELP: Record<ApiScope, string> = {
  'messages:write': 'Send customer messages on behalf of customers',
  'messages:read': 'Read messages and replies',
  'requests:read': 'Read support requests and their status',
};

/** Shows a new secret exactly once; the caller drops it from state on close. */
export function SecretOnceDialog({
  title,
  secret,
  what,
  note,
  onClose,
}: {
  title: string;
  secret: string;
  what: string;
  note?: string;
  onClose: () => void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <Modal
      title={title}
      footer={
        <button className="btn btn-primary" onClick={onClose}>
          {copied ? 'Done' : "I've saved it"}
        </button>
      }
    >
      <div className="warning" role="note">
        <strong>Copy it now.</strong> This is the only time the {what} is shown. We store only a hash, so it cannot be shown again; if you lose it, create a new one.
      </div>
      <div className="secret-row">
        <input className="mono secret" readOnly value={secret} aria-label={`New ${what}`} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={secret} onCopied={() => setCopied(true)} />
      </div>
      {note && <p className="muted small secret-note">{note}</p>}
    </Modal>
  );
}

function CreateKeyDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (k: ApiKeyCreated) => void }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>(['messages:write']);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onCreated(await api.apiKeys.create(name.trim(), scopes));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Modal
      title="Create API key"
      onClose={busy ? undefined : onClose}
      footer={
        <>
          <button className="btn" type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button className="btn btn-primary" type="submit" form="create-key" disabled={busy || !name.trim() || scopes.length === 0}>
            {busy ? 'Creating…' : 'Create key'}
          </button>
        </>
      }
    >
      <form id="create-key" className="form" onSubmit={submit}>
        <ErrorBox error={error} inlineFields={['name', 'scopes']} />
        <Field label="Name" name="name" error={error}>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Website chat widget" required autoFocus />
        </Field>
        <fieldset className="fieldset">
          <legend>Scopes</legend>
          {API_SCOPES.map((s) => (
            <label key={s} className="checkbox">
              <input
                type="checkbox"
                checked={scopes.includes(s)}
                onChange={(e) => setScopes((xs) => (e.target.checked ? [...xs, s] : xs.filter((x) => x !== s)))}
              />{' '}
              <code>{s}</code> <span className="muted small">{SCOPE_HELP[s]}</span>
            </label>
          ))}
          <FieldMessage error={error} field="scopes" />
        </fieldset>
      </form>
    </Modal>
  );
}

export function ApiKeysPage() {
  const api = useApi();
  const toast = useToast();
  const { isOwner } = useAuth();
  const list = useLoad(() => (isOwner ? api.apiKeys.list() : Promise.resolve([])), [api, isOwner]);
  const [creating, setCreating] = useState(false);
  const [fresh, setFresh] = useState<ApiKeyCreated | null>(null);

  const created = (k: ApiKeyCreated) => {
    setCreating(false);
    const { key: _secret, ...rest } = k;
    void _secret;
    list.setData((xs) => [rest as ApiKey, ...(xs ?? [])]);
    setFresh(k);
  };

  if (!isOwner) {
    return (
      <div className="page">
        <PageHeader title="API keys" />
        <div className="notice">Only the account owner manages API keys.</div>
      </div>
    );
  }

  return (
    <div className="page">
      <PageHeader
        title="API keys"
        subtitle={
          <>
            Let your own systems post customer messages and read requests. Send the key in the <code>X-API-Key</code> header.
          </>
        }
        actions={
          <button className="btn btn-primary" onClick={() => setCreating(true)}>
            Create API key
          </button>
        }
      />
      {list.loading && !list.data ? (
        <Loading />
      ) : list.error ? (
        <LoadError error={list.error} what="API keys" />
      ) : !list.data?.length ? (
        <Empty>No API keys yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th>Scopes</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Status</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {list.data.map((k) => (
                <tr key={k.id} className={k.revoked_at ? 'row-muted' : ''}>
                  <td>{k.name}</td>
                  <td className="mono">{k.prefix}…</td>
                  <td>
                    <ul className="chips">
                      {k.scopes.map((s) => (
                        <li key={s} className="chip">
                          {s}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td className="small">{formatDate(k.created_at)}</td>
                  <td className="small">{k.last_used_at ? formatDate(k.last_used_at) : <span className="muted">never</span>}</td>
                  <td>{k.revoked_at ? <Badge tone="bad">revoked</Badge> : <Badge tone="ok">active</Badge>}</td>
                  <td className="actions">
                    {!k.revoked_at && (
                      <ConfirmButton
                        title="Revoke API key"
                        message={`Revoke "${k.name}" (${k.prefix}…)? Anything using it stops working at once.`}
                        confirmLabel="Revoke"
                        onConfirm={async () => {
                          try {
                            await api.apiKeys.revoke(k.id);
                            list.setData((xs) => (xs ?? []).map((x) => (x.id === k.id ? { ...x, revoked_at: new Date().toISOString() } : x)));
                            toast.success(`Key "${k.name}" revoked.`);
                          } catch (err) {
                            toast.error(err);
                          }
                        }}
                      >
                        Revoke
                      </ConfirmButton>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creating && <CreateKeyDialog onClose={() => setCreating(false)} onCreated={created} />}
      {fresh && <SecretOnceDialog title={`API key "${fresh.name}" created`} what="API key" secret={fresh.key} onClose={() => setFresh(null)} />}
    </div>
  );
}
