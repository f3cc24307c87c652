/** How many notifications the owner has not read yet, kept live by polling. */
import { countUnreadNotifications } from '../../api/gen';
import { keys, useApiQuery } from '../../api/queries';

export const NOTIFICATIONS_POLL_MS = 30_000;
export const unreadCountKey = [...keys.notifications, 'unread-count'];

export function useUnreadCount() {
  return useApiQuery(unreadCountKey, countUnreadNotifications, { refetchInterval: NOTIFICATIONS_POLL_MS });
}

export function NotificationBadge() {
  const count = useUnreadCount().data?.unread ?? 0;
  if (count === 0) return null;
  return (
    <span className="nav-badge" aria-label={`${count} unread`}>
      {count > 99 ? '99+' : count}
    </span>
  );
}
