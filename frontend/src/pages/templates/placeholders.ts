/**
 * Client-side check of a reply template, mirroring the server's rules:
 * `{name}` placeholders must be allowed for the template, take no format
 * options, and literal braces are written `{{` and `}}`.
 */
export function findPlaceholderProblems(text: string, allowed: string[]): string[] {
  const problems: string[] = [];
  const stripped = text.replace(/\{\{|\}\}/g, '');
  const re = /\{([^{}]*)\}/g;
  const seen = new Set<string>();
  let m: RegExpExecArray | null;
  while ((m = re.exec(stripped))) {
    const field = m[1];
    const name = field.split(/[!:]/)[0].trim();
    if (seen.has(field)) continue;
    seen.add(field);
    if (name !== field) problems.push(`placeholder {${name}} takes no format options`);
    else if (!allowed.includes(name)) {
      const choices = allowed.length ? allowed.map((a) => `{${a}}`).join(', ') : 'none';
      problems.push(`unknown placeholder {${name || ''}} (allowed: ${choices})`);
    }
  }
  const rest = stripped.replace(re, '');
  if (/[{}]/.test(rest)) problems.push('unmatched brace: write {{ or }} for a literal brace');
  return problems;
}

/** Human titles for the template keys the engine knows; unknown keys get a prettified name. */
export const TEMPLATE_INFO: Record<string, { title: string; group: string }> = {
  order_id_missing: { title: 'Order ID missing', group: 'Validation' },
  order_not_found: { title: 'Order not found', group: 'Validation' },
  duplicate_open_request: { title: 'Already being handled', group: 'Validation' },
  refill_not_available: { title: 'No refill for this service', group: 'Refill' },
  refill_period_expired: { title: 'Refill period expired', group: 'Refill' },
  order_not_completed: { title: 'Order not completed yet', group: 'Refill' },
  order_canceled: { title: 'Order canceled', group: 'Refill' },
  order_partial: { title: 'Partial order (no refill)', group: 'Refill' },
  below_start_count: { title: 'Below start count', group: 'Refill' },
  no_drop: { title: 'No drop found', group: 'Refill' },
  forward_refill: { title: 'Refill requested from provider', group: 'Refill' },
  screenshot_required: { title: 'Screenshot required', group: 'Validation' },
  cannot_cancel_completed: { title: 'Completed: cannot cancel', group: 'Cancel' },
  already_partial: { title: 'Already partial', group: 'Cancel' },
  already_canceled: { title: 'Already canceled', group: 'Cancel' },
  cancel_not_available: { title: 'Cancel not available', group: 'Cancel' },
  forward_cancel: { title: 'Cancel requested from provider', group: 'Cancel' },
  already_completed: { title: 'Already completed', group: 'Speed-up' },
  order_closed: { title: 'Order closed', group: 'Speed-up' },
  within_expected_time: { title: 'Within expected time', group: 'Speed-up' },
  forward_speed_up: { title: 'Speed-up requested from provider', group: 'Speed-up' },
  escalate: { title: 'Passed to the team (manual review)', group: 'Other' },
  too_many_orders: { title: 'Too many orders in one message', group: 'Other' },
  provider_declined: { title: 'Provider declined', group: 'Follow-up' },
  refill_done: { title: 'Refill done', group: 'Follow-up' },
  cancel_done: { title: 'Cancel done', group: 'Follow-up' },
  speed_up_done: { title: 'Speed-up done', group: 'Follow-up' },
};

export function templateTitle(key: string): string {
  return TEMPLATE_INFO[key]?.title ?? key.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

export const GROUP_ORDER = ['Validation', 'Refill', 'Cancel', 'Speed-up', 'Follow-up', 'Other'];

export function templateGroup(key: string): string {
  return TEMPLATE_INFO[key]?.group ?? 'Other';
}
