import { Card } from '../../components/ui';
import { ErrorBox } from '../../components/ErrorBox';
import { daysUntil, formatCents, formatDay } from '../../format';
import { cancelScheduledChange, type PlanOut, type SubscriptionOut } from '../../api/gen';
import { keys, useApiMutation } from '../../api/queries';
import { SubscriptionBadge, planName } from './labels';

/** The renewal invoice's due date is the end of the 3-day grace period. */
function graceDeadline(sub: SubscriptionOut): string | null {
  return sub.open_invoices.find((i) => i.kind === 'renewal')?.due_at ?? null;
}

/** What the subscription status means for the owner, in one or two sentences. */
function StatusText({ sub }: { sub: SubscriptionOut }) {
  switch (sub.status) {
    case 'trialing': {
      const days = sub.trial_ends_at ? daysUntil(sub.trial_ends_at) : null;
      return (
        <p>
          Trial{days !== null && <>: <strong>{days} {days === 1 ? 'day' : 'days'} left</strong>, until {formatDay(sub.trial_ends_at)}</>}. Pay the first
          invoice before the trial ends; unpaid, the account lapses and new requests are refused.
        </p>
      );
    }
    case 'past_due': {
      const deadline = graceDeadline(sub);
      return (
        <p>
          The renewal invoice is unpaid. Pay it {deadline ? <>by <strong>{formatDay(deadline)}</strong></> : 'within the 3-day grace period'}, or
          the subscription lapses and new requests are refused.
        </p>
      );
    }
    case 'lapsed':
      return (
        <p>
          The subscription lapsed because an invoice was not paid in time. New support requests are refused; requests already open are still
          handled and nothing is deleted. Paying the open invoice reactivates the account at once and starts a new cycle from that day.
        </p>
      );
    default:
      return null;
  }
}

/** The current plan, its price and status, the next renewal and a scheduled downgrade. */
export function SubscriptionCard({ sub, plans, isOwner }: { sub: SubscriptionOut; plans: PlanOut[] | undefined; isOwner: boolean }) {
  const cancel = useApiMutation((client, _: void) => cancelScheduledChange({ client }), { updates: keys.subscription });
  const busy = cancel.isPending;
  const renewal = sub.next_renewal;
  const scheduled = sub.scheduled_change;
  return (
    <Card
      title={<>Plan: {sub.plan.name}</>}
      actions={
        <>
          <SubscriptionBadge status={sub.status} />
          <span className="muted small">
            Cycle {formatDay(sub.cycle_start)} – {formatDay(sub.cycle_end)}
          </span>
        </>
      }
    >
      <div className="plan-summary">
        <div className="big-number">
          {formatCents(sub.plan.price_cents, { wholeDollars: true })} <span className="muted small">/ month</span>
        </div>
        <StatusText sub={sub} />
        {!sub.billing_enforced && (
          <div className="notice" role="note">
            Payments are not set up on this server, so plans renew at each anniversary without charge.
          </div>
        )}
        {renewal && (
          <p className="muted">
            Renews on {formatDay(renewal.at)} as {planName(plans, renewal.plan)}
            {sub.billing_enforced && <> for {formatCents(renewal.amount_cents)}</>}.
          </p>
        )}
        {scheduled && (
          <div className="notice notice-action" role="status">
            <span>
              Downgrade to <strong>{planName(plans, scheduled.plan)}</strong> scheduled for {formatDay(scheduled.effective_at)}. Nothing changes until then.
            </span>
            {isOwner && (
              <button type="button" className="btn btn-small" disabled={busy} onClick={() => cancel.mutate()}>
                {busy ? 'Cancelling…' : 'Cancel downgrade'}
              </button>
            )}
          </div>
        )}
        <ErrorBox error={cancel.error} />
      </div>
    </Card>
  );
}
