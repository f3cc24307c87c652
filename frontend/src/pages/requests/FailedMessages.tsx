import { Fragment, useState } from 'react';
import { Link } from 'react-router-dom';
import { useApi } from '../../deps';
import type { Api } from '../../api/endpoints';
import { Badge, Card, Empty, LoadError, Loading } from '../../components/ui';
import { ErrorBox } from '../../components/ErrorBox';
import { LoadMore } from '../../components/LoadMore';
import { formatDate } from '../../format';
import type { Loaded } from '../../useLoad';
import type { MessageSummary, Page } from '../../api/types';

/** Processing is given up (the message is `failed`) after this many failed runs. */
export const MAX_ATTEMPTS = 5;
export const FAILED_PAGE = 50;
/** Where the Dashboard links to: the section on the review queue page. */
export const FAILED_SECTION = '/queue#failed';

export const loadFailed = (api: Api, cursor: string | null = null, limit = FAILED_PAGE) =>
  api.messages.list({ status: 'failed', cursor, limit });

const SOURCE_LABEL: Record<string, string> = { ticket: 'Panel ticket', api: 'API', telegram: 'Telegram' };
export const sourceLabel = (s: string) => SOURCE_LABEL[s] ?? s;

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
 * The "Failed messages" card of the review queue: messages whose processing failed
 * MAX_ATTEMPTS times, with a Retry action (owners and staff). `failed` is loaded by the page
 * so its Refresh button reloads both lists.
 */
export function FailedMessages({ failed }: { failed: Loaded<Page<MessageSummary>> }) {
  const api = useApi();
  const [busy, setBusy] = useState<Record<string, boolean>>({});
  const [errors, setErrors] = useState<Record<string, unknown>>({});
  const items = failed.data?.items ?? [];

  const retry = async (m: MessageSummary) => {
    setBusy((b) => ({ ...b, [m.id]: true }));
    setErrors((e) => without(e, m.id));
    try {
      const again = await api.messages.retry(m.id);
      // The row stays (as "Queued again") until the next load, which no longer lists it.
      failed.setData((page) => ({
        items: (page?.items ?? []).map((x) => (x.id === m.id ? again : x)),
        next_cursor: page?.next_cursor ?? null,
      }));
    } catch (err) {
      setErrors((e) => ({ ...e, [m.id]: err }));
    } finally {
      setBusy((b) => without(b, m.id));
    }
  };

  const loadMore = async (cursor: string) => {
    const next = await loadFailed(api, cursor);
    failed.setData((page) => ({ items: [...(page?.items ?? []), ...next.items], next_cursor: next.next_cursor }));
  };

  const count = items.filter((m) => m.status === 'failed').length;
  const title = (
    <>
      Failed messages{' '}
      {count > 0 && (
        <Badge tone="bad">
          {count}
          {failed.data?.next_cursor ? '+' : ''}
        </Badge>
      )}
    </>
  );

  return (
    <Card id="failed" title={title}>
      <p className="muted card-intro">
        Customer messages whose processing failed {MAX_ATTEMPTS} times in a row (for example a reply the panel would not
        take). Retry queues one again: it continues where it stopped, so nothing already done is repeated.
      </p>
      {failed.loading && !failed.data ? (
        <Loading />
      ) : failed.error && !failed.data ? (
        <LoadError error={failed.error} what="failed messages" />
      ) : items.length === 0 ? (
        <Empty>No failed messages: every customer message was processed or is still being worked on.</Empty>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table failed-table" aria-label="Failed messages">
              <thead>
                <tr>
                  <th>Received</th>
                  <th>Channel</th>
                  <th>Customer</th>
                  <th>Ticket</th>
                  <th>Message</th>
                  <th>Last error</th>
                  <th className="num">Attempts</th>
                  <th aria-label="Actions" />
                </tr>
              </thead>
              <tbody>
                {items.map((m) => {
                  const queued = m.status !== 'failed';
                  const error = errors[m.id];
                  return (
                    <Fragment key={m.id}>
                      <tr>
                        <td className="small date-cell">{formatDate(m.created_at)}</td>
                        <td className="nowrap">{sourceLabel(m.source)}</td>
                        <td>{m.customer}</td>
                        <td className="mono nowrap">{m.ticket_id != null ? `#${m.ticket_id}` : <span className="muted">—</span>}</td>
                        <td className="message-cell">
                          <Clipped text={m.text} max={120} what="message" />
                        </td>
                        <td className="error-cell small">
                          {m.last_error ? <Clipped text={m.last_error} max={100} what="error" /> : <span className="muted">—</span>}
                        </td>
                        <td className="num">{m.attempts}</td>
                        <td className="actions">
                          {queued ? (
                            <Badge tone="ok">Queued again</Badge>
                          ) : (
                            <button
                              className="btn btn-small"
                              disabled={busy[m.id]}
                              onClick={() => void retry(m)}
                              aria-label={`Retry the message from ${m.customer}`}
                            >
                              {busy[m.id] ? 'Retrying…' : 'Retry'}
                            </button>
                          )}
                        </td>
                      </tr>
                      {error != null && (
                        <tr className="row-error">
                          <td colSpan={8}>
                            <ErrorBox error={error} title="Could not retry." />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
          <LoadMore cursor={failed.data?.next_cursor ?? null} load={loadMore} />
        </>
      )}
    </Card>
  );
}

/** The Dashboard line: how many messages failed, linking to the section; nothing when none. */
export function FailedMessagesNotice({ page }: { page: Page<MessageSummary> | null | undefined }) {
  const count = page?.items.filter((m) => m.status === 'failed').length ?? 0;
  if (count === 0) return null;
  const more = page?.next_cursor ? '+' : '';
  return (
    <div className="notice notice-action" role="status">
      <span>
        <Badge tone="bad" title="Failed messages">
          {count}
          {more}
        </Badge>{' '}
        {count === 1 && !more ? 'customer message' : 'customer messages'} could not be processed after {MAX_ATTEMPTS}{' '}
        attempts.
      </span>
      <Link className="btn btn-small" to={FAILED_SECTION}>
        Review failed messages
      </Link>
    </div>
  );
}
