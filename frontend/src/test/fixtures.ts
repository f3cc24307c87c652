/** API answers the support pages' tests share. */
import type { AutomationFigure, Dashboard, RequestOut } from '../api/gen';

export function automation(requests: number, automated: number, human = 0, wrong = 0): AutomationFigure {
  return {
    period_start: '2025-01-02T00:00:00Z',
    period_end: '2025-01-03T00:00:00Z',
    requests,
    automated_resolved: automated,
    automated_resolution_rate: requests ? automated / requests : null,
    human_touched: human,
    wrong_actions: wrong,
  };
}

export function dashboard(patch: Partial<Dashboard> = {}): Dashboard {
  return {
    today: automation(0, 0),
    period: automation(0, 0),
    requests_by_day: [],
    open_escalations: 0,
    waiting_for_provider: 0,
    queue: 0,
    failed_messages: 0,
    requests_used: 0,
    requests_limit: 500,
    credits_left: 1000,
    credits_low: false,
    blocked_reason: null,
    recent_activity: [],
    ...patch,
  };
}

/** A request as the API shows it: an escalated refill of order 1111 waiting on the team. */
export function requestOut(patch: Partial<RequestOut> = {}): RequestOut {
  return {
    id: 'r1',
    created_at: '2025-01-02T10:00:00Z',
    updated_at: null,
    message_id: 'm1',
    customer: 'alice',
    order_id: '1111',
    external_order_id: null,
    provider: null,
    service_id: null,
    intent: 'refill',
    outcome: 'escalate',
    status: 'escalated',
    reason: 'needs a person',
    drop: null,
    provider_refill_id: null,
    follow_ups: 0,
    next_check_at: null,
    waiting_on: 'person',
    waiting_since: '2025-01-02T10:00:00Z',
    sla_due_at: null,
    overdue: false,
    assignee_id: null,
    ...patch,
  };
}
