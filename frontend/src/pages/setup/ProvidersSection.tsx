import { useState, type FormEvent } from 'react';
import type { ProviderIn, ProviderOut } from '../../api/gen';
import { Field } from '../../components/Field';
import { useToast } from '../../components/Toast';
import { ErrorBox } from '../../components/ErrorBox';
import { Modal } from '../../components/Modal';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ListView, type Column } from '../../components/DataTable';
import { Badge, Card } from '../../components/ui';
import { formatDate } from '../../format';
import { useDeleteProvider, useProviders, useSaveProvider } from './queries';

interface ProviderForm {
  name: string;
  api_url: string;
  api_key: string;
  telegram_chat: string;
  refill_via_api: boolean;
  cancel_via_api: boolean;
}

function toForm(provider: ProviderOut | null): ProviderForm {
  if (!provider) return { name: '', api_url: '', api_key: '', telegram_chat: '', refill_via_api: true, cancel_via_api: true };
  const { name, api_url, telegram_chat, refill_via_api, cancel_via_api } = provider;
  return { name, api_url: api_url ?? '', api_key: '', telegram_chat: telegram_chat ?? '', refill_via_api, cancel_via_api };
}

function ProviderDialog({ provider, onClose }: { provider: ProviderOut | null; onClose: () => void }) {
  const toast = useToast();
  const save = useSaveProvider();
  const [form, setForm] = useState<ProviderForm>(() => toForm(provider));
  const set = (p: Partial<ProviderForm>) => setForm((f) => ({ ...f, ...p }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: ProviderIn = {
      name: form.name.trim(),
      api_url: form.api_url.trim() || null,
      telegram_chat: form.telegram_chat.trim() || null,
      refill_via_api: form.refill_via_api,
      cancel_via_api: form.cancel_via_api,
    };
    if (form.api_key) body.api_key = form.api_key; // blank keeps the stored key
    save.mutate(
      { id: provider?.id ?? null, body },
      {
        onSuccess: (saved) => {
          toast.success(`Provider ${saved.name} saved.`);
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      title={provider ? `Edit ${provider.name}` : 'Add provider'}
      onClose={save.isPending ? undefined : onClose}
      footer={
        <>
          <button className="btn" type="button" onClick={onClose} disabled={save.isPending}>
            Cancel
          </button>
          <button className="btn btn-primary" type="submit" form="provider-form" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      <form id="provider-form" className="form" onSubmit={submit}>
        <ErrorBox error={save.error} inlineFields={['name', 'api_url', 'api_key', 'telegram_chat']} />
        <Field label="Name" name="name" error={save.error} hint="Orders are matched to providers by the panel's provider field.">
          <input value={form.name} onChange={(e) => set({ name: e.target.value })} required placeholder="As in your panel's provider list" />
        </Field>
        <Field label="API URL" name="api_url" error={save.error} hint="Optional: leave blank for a provider reached only through Telegram.">
          <input type="url" value={form.api_url} onChange={(e) => set({ api_url: e.target.value })} placeholder="https://provider.com/api/v2" />
        </Field>
        <Field label={<>API key {provider?.api_key_set && <Badge tone="ok">set</Badge>}</>} name="api_key" error={save.error}>
          <input
            type="password"
            autoComplete="off"
            value={form.api_key}
            onChange={(e) => set({ api_key: e.target.value })}
            placeholder={provider?.api_key_set ? '•••••••• (leave blank to keep)' : 'Needed for refill/cancel and status through the API'}
          />
        </Field>
        <Field label="Telegram chat" name="telegram_chat" error={save.error} hint="Where speed-ups, follow-ups and actions without API support are sent.">
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

function ProviderActions({ provider, onEdit }: { provider: ProviderOut; onEdit: () => void }) {
  const toast = useToast();
  const remove = useDeleteProvider();
  return (
    <>
      <button className="btn btn-small" onClick={onEdit}>
        Edit
      </button>
      <ConfirmButton
        title="Delete provider"
        message={`Delete ${provider.name}? Orders from this provider will need manual handling.`}
        confirmLabel="Delete"
        onConfirm={() =>
          remove.mutateAsync(provider.id).then(
            () => toast.success(`Provider ${provider.name} deleted.`),
            (err) => toast.error(err),
          )
        }
      >
        Delete
      </ConfirmButton>
    </>
  );
}

export function ProvidersSection() {
  const providers = useProviders();
  const [editing, setEditing] = useState<ProviderOut | 'new' | null>(null);

  const columns: Column<ProviderOut>[] = [
    { key: 'name', header: 'Name', cell: (p) => p.name },
    {
      key: 'api',
      header: 'API',
      cell: (p) =>
        p.api_url ? (
          <>
            <div className="mono small">{p.api_url}</div>
            {p.api_key_set ? <Badge tone="ok">key set</Badge> : <Badge tone="warn">no key</Badge>}
          </>
        ) : (
          <span className="muted">Telegram only</span>
        ),
    },
    { key: 'chat', header: 'Telegram chat', cell: (p) => p.telegram_chat || <span className="muted">—</span> },
    {
      key: 'via',
      header: 'Via API',
      className: 'small',
      cell: (p) => (p.api_url && [p.refill_via_api && 'refill', p.cancel_via_api && 'cancel'].filter(Boolean).join(', ')) || <span className="muted">none</span>,
    },
    { key: 'added', header: 'Added', className: 'small', cell: (p) => formatDate(p.created_at) },
    { key: 'actions', header: 'Actions', hideHeader: true, className: 'actions', cell: (p) => <ProviderActions provider={p} onEdit={() => setEditing(p)} /> },
  ];

  return (
    <Card
      title="Providers"
      id="providers"
      actions={
        <button className="btn btn-primary btn-small" onClick={() => setEditing('new')}>
          Add provider
        </button>
      }
    >
      <p className="muted">
        Refill and cancel go through the provider's API where it supports them; everything else goes to the provider's Telegram chat, sent as the
        dispatch mode below says.
      </p>
      <ListView source={providers} what="providers" empty="No providers yet." rowKey={(p) => p.id} columns={columns} label="Providers" />
      {editing && <ProviderDialog provider={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}
