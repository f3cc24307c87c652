import { Link } from 'react-router-dom';
import { ListView, type Column } from '../../components/DataTable';
import { ErrorBox } from '../../components/ErrorBox';
import { useToast } from '../../components/Toast';
import { useUrlFilters } from '../../components/useUrlFilters';
import { Badge, PageHeader } from '../../components/ui';
import { formatDate } from '../../format';
import { listNotifications, markAllNotificationsRead, markNotificationRead, type NotificationOut } from '../../api/gen';
import { keys, useApiMutation, usePagedQuery } from '../../api/queries';
import { NOTIFICATIONS_POLL_MS, useUnreadCount } from './NotificationBadge';

const PAGE = 50;

/** Where the Telegram and e-mail copies went; a channel the owner did not choose is left out. */
export function deliveryLine(n: NotificationOut): string {
  const copies: [string, string | null][] = [
    ['Telegram', n.telegram],
    ['E-mail', n.email],
  ];
  return copies
    .filter(([, state]) => state !== null)
    .map(([channel, state]) => `${channel}: ${state}${state === 'failed' && n.delivery_error ? ` — ${n.delivery_error}` : ''}`)
    .join(' · ');
}

/** The notification centre: every owner-facing event, newest first, whichever channels it also went to. */
export function NotificationsPage() {
  const toast = useToast();
  const filters = useUrlFilters({ unread: '' });
  const unreadOnly = filters.values.unread === 'true';
  const list = usePagedQuery<NotificationOut>(
    [...keys.notifications, 'list', unreadOnly],
    (o) => listNotifications({ ...o, query: { cursor: o.cursor, limit: PAGE, ...(unreadOnly ? { unread: true } : {}) } }),
    { refetchInterval: NOTIFICATIONS_POLL_MS },
  );
  const unread = useUnreadCount().data?.unread ?? 0;
  // The root covers the list and the badge's count.
  const markRead = useApiMutation((client, id: string) => markNotificationRead({ client, path: { notification_id: id } }), {
    invalidates: [keys.notifications],
  });
  const markAll = useApiMutation((client, _: void) => markAllNotificationsRead({ client }), {
    invalidates: [keys.notifications],
    onSuccess: ({ marked }) => toast.success(`${marked} ${marked === 1 ? 'notification' : 'notifications'} marked read.`),
  });

  const columns: Column<NotificationOut>[] = [
    { key: 'when', header: 'When', className: 'small nowrap', cell: (n) => formatDate(n.created_at) },
    {
      key: 'what',
      header: 'Notification',
      cell: (n) => (
        <>
          <div>
            <strong>{n.title}</strong> {!n.read && <Badge tone="info">Unread</Badge>}
          </div>
          <div>{n.body}</div>
          {deliveryLine(n) && <div className="muted tiny">{deliveryLine(n)}</div>}
        </>
      ),
    },
    {
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'actions nowrap',
      cell: (n) => (
        <div className="button-row">
          {n.link && (
            <Link className="btn btn-small" to={n.link} onClick={() => !n.read && markRead.mutate(n.id)}>
              Open
            </Link>
          )}
          {!n.read && (
            <button className="btn btn-small" disabled={markRead.isPending} onClick={() => markRead.mutate(n.id)} aria-label={`Mark read: ${n.title}`}>
              Mark read
            </button>
          )}
        </div>
      ),
    },
  ];

  return (
    <div className="page">
      <PageHeader
        title="Notifications"
        subtitle="Everything SupportAI told you about, newest first, and where each copy went."
        actions={
          <button className="btn" disabled={unread === 0 || markAll.isPending} onClick={() => markAll.mutate()}>
            {markAll.isPending ? 'Marking…' : 'Mark all read'}
          </button>
        }
      />
      <div className="tabs" role="tablist" aria-label="Show">
        <button role="tab" aria-selected={!unreadOnly} className={`tab${unreadOnly ? '' : ' active'}`} onClick={() => filters.set({ unread: '' })}>
          All
        </button>
        <button role="tab" aria-selected={unreadOnly} className={`tab${unreadOnly ? ' active' : ''}`} onClick={() => filters.set({ unread: 'true' })}>
          Unread <span className="tab-count">{unread}</span>
        </button>
      </div>
      <ErrorBox error={markRead.error ?? markAll.error} />
      <ListView
        source={list}
        what="notifications"
        empty="No notifications yet."
        noMatch="No unread notifications."
        filters={filters}
        columns={columns}
        rowKey={(n) => n.id}
        rowProps={(n) => ({ 'data-testid': `notification-${n.id}` })}
        label="Notifications"
      />
    </div>
  );
}
