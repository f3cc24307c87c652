/** API answers the support pages' tests share. */
import type { AutomationFigure, Dashboard } from '../api/gen';

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
