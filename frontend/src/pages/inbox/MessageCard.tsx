/** One customer message in a thread or a history: what they wrote, the requests made, our reply. */
import { Link } from 'react-router-dom';
import type { InboxMessage } from '../../api/gen';
import { Badge } from '../../components/ui';
import { formatDate } from '../../format';
import { StatusBadge, WaitBadge, intentLabel, outcomeLabel, sourceLabel } from '../requests/labels';

const MESSAGE_STATUS: Record<string, { label: string; tone: 'ok' | 'warn' | 'bad' | 'info' }> = {
  received: { label: 'Waiting to be processed', tone: 'info' },
  waiting_panel: { label: 'Waiting for the panel', tone: 'warn' },
  processed: { label: 'Processed', tone: 'ok' },
  failed: { label: 'Failed', tone: 'bad' },
};

export function MessageStatusBadge({ status }: { status: string }) {
  const s = MESSAGE_STATUS[status] ?? { label: status, tone: 'info' as const };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}

export function MessageCard({ message: m, onOpenRequest, focused }: { message: InboxMessage; onOpenRequest: (id: string) => void; focused?: boolean }) {
  return (
    <article className={`message-card${focused ? ' message-focused' : ''}`} aria-label={`Message from ${m.customer}, ${formatDate(m.created_at)}`}>
      <header className="message-head">
        <Link to={`/inbox/customers?customer=${encodeURIComponent(m.customer)}`}>{m.customer}</Link>
        <span className="muted small">
          {formatDate(m.created_at)} · {sourceLabel(m.source)}
          {m.ticket_id != null && ` #${m.ticket_id}`}
          {m.lang && ` · ${m.lang}`}
        </span>
        <MessageStatusBadge status={m.status} />
      </header>
      <blockquote className="quote">{m.text}</blockquote>
      {m.requests.length > 0 ? (
        <ul className="plain-list message-requests">
          {m.requests.map((r) => (
            <li key={r.id}>
              <button type="button" className="link-button" onClick={() => onOpenRequest(r.id)}>
                {r.order_id ? `Order ${r.order_id}` : 'No order'} · {intentLabel(r.intent)}
              </button>{' '}
              <span className="small">{outcomeLabel(r.outcome)}</span> <StatusBadge status={r.status} /> <WaitBadge wait={r} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No request: the message names no order to act on.</p>
      )}
      {m.reply_text && (
        <>
          <div className="muted small">We replied{m.replied_at ? ` ${formatDate(m.replied_at)}` : ''}</div>
          <blockquote className="quote quote-reply">{m.reply_text}</blockquote>
        </>
      )}
    </article>
  );
}
