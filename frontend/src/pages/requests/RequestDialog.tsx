import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useToast } from '../../components/Toast';
import { Modal } from '../../components/Modal';
import { ErrorBox } from '../../components/ErrorBox';
import { QueryView } from '../../components/QueryView';
import { formatDate } from '../../format';
import { closeRequest, getRequest, reforwardRequest, replyToRequest, resolveRequest, type RequestDetail, type RequestOut } from '../../api/gen';
import type { Client } from '../../api/gen/client';
import { keys, useApiMutation, useApiQuery } from '../../api/queries';
import { StatusBadge, intentLabel, outcomeLabel } from './labels';
import { countsSentence, describeEvent } from './timeline';
import { RequestAssignee } from './RequestAssignee';
import { SavedReplyPicker } from './SavedReplyPicker';

const FINAL = ['resolved', 'closed'];
const REFORWARDABLE = ['forwarded', 'acknowledged', 'declined', 'escalated'];
/** What an action on a request changes: every list it shows in. */
export const REQUEST_VIEWS = [keys.requests, keys.queue, keys.inbox, keys.dashboard];

interface Props {
  id: string;
  onClose: () => void;
}

type Action = { name: 'reply'; text: string } | { name: 'resolve' | 'close'; note: string } | { name: 'reforward' };

const DONE: Record<Action['name'], string> = {
  reply: 'Reply sent.',
  resolve: 'Marked resolved.',
  close: 'Request closed.',
  reforward: 'Sent to the provider again.',
};

function run(client: Client, id: string, action: Action): Promise<{ data: RequestOut }> {
  const path = { request_id: id };
  switch (action.name) {
    case 'reply':
      return replyToRequest({ client, path, body: { text: action.text } });
    case 'resolve':
      return resolveRequest({ client, path, body: { note: action.note || null } });
    case 'close':
      return closeRequest({ client, path, body: { note: action.note || null } });
    case 'reforward':
      return reforwardRequest({ client, path });
  }
}

/** One request: the customer's message, our reply, the timeline in sentences, and the actions. */
export function RequestDialog({ id, onClose }: Props) {
  const detail = useApiQuery([...keys.requests, id], (o) => getRequest({ ...o, path: { request_id: id } }));
  const r = detail.data;
  return (
    <Modal title={r ? `${intentLabel(r.intent)} request${r.order_id ? ` · order ${r.order_id}` : ''}` : 'Request'} onClose={onClose} wide>
      <QueryView query={detail} what="the request">
        {(request) => <RequestBody r={request} />}
      </QueryView>
    </Modal>
  );
}

function RequestBody({ r }: { r: RequestDetail }) {
  const toast = useToast();
  const [note, setNote] = useState('');
  const [reply, setReply] = useState('');
  const act = useApiMutation((client, action: Action) => run(client, r.id, action), {
    invalidates: REQUEST_VIEWS,
    onSuccess: (_, action) => {
      toast.success(DONE[action.name]);
      setNote('');
      setReply('');
    },
  });
  const busy = act.isPending ? act.variables?.name : null;
  const counts = countsSentence(r);

  return (
    <div className="form">
      <dl className="kv">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={r.status} />
          {r.reason && <span className="muted small"> {r.reason}</span>}
        </dd>
        <dt>Outcome</dt>
        <dd>{outcomeLabel(r.outcome)}</dd>
        <dt>Customer</dt>
        <dd>
          <Link to={`/inbox/customers?customer=${encodeURIComponent(r.customer)}`}>{r.customer}</Link>
        </dd>
        <dt>Order</dt>
        <dd>
          {r.order_id ?? '—'}
          {r.external_order_id && <span className="muted small"> (provider's ID {r.external_order_id})</span>}
          {r.service_name && <div className="muted small">{r.service_name}</div>}
        </dd>
        {r.provider && (
          <>
            <dt>Provider</dt>
            <dd>{r.provider}</dd>
          </>
        )}
        {counts && (
          <>
            <dt>Counts</dt>
            <dd>{counts}</dd>
          </>
        )}
        <dt>Reminders sent</dt>
        <dd>{r.follow_ups}</dd>
        {r.next_check_at && (
          <>
            <dt>Next check</dt>
            <dd>{formatDate(r.next_check_at)}</dd>
          </>
        )}
        <dt>Received</dt>
        <dd>{formatDate(r.created_at)}</dd>
        <dt>Assignee</dt>
        <dd>
          <RequestAssignee r={r} />
        </dd>
      </dl>

      <div>
        <div className="muted small">Customer wrote</div>
        <blockquote className="quote">{r.message_text}</blockquote>
      </div>
      {r.reply && (
        <div>
          <div className="muted small">We replied</div>
          <blockquote className="quote quote-reply">{r.reply}</blockquote>
        </div>
      )}

      {r.timeline.length > 0 && (
        <div>
          <div className="muted small">What happened</div>
          <ol className="timeline" aria-label="Timeline">
            {r.timeline.map((e, i) => (
              <li key={i}>
                <span className="muted small nowrap">{formatDate(e.at)}</span> {describeEvent(e, r)}
              </li>
            ))}
          </ol>
        </div>
      )}

      <ErrorBox error={act.error} />

      {!FINAL.includes(r.status) && (
        <div className="fieldset">
          <label className="field-label" htmlFor="manual-reply">
            Reply to the customer by hand
          </label>
          <SavedReplyPicker requestId={r.id} onInsert={(text) => setReply((current) => (current.trim() ? `${current.trimEnd()}\n\n${text}` : text))} />
          <textarea id="manual-reply" rows={3} value={reply} onChange={(e) => setReply(e.target.value)} />
          <div className="button-row">
            <button className="btn btn-primary" disabled={!!busy || !reply.trim()} onClick={() => act.mutate({ name: 'reply', text: reply.trim() })}>
              {busy === 'reply' ? 'Sending…' : 'Send reply'}
            </button>
          </div>
          <label className="field-label" htmlFor="action-note">
            Note (optional, kept in the timeline)
          </label>
          <input id="action-note" value={note} onChange={(e) => setNote(e.target.value)} />
          <div className="button-row">
            <button className="btn" disabled={!!busy} onClick={() => act.mutate({ name: 'resolve', note: note.trim() })}>
              {busy === 'resolve' ? 'Saving…' : 'Mark resolved'}
            </button>
            <button className="btn" disabled={!!busy} onClick={() => act.mutate({ name: 'close', note: note.trim() })}>
              {busy === 'close' ? 'Saving…' : 'Close without action'}
            </button>
            {REFORWARDABLE.includes(r.status) && r.external_order_id && (
              <button className="btn" disabled={!!busy} onClick={() => act.mutate({ name: 'reforward' })}>
                {busy === 'reforward' ? 'Sending…' : 'Send to provider again'}
              </button>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
