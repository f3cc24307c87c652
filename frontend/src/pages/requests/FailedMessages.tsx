import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { Badge, Card } from '../../components/ui';
import { ErrorBox } from '../../components/ErrorBox';
import { ListView, type Column } from '../../components/DataTable';
import { useToast } from '../../components/Toast';
import { formatDate } from '../../format';
import { listMessages, rerunQueueItems, retryMessage, type MessagePage, type MessageSummary } from '../../api/gen';
import { keys, useApiMutation, usePagedQuery, type PagedQuery } from '../../api/queries';
import { sourceLabel } from './labels';

/** Processing is given up (the message is `failed`) after this many failed runs. */
export const MAX_ATTEMPTS = 5;
export const FAILED_PAGE = 50;
/** Where the Dashboard links to: the section on the review queue page. */
export const FAILED_SECTION = '/queue#failed';

const FAILED_KEY = [...keys.messages, 'failed'];

/** The failed messages, newest first (loaded by the queue page, whose Refresh reloads them). */
export const useFailedMessages = () =>
  usePagedQuery(FAILED_KEY, (o) => listMessages({ ...o, query: { status: 'failed', cursor: o.cursor, limit: FAILED_PAGE } }));

function without<T>(map: Record<string, T>, key: string): Record<string, T> {
  const rest = { ...map };
  delete rest[key];
  return rest;
}

/** Long text cut to `max` characters; the full text is the tooltip and one click away. */
function Clipped({ text, max, what }: { text: string; max: number; what: string }) {
  const [open, setOpen] = useState(false);
  const long = text.length > max;
  return (
    <div className="clipped">
      <span className={open ? 'clipped-full' : undefined} title={long && !open ? text : undefined}>
        {long && !open ? `${text.slice(0, max).trimEnd()}…` : text}
      </span>
      {long && (
        <button type="button" className="link-button" aria-expanded={open} aria-label={`${open ? 'Show less of' : 'Show all of'} the ${what}`} onClick={() => setOpen(!open)}>
          {open ? 'Show less' : 'Show all'}
        </button>
      )}
    </div>
  );
}

/**
 * Retried messages stay listed (as "Queued again") until the next load, which no longer
 * lists them: `change` rewrites them in the cached pages.
 */
function useMarkQueued() {
  const queryClient = useQueryClient();
  return (change: (m: MessageSummary) => MessageSummary) =>
    queryClient.setQueryData<InfiniteData<MessagePage>>(FAILED_KEY, (data) =>
      data && { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.map(change) })) },
    );
}

function columns(busy: Record<string, boolean>, retry: (m: MessageSummary) => void): Column<MessageSummary>[] {
  return [
    { key: 'received', header: 'Received', className: 'small date-cell', cell: (m) => formatDate(m.created_at) },
    { key: 'channel', header: 'Channel', className: 'nowrap', cell: (m) => sourceLabel(m.source) },
    { key: 'customer', header: 'Customer', cell: (m) => m.customer },
    { key: 'ticket', header: 'Ticket', className: 'mono nowrap', cell: (m) => (m.ticket_id != null ? `#${m.ticket_id}` : <span className="muted">—</span>) },
    { key: 'message', header: 'Message', className: 'message-cell', cell: (m) => <Clipped text={m.text} max={120} what="message" /> },
    {
      key: 'error',
      header: 'Last error',
      className: 'error-cell small',
      cell: (m) => (m.last_error ? <Clipped text={m.last_error} max={100} what="error" /> : <span className="muted">—</span>),
    },
    { key: 'attempts', header: 'Attempts', className: 'num', cell: (m) => m.attempts },
    {
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'actions',
      cell: (m) =>
        m.status !== 'failed' ? (
          <Badge tone="ok">Queued again</Badge>
        ) : (
          <button className="btn btn-small" disabled={busy[m.id]} onClick={() => retry(m)} aria-label={`Retry the message from ${m.customer}`}>
            {busy[m.id] ? 'Retrying…' : 'Retry'}
          </button>
        ),
    },
  ];
}

/**
 * The "Failed messages" card of the review queue: messages whose processing failed
 * MAX_ATTEMPTS times, with a Retry action per message and for all listed (owners and staff).
 */
export function FailedMessages({ failed }: { failed: PagedQuery<MessageSummary> }) {
  const toast = useToast();
  const markQueued = useMarkQueued();
  const [busy, setBusy] = useState<Record<string, boolean>>({});
  const [errors, setErrors] = useState<Record<string, unknown>>({});
  // Rows retried one by one are in flight together: each keeps its own busy state and error.
  const retryOne = useApiMutation((client, id: string) => retryMessage({ client, path: { message_id: id } }), { invalidates: [keys.dashboard] });
  const retryAll = useApiMutation((client, ids: string[]) => rerunQueueItems({ client, body: { message_ids: ids } }), {
    invalidates: [keys.dashboard],
    onSuccess: (done) => {
      const queued = new Set(done.messages);
      markQueued((m) => (queued.has(m.id) ? { ...m, status: 'received', attempts: 0 } : m));
      setErrors({});
      toast.success(`${queued.size} ${queued.size === 1 ? 'message' : 'messages'} queued again.`);
    },
  });

  const retry = async (m: MessageSummary) => {
    setBusy((b) => ({ ...b, [m.id]: true }));
    setErrors((e) => without(e, m.id));
    try {
      const again = await retryOne.mutateAsync(m.id);
      markQueued((x) => (x.id === m.id ? again : x));
    } catch (err) {
      setErrors((e) => ({ ...e, [m.id]: err }));
    } finally {
      setBusy((b) => without(b, m.id));
    }
  };

  const stillFailed = failed.items.filter((m) => m.status === 'failed');
  const title = (
    <>
      Failed messages{' '}
      {stillFailed.length > 0 && (
        <Badge tone="bad">
          {stillFailed.length}
          {failed.hasNextPage ? '+' : ''}
        </Badge>
      )}
    </>
  );
  const actions = stillFailed.length > 1 && (
    <button className="btn btn-small" disabled={retryAll.isPending} onClick={() => retryAll.mutate(stillFailed.map((m) => m.id))}>
      {retryAll.isPending ? 'Retrying…' : `Retry all ${stillFailed.length}`}
    </button>
  );

  return (
    <Card id="failed" title={title} actions={actions}>
      <p className="muted card-intro">
        Customer messages whose processing failed {MAX_ATTEMPTS} times in a row (for example a reply the panel would not
        take). Retry queues one again: it continues where it stopped, so nothing already done is repeated.
      </p>
      <ErrorBox error={retryAll.error} title="Could not retry." />
      <ListView
        source={failed}
        what="failed messages"
        rowKey={(m) => m.id}
        columns={columns(busy, (m) => void retry(m))}
        rowDetail={(m) => errors[m.id] != null && <ErrorBox error={errors[m.id]} title="Could not retry." />}
        className="failed-table"
        label="Failed messages"
        empty="No failed messages: every customer message was processed or is still being worked on."
      />
    </Card>
  );
}

/** The Dashboard line: how many messages failed, linking to the section; nothing when none. */
export function FailedMessagesNotice({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <div className="notice notice-action" role="status">
      <span>
        <Badge tone="bad" title="Failed messages">
          {count}
        </Badge>{' '}
        {count === 1 ? 'customer message' : 'customer messages'} could not be processed after {MAX_ATTEMPTS} attempts.
      </span>
      <Link className="btn btn-small" to={FAILED_SECTION}>
        Review failed messages
      </Link>
    </div>
  );
}
