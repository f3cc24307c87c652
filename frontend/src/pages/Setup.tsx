import { useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import { Link } from 'react-router-dom';
import { useApi } from '../deps';
import { useAuth } from '../auth/AuthContext';
import { useLoad } from '../useLoad';
import { useDraft } from '../useDraft';
import { useToast } from '../components/Toast';
import { ErrorBox } from '../components/ErrorBox';
import { Modal } from '../components/Modal';
import { ConfirmButton } from '../components/ConfirmButton';
import { Badge, Card, Empty, LoadError, Loading, PageHeader } from '../components/ui';
import { formatDate } from '../format';
import type { PanelCheck, Provider, ProviderIn } from '../api/types';

function SecretInput({ label, isSet, value, onChange, disabled }: { label: string; isSet: boolean; value: string; onChange: (v: string) => void; disabled?: boolean }) {
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
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        placeholder={isSet ? '•••••••• stored — paste it again to save changes' : 'Paste the key'}
      />
    </Field>
  );
}

function PanelSection() {
  const api = useApi();
  const toast = useToast();
  const { isOwner } = useAuth();
  const panel = useLoad(() => api.setup.panel(), [api]);
  const [url, setUrl] = useDraft(panel.data, (p) => p.url ?? '', '');
  const [adminKey, setAdminKey] = useState('');
  const [userKey, setUserKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [testing, setTesting] = useState(false);
  const [checks, setChecks] = useState<PanelCheck[] | null>(null);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // The server stores the connection as a whole: URL and both keys on every save.
      const saved = await api.setup.savePanel({ url: url.trim(), admin_api_key: adminKey, user_api_key: userKey });
      panel.setData(saved);
      setAdminKey('');
      setUserKey('');
      toast.success('Panel connection saved.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const test = async () => {
    setTesting(true);
    setChecks(null);
    try {
      setChecks((await api.setup.testPanel()).checks);
    } catch (err) {
      toast.error(err);
    } finally {
      setTesting(false);
    }
  };

  return (
    <Card
      title="Your panel"
      actions={
        panel.data?.updated_at && <span className="muted small">Last changed {formatDate(panel.data.updated_at)}</span>
      }
    >
      {panel.loading && !panel.data ? (
        <Loading />
      ) : panel.error ? (
        <LoadError error={panel.error} what="panel settings" />
      ) : (
        <form className="form" onSubmit={save}>
          <p className="muted">
            SupportAI reads tickets, orders and users through your panel's admin API, and services through the user API. Keys are stored encrypted and
            never shown again, so saving asks for both keys each time.
          </p>
          <ErrorBox error={error} inlineFields={['url']} />
          <Field label="Panel URL" name="url" error={error}>
            <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://yourpanel.com" disabled={!isOwner} required />
          </Field>
          <div className="grid-2">
            <SecretInput label="Admin API key" isSet={!!panel.data?.admin_key_set} value={adminKey} onChange={setAdminKey} disabled={!isOwner} />
            <SecretInput label="User API key" isSet={!!panel.data?.user_key_set} value={userKey} onChange={setUserKey} disabled={!isOwner} />
          </div>
          <div className="button-row">
            {isOwner && (
              <button className="btn btn-primary" type="submit" disabled={busy || !url.trim() || !adminKey || !userKey}>
                {busy ? 'Saving…' : 'Save'}
              </button>
            )}
            <button className="btn" type="button" onClick={test} disabled={testing || !panel.data?.url}>
              {testing ? 'Testing…' : 'Test connection'}
            </button>
          </div>
          {checks && (
            <ul className="checks" aria-label="Connection checks">
              {checks.map((c) => (
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
    </Card>
  );
}

interface ProviderForm {
  name: string;
  api_url: string;
  api_key: string;
  telegram_chat: string;
  refill_via_api: boolean;
  cancel_via_api: boolean;
}

const EMPTY_PROVIDER: ProviderForm = {
  name: '',
  api_url: '',
  api_key: '',
  telegram_chat: '',
  refill_via_api: true,
  cancel_via_api: true,
};

function ProviderDialog({ provider, onClose, onSaved }: { provider: Provider | null; onClose: () => void; onSaved: (p: Provider) => void }) {
  const api = useApi();
  const [form, setForm] = useState<ProviderForm>(() =>
    provider
      ? { name: provider.name, api_url: provider.api_url ?? '', api_key: '', telegram_chat: provider.telegram_chat ?? '', refill_via_api: provider.refill_via_api, cancel_via_api: provider.cancel_via_api }
      : { ...EMPTY_PROVIDER },
  );
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (p: Partial<typeof form>) => setForm((f) => ({ ...f, ...p }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: ProviderIn = {
      name: form.name.trim(),
      api_url: form.api_url.trim() || null,
      telegram_chat: form.telegram_chat.trim() || null,
      refill_via_api: form.refill_via_api,
      cancel_via_api: form.cancel_via_api,
    };
    if (form.api_key) body.api_key = form.api_key;
    try {
      const saved = provider ? await api.providers.update(provider.id, body) : await api.providers.create(body);
      onSaved(saved);
      onClose();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Modal
      title={provider ? `Edit ${provider.name}` : 'Add provider'}
      onClose={busy ? undefined : onClose}
      footer={
        <>
          <button className="btn" type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button className="btn btn-primary" type="submit" form="provider-form" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      <form id="provider-form" className="form" onSubmit={submit}>
        <ErrorBox error={error} inlineFields={['name', 'api_url', 'api_key', 'telegram_chat']} />
        <Field label="Name" name="name" error={error} hint="Orders are matched to providers by the panel's provider field.">
          <input value={form.name} onChange={(e) => set({ name: e.target.value })} required placeholder="As in your panel's provider list" />
        </Field>
        <Field label="API URL" name="api_url" error={error} hint="Optional: leave blank for a provider reached only through Telegram.">
          <input type="url" value={form.api_url} onChange={(e) => set({ api_url: e.target.value })} placeholder="https://provider.com/api/v2" />
        </Field>
        <Field
          label={<>API key {provider?.api_key_set && <Badge tone="ok">set</Badge>}</>}
          name="api_key"
          error={error}
        >
          <input
            type="password"
            autoComplete="off"
            value={form.api_key}
            onChange={(e) => set({ api_key: e.target.value })}
            placeholder={provider?.api_key_set ? '•••••••• (leave blank to keep)' : 'Needed for refill/cancel and status through the API'}
          />
        </Field>
        <Field label="Telegram chat" name="telegram_chat" error={error} hint="Where speed-ups, follow-ups and actions without API support are sent.">
          <input value={form.telegram_chat} onChange={(e) => set({ telegram_chat: e.target.value })} placeholder="@provider_support or chat ID" />
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={form.refill_via_api} onChange={(e) => set({ refill_via_api: e.target.checked })} /> Send refills through the provider's
          API
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={form.cancel_via_api} onChange={(e) => set({ cancel_via_api: e.target.checked })} /> Send cancels through the provider's
          API
        </label>
      </form>
    </Modal>
  );
}

function ProvidersSection() {
  const api = useApi();
  const toast = useToast();
  const { isOwner } = useAuth();
  const list = useLoad(() => api.providers.list(), [api]);
  const [editing, setEditing] = useState<Provider | 'new' | null>(null);

  const upsert = (p: Provider) => {
    list.setData((xs) => {
      const arr = xs ?? [];
      return arr.some((x) => x.id === p.id) ? arr.map((x) => (x.id === p.id ? p : x)) : [...arr, p];
    });
    toast.success(`Provider ${p.name} saved.`);
  };

  return (
    <Card
      title="Providers"
      actions={
        isOwner && (
          <button className="btn btn-primary btn-small" onClick={() => setEditing('new')}>
            Add provider
          </button>
        )
      }
    >
      <p className="muted">
        Refill and cancel go through the provider's API where it supports them; everything else goes to the provider's Telegram chat using the dispatch mode from{' '}
        <Link to="/settings">Settings</Link>.
      </p>
      {list.loading && !list.data ? (
        <Loading />
      ) : list.error ? (
        <LoadError error={list.error} what="providers" />
      ) : !list.data?.length ? (
        <Empty>No providers yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>API</th>
                <th>Telegram chat</th>
                <th>Via API</th>
                <th>Added</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {list.data.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>
                    {p.api_url ? (
                      <>
                        <div className="mono small">{p.api_url}</div>
                        {p.api_key_set ? <Badge tone="ok">key set</Badge> : <Badge tone="warn">no key</Badge>}
                      </>
                    ) : (
                      <span className="muted">Telegram only</span>
                    )}
                  </td>
                  <td>{p.telegram_chat || <span className="muted">—</span>}</td>
                  <td className="small">
                    {(p.api_url && [p.refill_via_api && 'refill', p.cancel_via_api && 'cancel'].filter(Boolean).join(', ')) || <span className="muted">none</span>}
                  </td>
                  <td className="small">{formatDate(p.created_at)}</td>
                  <td className="actions">
                    {isOwner && (
                      <>
                        <button className="btn btn-small" onClick={() => setEditing(p)}>
                          Edit
                        </button>
                        <ConfirmButton
                          title="Delete provider"
                          message={`Delete ${p.name}? Orders from this provider will need manual handling.`}
                          confirmLabel="Delete"
                          onConfirm={async () => {
                            try {
                              await api.providers.remove(p.id);
                              list.setData((xs) => (xs ?? []).filter((x) => x.id !== p.id));
                              toast.success(`Provider ${p.name} deleted.`);
                            } catch (err) {
                              toast.error(err);
                            }
                          }}
                        >
                          Delete
                        </ConfirmButton>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && <ProviderDialog provider={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={upsert} />}
    </Card>
  );
}

export function SetupPage() {
  const { isOwner } = useAuth();
  return (
    <div className="page">
      <PageHeader title="Panel & providers" subtitle="Connect your SMM panel and the providers that fulfil its orders." />
      {isOwner ? (
        <>
          <PanelSection />
          <ProvidersSection />
        </>
      ) : (
        <div className="notice">Only the account owner manages the panel and provider connections.</div>
      )}
    </div>
  );
}
