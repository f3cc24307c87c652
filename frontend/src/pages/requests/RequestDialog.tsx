import { useState } from 'react';
import { useApi } from '../../deps';
import { useLoad } from '../../useLoad';
import { useToast } from '../../components/Toast';
import { Modal } from '../../components/Modal';
import { ErrorBox } from '../../components/ErrorBox';
import { LoadError, Loading } from '../../components/ui';
import { formatDate } from '../../format';
import type { SupportRequest } from '../../api/types';
import { StatusBadge, intentLabel, outcomeLabel } from './labels';

const FINAL = ['resolved', 'closed'];
const REFORWARDABLE = ['forwarded', 'acknowledged', 'declined', 'escalated'];

interface Props {
  id: string;
  onClose: () => void;
  onChanged: (r: SupportRequest) => void;
}

/** One request: the customer's message, our reply, the timeline, and the owner's/staff's actions. */
export function RequestDialog({ id, onClose, onChanged }: Props) {
  const api = useApi();
  const toast = useToast();
  const detail = useLoad(() => api.requests.get(id), [api, id]);
  const [note, setNote] = useState('');
  const [reply, setReply] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const act = async (name: string, fn: () => Promise<SupportRequest>, done: string) => {
    setBusy(name);
    setError(null);
    try {
      const updated = await fn();
      onChanged(updated);
      toast.success(done);
      await detail.reload();
      setNote('');
      setReply('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const r = detail.data;
  return (
    <Modal title={r ? `${intentLabel(r.intent)} request${r.order_id ? ` · order ${r.order_id}` : ''}` : 'Request'} onClose={busy ? undefined : onClose} wide>
      {detail.loading && !r ? (
        <Loading />
      ) : detail.error ? (
        <LoadError error={detail.error} what="the request" />
      ) : r ? (
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
            <dd>{r.customer}</dd>
            <dt>Order</dt>
            <dd>
              {r.order_id ?? '—'}
              {r.external_order_id && <span className="muted small"> (provider's ID {r.external_order_id})</span>}
            </dd>
            {r.provider && (
              <>
                <dt>Provider</dt>
                <dd>{r.provider}</dd>
              </>
            )}
            {r.drop != null && (
              <>
                <dt>Drop</dt>
                <dd>{r.drop}</dd>
              </>
            )}
            <dt>Follow-ups</dt>
            <dd>{r.follow_ups}</dd>
            {r.next_check_at && (
              <>
                <dt>Next check</dt>
                <dd>{formatDate(r.next_check_at)}</dd>
              </>
            )}
            <dt>Received</dt>
            <dd>{formatDate(r.created_at)}</dd>
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
              <div className="muted small">Timeline</div>
              <ol className="timeline">
                {r.timeline.map((e, i) => (
                  <li key={i}>
                    <span className="muted small nowrap">{formatDate(e.at)}</span> <strong>{e.kind.replace(/_/g, ' ')}</strong>
                    {Object.keys(e.detail ?? {}).length > 0 && (
                      <span className="muted small">
                        {' '}
                        {Object.entries(e.detail)
                          .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
                          .join(' · ')}
                      </span>
                    )}
                  </li>
                ))}
              </ol>
            </div>
          )}

          <ErrorBox error={error} />

          {!FINAL.includes(r.status) && (
            <div className="fieldset">
              <label className="field-label" htmlFor="manual-reply">
                Reply to the customer by hand
              </label>
              <textarea id="manual-reply" rows={3} value={reply} onChange={(e) => setReply(e.target.value)} />
              <div className="button-row">
                <button
                  className="btn btn-primary"
                  disabled={!!busy || !reply.trim()}
                  onClick={() => act('reply', () => api.requests.reply(r.id, reply.trim()), 'Reply sent.')}
                >
                  {busy === 'reply' ? 'Sending…' : 'Send reply'}
                </button>
              </div>
              <label className="field-label" htmlFor="action-note">
                Note (optional, kept in the timeline)
              </label>
              <input id="action-note" value={note} onChange={(e) => setNote(e.target.value)} />
              <div className="button-row">
                <button className="btn" disabled={!!busy} onClick={() => act('resolve', () => api.requests.resolve(r.id, note.trim()), 'Marked resolved.')}>
                  {busy === 'resolve' ? 'Saving…' : 'Mark resolved'}
                </button>
                <button className="btn" disabled={!!busy} onClick={() => act('close', () => api.requests.close(r.id, note.trim()), 'Request closed.')}>
                  {busy === 'close' ? 'Saving…' : 'Close without action'}
                </button>
                {REFORWARDABLE.includes(r.status) && r.external_order_id && (
                  <button className="btn" disabled={!!busy} onClick={() => act('reforward', () => api.requests.reforward(r.id), 'Sent to the provider again.')}>
                    {busy === 'reforward' ? 'Sending…' : 'Send to provider again'}
                  </button>
                )}
              </div>
            </div>
          )}
        </div>
      ) : null}
    </Modal>
  );
}
