import { useState, type FormEvent } from 'react';
import { Field } from '../../components/Field';
import { useAuth } from '../../auth/AuthContext';
import { useToast } from '../../components/Toast';
import { ErrorBox } from '../../components/ErrorBox';
import { Modal } from '../../components/Modal';
import { CopyButton } from '../../components/CopyButton';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Badge, PageHeader } from '../../components/ui';
import { formatDate } from '../../format';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookSecret,
  listWebhookDeliveries,
  listWebhookEndpoints,
  redeliverWebhook,
  rotateWebhookSecret,
  sendWebhookTest,
  updateWebhookEndpoint,
  type DeliveryOut,
  type EndpointIn,
  type EndpointOut,
} from '../../api/gen';
import { useApiMutation, useApiQuery } from '../../api/queries';

type EventName = NonNullable<EndpointIn['events']>[number];

const EVENTS: Record<EventName, string> = {
  'message.received': 'A customer message came in',
  'request.created': 'A support request was opened',
  'request.forwarded': 'A request was forwarded to the provider',
  'request.resolved': 'A request was resolved',
  'request.escalated': 'A request went to the review queue',
  'payment.confirmed': 'A payment of yours was confirmed',
};

const ENDPOINTS = ['webhooks', 'endpoints'];
const deliveriesKey = (endpointId: string) => ['webhooks', 'deliveries', endpointId];

function AddEndpointDialog({ onClose }: { onClose: () => void }) {
  const toast = useToast();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<EventName[]>([]);
  const create = useApiMutation((client, body: EndpointIn) => createWebhookEndpoint({ client, body }), {
    invalidates: [ENDPOINTS],
    onSuccess: (e) => {
      toast.success(`Endpoint ${e.url} added.`);
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ url: url.trim(), description: description.trim(), events });
  };
  return (
    <Modal
      title="Add webhook endpoint"
      onClose={create.isPending ? undefined : onClose}
      footer={
        <>
          <button className="btn" type="button" onClick={onClose} disabled={create.isPending}>
            Cancel
          </button>
          <button className="btn btn-primary" type="submit" form="add-endpoint" disabled={create.isPending || !url.trim()}>
            {create.isPending ? 'Adding…' : 'Add endpoint'}
          </button>
        </>
      }
    >
      <form id="add-endpoint" className="form" onSubmit={submit}>
        <ErrorBox error={create.error} inlineFields={['url', 'description']} />
        <Field label="URL" name="url" error={create.error}>
          <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://crm.example.com/hooks/supportai" required autoFocus />
        </Field>
        <Field label="Description" name="description" error={create.error}>
          <input value={description} onChange={(e) => setDescription(e.target.value)} placeholder="e.g. Our CRM" />
        </Field>
        <fieldset className="fieldset">
          <legend>Events (none ticked: every event)</legend>
          {(Object.keys(EVENTS) as EventName[]).map((name) => (
            <label key={name} className="checkbox">
              <input
                type="checkbox"
                checked={events.includes(name)}
                onChange={(e) => setEvents((xs) => (e.target.checked ? [...xs, name] : xs.filter((x) => x !== name)))}
              />{' '}
              <code>{name}</code> <span className="muted small">{EVENTS[name]}</span>
            </label>
          ))}
        </fieldset>
      </form>
    </Modal>
  );
}

/** The signing secret: hidden until the owner asks, as Standard Webhooks dashboards do. */
function SecretRow({ endpoint }: { endpoint: EndpointOut }) {
  const toast = useToast();
  const [secret, setSecret] = useState<string | null>(null);
  const path = { endpoint_id: endpoint.id };
  const reveal = useApiMutation((client, _: void) => getWebhookSecret({ client, path }), { onSuccess: (s) => setSecret(s.secret) });
  const rotate = useApiMutation((client, _: void) => rotateWebhookSecret({ client, path }), {
    onSuccess: (e) => {
      setSecret(e.secret ?? null);
      toast.success('New signing secret made; the old one no longer verifies.');
    },
  });
  return (
    <div className="secret-row">
      <ErrorBox error={reveal.error ?? rotate.error} />
      {secret ? (
        <>
          <input className="mono secret" readOnly value={secret} aria-label={`Signing secret of ${endpoint.url}`} />
          <CopyButton text={secret} />
          <button className="btn btn-small" onClick={() => setSecret(null)}>
            Hide
          </button>
        </>
      ) : (
        <button className="btn btn-small" onClick={() => reveal.mutate()} disabled={reveal.isPending}>
          Show secret
        </button>
      )}
      <ConfirmButton
        title="Rotate signing secret"
        message="Make a new signing secret? The old one stops verifying at once: update your receiver right after."
        confirmLabel="Rotate"
        onConfirm={() => rotate.mutateAsync()}
      >
        Rotate secret
      </ConfirmButton>
    </div>
  );
}

const TONE: Record<string, 'ok' | 'bad' | 'info'> = { succeeded: 'ok', failed: 'bad', pending: 'info' };

