import { Badge, Card } from '../../components/ui';
import { ConfirmButton } from '../../components/ConfirmButton';
import { formatCents, formatDay } from '../../format';
import { changePlan, type PlanChangeOut, type PlanOut, type SubscriptionOut } from '../../api/gen';
import { keys, useApiMutation } from '../../api/queries';
import { PLANS_ANCHOR, planName } from './labels';

function overageText(plan: PlanOut): string {
  if (!plan.overage) return 'new requests blocked';
  const { block_requests, block_price_cents } = plan.overage;
  return `+${formatCents(block_price_cents, { wholeDollars: true })} per ${block_requests.toLocaleString()} requests, billed at renewal`;
}

/** What choosing `target` does, said before the owner confirms. */
function changeMessage(sub: SubscriptionOut, target: PlanOut, upgrade: boolean): string {
  if (sub.status === 'trialing') {
    return `Your first invoice is replaced by one for ${target.name} (${formatCents(target.price_cents)}). Pay it before the trial ends.`;
  }
  if (!upgrade) {
    return `${target.name} starts at your next anniversary, ${formatDay(sub.cycle_end)}. You keep ${sub.plan.name} until then and can cancel the change before it happens.`;
  }
  const when = sub.billing_enforced
    ? 'as soon as the invoice for the difference, prorated by the days left in this cycle, is paid'
    : 'at once';
  return `${target.name} applies ${when}; this cycle's unused requests and base credits are added on top. Your billing anniversary does not move.`;
}

/** The answer to a plan change: the invoice to pay, or the scheduled date. */
function ChangeResult({ result, plans }: { result: PlanChangeOut; plans: PlanOut[] }) {
  const { invoice, subscription } = result;
  const paymentUrl = result.payment_url ?? invoice?.payment_url ?? null;
  if (result.change === 'downgrade') {
    const at = subscription.scheduled_change?.effective_at;
    const target = subscription.scheduled_change ? planName(plans, subscription.scheduled_change.plan) : 'the new plan';
    return <div className="notice notice-ok" role="status">Downgrade to {target} scheduled{at && <> for {formatDay(at)}</>}.</div>;
  }
  if (!invoice) {
    return <div className="notice notice-ok" role="status">You are now on {subscription.plan.name}.</div>;
  }
  const prorated = invoice.lines.find((l) => l.kind === 'proration');
  return (
    <div className="notice notice-ok change-result" role="status">
      <span>
        Invoice {invoice.number}: <strong>{formatCents(invoice.total_cents)}</strong>
        {prorated ? <> ({prorated.description})</> : null}.{' '}
        {result.change === 'upgrade' ? 'The new plan applies as soon as it is paid.' : 'Pay it before the trial ends.'}
      </span>
      {paymentUrl && (
        <a className="btn btn-primary btn-small" href={paymentUrl} target="_blank" rel="noreferrer">
          Open the payment page
        </a>
      )}
    </div>
  );
}

/** One plan; onChoose (owners only) adds its Upgrade or Downgrade button, confirmed first. */
function PlanOption({ plan, sub, onChoose }: { plan: PlanOut; sub: SubscriptionOut | undefined; onChoose?: (plan: PlanOut) => Promise<unknown> }) {
  const current = sub?.plan.code === plan.code;
  const scheduled = sub?.scheduled_change?.plan === plan.code ? sub.scheduled_change : null;
  const upgrade = sub !== undefined && plan.price_cents > sub.plan.price_cents;
  const verb = upgrade ? 'Upgrade' : 'Downgrade';
  return (
    <li className={`plan-option${current ? ' plan-current' : ''}`} aria-current={current || undefined}>
      <div className="plan-option-head">
        <h3>{plan.name}</h3>
        {current && <Badge tone="info">Current plan</Badge>}
        {scheduled && <Badge tone="warn">From {formatDay(scheduled.effective_at)}</Badge>}
      </div>
      <div className="plan-price">
        {formatCents(plan.price_cents, { wholeDollars: true })} <span className="muted small">/ month</span>
      </div>
      <dl className="plan-facts">
        <dt>Requests per cycle</dt>
        <dd>{plan.requests_per_cycle.toLocaleString()}</dd>
        <dt>Base credits</dt>
        <dd>{plan.base_credits.toLocaleString()}</dd>
      </dl>
      <p className="small plan-overage">Over the quota: {overageText(plan)}</p>
      {onChoose && sub && !current && !scheduled && (
        <ConfirmButton
          className={upgrade ? 'btn btn-primary' : 'btn'}
          title={`${verb} to ${plan.name}?`}
          message={changeMessage(sub, plan, upgrade)}
          confirmLabel={verb}
          danger={false}
          onConfirm={() => onChoose(plan)}
        >
          {verb}
        </ConfirmButton>
      )}
    </li>
  );
}

interface Props {
  plans: PlanOut[];
  sub: SubscriptionOut | undefined;
  isOwner: boolean;
  gateway?: string;
}

/** All plans side by side; the owner upgrades (invoice now) or downgrades (at the anniversary). */
export function PlanComparison({ plans, sub, isOwner, gateway }: Props) {
  // A refusal shows in the confirmation dialog; the answer (invoice or schedule) below the plans.
  const change = useApiMutation((client, plan: PlanOut) => changePlan({ client, body: { plan: plan.code, gateway } }), {
    invalidates: [keys.subscription, keys.invoices, keys.usage],
  });
  const result = change.data;
  // The server refuses plan changes while an invoice is overdue: paying comes first.
  const unpaid = sub?.status === 'past_due' || sub?.status === 'lapsed';
  const canChange = isOwner && sub !== undefined && !unpaid;
  return (
    <section id={PLANS_ANCHOR}>
      <Card title="Plans">
        <ul className="plan-options" aria-label="Plans">
          {plans.map((p) => (
            <PlanOption key={p.code} plan={p} sub={sub} onChoose={canChange ? change.mutateAsync : undefined} />
          ))}
        </ul>
        {isOwner && unpaid && <p className="muted small plans-note">Pay the open invoice (below) before changing the plan.</p>}
        {result && <ChangeResult result={result} plans={plans} />}
      </Card>
    </section>
  );
}
