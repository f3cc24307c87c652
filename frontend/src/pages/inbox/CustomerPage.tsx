import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { QueryView } from '../../components/QueryView';
import { Card, PageHeader } from '../../components/ui';
import { formatDate } from '../../format';
import { getCustomerHistory } from '../../api/gen';
import { keys, useApiQuery } from '../../api/queries';
import { RequestDialog } from '../requests/RequestDialog';
import { STATUS_ORDER, StatusBadge } from '../requests/labels';
import { MessageCard } from './MessageCard';

/** A customer's history: how often they wrote, what came of it, and their messages, newest first. */
export function CustomerPage() {
  const [params] = useSearchParams();
  const customer = params.get('customer') ?? '';
  const history = useApiQuery([...keys.inbox, 'customer', customer], (o) => getCustomerHistory({ ...o, path: { customer } }), {
    enabled: customer !== '',
  });
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div className="page">
      <PageHeader
        title={customer ? `Customer ${customer}` : 'Customer'}
        subtitle="Every message from this customer and the requests made from them."
        actions={
          <>
            <Link className="btn" to={`/requests?search=${encodeURIComponent(customer)}`}>
              Their requests
            </Link>
            <Link className="btn" to="/inbox">
              Inbox
            </Link>
          </>
        }
      />
      {customer === '' ? (
        <div className="notice">Open a customer from the inbox or a request.</div>
      ) : (
        <QueryView query={history} what="the customer's history">
          {(h) => (
            <>
              <Card title="Summary">
                <dl className="kv">
                  <dt>Messages</dt>
                  <dd>{h.message_count}</dd>
                  <dt>Requests</dt>
                  <dd>
                    {h.request_count}{' '}
                    {STATUS_ORDER.filter((s) => h.requests_by_status[s]).map((s) => (
                      <span key={s} className="kv-inline">
                        <StatusBadge status={s} /> {h.requests_by_status[s]}
                      </span>
                    ))}
                  </dd>
                  <dt>First message</dt>
                  <dd>{formatDate(h.first_seen)}</dd>
                  <dt>Latest</dt>
                  <dd>{formatDate(h.last_seen)}</dd>
                </dl>
              </Card>
              <div className="thread">
                {h.messages.map((m) => (
                  <MessageCard key={m.id} message={m} onOpenRequest={setOpen} />
                ))}
              </div>
            </>
          )}
        </QueryView>
      )}
      {open && <RequestDialog id={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