function DeliveryLog({ endpoint }: { endpoint: EndpointOut }) {
  const toast = useToast();
  const key = deliveriesKey(endpoint.id);
  const log = useApiQuery(key, ({ client, signal }) =>
    listWebhookDeliveries({ client, signal, query: { endpoint_id: endpoint.id, limit: 50 } }),
  );
  const redeliver = useApiMutation((client, d: DeliveryOut) => redeliverWebhook({ client, path: { delivery_id: d.id } }), {
    invalidates: [key],
    onSuccess: (d) => toast.success(`${d.event_type} queued again.`),
  });
  const items = log.data?.items ?? [];
  if (log.error) return <ErrorBox error={log.error} />;
  if (log.isPending) return <p className="muted small">Loading deliveries…</p>;
  if (!items.length) return <p className="muted small">No deliveries yet.</p>;
  return (
    <table className="table" aria-label={`Deliveries to ${endpoint.url}`}>
      <thead>
        <tr>
          <th>Event</th>
          <th>Status</th>
          <th>Attempts</th>
          <th>Last answer</th>
          <th>Next attempt</th>
          <th>Created</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {items.map((d) => (
          <tr key={d.id}>
            <td className="mono">{d.event_type}</td>
            <td>
              <Badge tone={TONE[d.status] ?? 'neutral'}>{d.status}</Badge>
            </td>
            <td>{d.attempts}</td>
            <td className="small">{d.last_status_code ? `HTTP ${d.last_status_code}` : (d.last_error ?? '—')}</td>
            <td className="small">{d.next_attempt_at ? formatDate(d.next_attempt_at) : '—'}</td>
            <td className="small">{formatDate(d.created_at)}</td>
            <td className="actions">
              <button className="btn btn-small" disabled={d.status === 'pending' || redeliver.isPending} onClick={() => redeliver.mutate(d)}>
                Redeliver
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EndpointCard({ endpoint }: { endpoint: EndpointOut }) {
  const toast = useToast();
  const path = { endpoint_id: endpoint.id };
  const [showLog, setShowLog] = useState(false);
  const toggle = useApiMutation((client, enabled: boolean) => updateWebhookEndpoint({ client, path, body: { enabled } }), {
    invalidates: [ENDPOINTS],
  });
  const remove = useApiMutation((client, _: void) => deleteWebhookEndpoint({ client, path }), {
    invalidates: [ENDPOINTS],
    onSuccess: () => toast.success(`Endpoint ${endpoint.url} removed.`),
  });
  const test = useApiMutation((client, _: void) => sendWebhookTest({ client, path }), {
    invalidates: [deliveriesKey(endpoint.id)],
    onSuccess: () => {
      setShowLog(true);
      toast.success('Test event queued.');
    },
  });
  return (
    <section className="card" aria-label={endpoint.url}>
      <header className="card-header">
        <div>
          <div className="mono">{endpoint.url}</div>
          {endpoint.description && <div className="muted small">{endpoint.description}</div>}
        </div>
        {endpoint.enabled ? <Badge tone="ok">enabled</Badge> : <Badge>disabled</Badge>}
      </header>
      <ul className="chips" aria-label="Events">
        {(endpoint.events.length ? endpoint.events : ['every event']).map((e) => (
          <li key={e} className="chip">
            {e}
          </li>
        ))}
      </ul>
      <ErrorBox error={toggle.error ?? test.error} />
      <SecretRow endpoint={endpoint} />
      <div className="actions">
        <button className="btn btn-small" onClick={() => toggle.mutate(!endpoint.enabled)} disabled={toggle.isPending}>
          {endpoint.enabled ? 'Disable' : 'Enable'}
        </button>
        <button className="btn btn-small" onClick={() => test.mutate()} disabled={test.isPending || !endpoint.enabled}>
          Send test event
        </button>
        <button className="btn btn-small" onClick={() => setShowLog((x) => !x)} aria-expanded={showLog}>
          {showLog ? 'Hide deliveries' : 'Deliveries'}
        </button>
        <ConfirmButton
          title="Delete endpoint"
          message={`Delete ${endpoint.url} and its delivery log?`}
          confirmLabel="Delete"
          onConfirm={() => remove.mutateAsync()}
        >
          Delete
        </ConfirmButton>
      </div>
      {showLog && <DeliveryLog endpoint={endpoint} />}
    </section>
  );
}

export function WebhooksPage() {
  const { isOwner } = useAuth();
  const list = useApiQuery(ENDPOINTS, listWebhookEndpoints, { enabled: isOwner });
  const [adding, setAdding] = useState(false);
  if (!isOwner) {
    return (
      <div className="page">
        <PageHeader title="Webhooks" />
        <div className="notice">Only the account owner manages webhooks.</div>
      </div>
    );
  }
  return (
    <div className="page">
      <PageHeader
        title="Webhooks"
        subtitle={
          <>
            Events sent to your own systems, signed as <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> says: verify the{' '}
            <code>webhook-signature</code> header with the endpoint's secret.
          </>
        }
        actions={
          <button className="btn btn-primary" onClick={() => setAdding(true)}>
            Add endpoint
          </button>
        }
      />
      <ErrorBox error={list.error} />
      {list.data?.length === 0 && <p className="muted">No webhook endpoints yet.</p>}
      {list.data?.map((endpoint) => <EndpointCard key={endpoint.id} endpoint={endpoint} />)}
      {adding && <AddEndpointDialog onClose={() => setAdding(false)} />}
    </div>
  );
}
