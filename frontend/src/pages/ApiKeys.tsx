import { useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import { useAuth } from '../auth/AuthContext';
import { useToast } from '../components/Toast';
import { ErrorBox, FieldMessage } from '../components/ErrorBox';
import { Modal } from '../components/Modal';
import { CopyButton } from '../components/CopyButton';
import { ConfirmButton } from '../components/ConfirmButton';
import { ListView, type Column } from '../components/DataTable';
import { Badge, PageHeader } from '../components/ui';
import { formatDate } from '../format';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyCreatedOut, type ApiKeyIn, type ApiKeyOut } from '../api/gen';
import { keys, useApiMutation, useApiQuery } from '../api/queries';

type ApiScope = ApiKeyIn['scopes'][number];

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

function CreateKeyDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (k: ApiKeyCreatedOut) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>(['messages:write']);
  const create = useApiMutation((client, body: ApiKeyIn) => createApiKey({ client, body }), { invalidates: [keys.apiKeys], onSuccess: onCreated });
  const { error, isPending: busy } = create;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name: name.trim(), scopes });
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
          {(Object.keys(SCOPE_HELP) as ApiScope[]).map((s) => (
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

const columns = (revoke: (k: ApiKeyOut) => Promise<unknown>): Column<ApiKeyOut>[] => [
  { key: 'name', header: 'Name', cell: (k) => k.name },
  { key: 'key', header: 'Key', className: 'mono', cell: (k) => `${k.prefix}…` },
  {
    key: 'scopes',
    header: 'Scopes',
    cell: (k) => (
      <ul className="chips">
        {k.scopes.map((s) => (
          <li key={s} className="chip">
            {s}
          </li>
        ))}
      </ul>
    ),
  },
  { key: 'created', header: 'Created', className: 'small', cell: (k) => formatDate(k.created_at) },
  { key: 'used', header: 'Last used', className: 'small', cell: (k) => (k.last_used_at ? formatDate(k.last_used_at) : <span className="muted">never</span>) },
  { key: 'status', header: 'Status', cell: (k) => (k.revoked_at ? <Badge tone="bad">revoked</Badge> : <Badge tone="ok">active</Badge>) },
  {
    key: 'actions',
    header: 'Actions',
    hideHeader: true,
    className: 'actions',
    cell: (k) =>
      !k.revoked_at && (
        <ConfirmButton
          title="Revoke API key"
          message={`Revoke "${k.name}" (${k.prefix}…)? Anything using it stops working at once.`}
          confirmLabel="Revoke"
          onConfirm={() => revoke(k)}
        >
          Revoke
        </ConfirmButton>
      ),
  },
];

export function ApiKeysPage() {
  const toast = useToast();
  const { isOwner } = useAuth();
  const list = useApiQuery(keys.apiKeys, listApiKeys, { enabled: isOwner });
  const revoke = useApiMutation((client, k: ApiKeyOut) => revokeApiKey({ client, path: { key_id: k.id } }), {
    invalidates: [keys.apiKeys],
    onSuccess: (_, k) => toast.success(`Key "${k.name}" revoked.`),
  });
  const [creating, setCreating] = useState(false);
  const [fresh, setFresh] = useState<ApiKeyCreatedOut | null>(null);

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
      <ListView
        source={list}
        what="API keys"
        empty="No API keys yet."
        columns={columns(revoke.mutateAsync)}
        rowKey={(k) => k.id}
        rowProps={(k) => ({ className: k.revoked_at ? 'row-muted' : '' })}
      />
      {creating && (
        <CreateKeyDialog
          onClose={() => setCreating(false)}
          onCreated={(k) => {
            setCreating(false);
            setFresh(k);
          }}
        />
      )}
      {fresh && <SecretOnceDialog title={`API key "${fresh.name}" created`} what="API key" secret={fresh.key} onClose={() => setFresh(null)} />}
    </div>
  );
}
