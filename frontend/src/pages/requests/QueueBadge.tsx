/** How many items wait for the owner (escalated, quota-blocked, failed), kept live by polling. */
import { countQueue } from '../../api/gen';
import { keys, useApiQuery } from '../../api/queries';
import { isEnabled } from '../../features';

export const QUEUE_POLL_MS = 15_000;
export const queueCountKey = [...keys.queue, 'count'];

export function useQueueCount() {
  return useApiQuery(queueCountKey, countQueue, { refetchInterval: QUEUE_POLL_MS, enabled: isEnabled('queue') });
}

export function QueueBadge() {
  const count = useQueueCount().data?.total ?? 0;
  if (count === 0) return null;
  return (
    <span className="nav-badge" aria-label={`${count} waiting`}>
      {count > 99 ? '99+' : count}
    </span>
  );
}
