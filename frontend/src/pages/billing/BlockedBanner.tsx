import { Link } from 'react-router-dom';
import { isEnabled } from '../../features';
import { BILLING_PATH, PAYMENTS_ANCHOR, PLANS_ANCHOR } from './labels';

const WHY: Record<string, { text: string; fix: string; link: string; anchor: string }> = {
  quota: {
    text: "New support requests are blocked: this cycle's quota is used up. They are kept and shown to you, but not answered until the cycle resets or the plan is upgraded.",
    fix: 'Ask the account owner to upgrade the plan.',
    link: 'Upgrade plan',
    anchor: PLANS_ANCHOR,
  },
  lapsed: {
    text: 'New support requests are blocked: the subscription lapsed because an invoice was not paid. Requests already open are still handled; paying reactivates the account at once.',
    fix: 'Ask the account owner to pay the open invoice.',
    link: 'Pay to reactivate',
    anchor: PAYMENTS_ANCHOR,
  },
};

/** Why new requests are refused right now, with the way out (shown on the dashboard and the queue). */
export function BlockedBanner({ reason, isOwner }: { reason: string | null | undefined; isOwner: boolean }) {
  const why = reason ? WHY[reason] : undefined;
  if (!why) return null;
  return (
    <div className="notice notice-action notice-blocked" role="alert">
      <span>
        {why.text}
        {!isOwner && <> {why.fix}</>}
      </span>
      {isEnabled('usage') && (
        <Link className="btn btn-primary btn-small" to={`${BILLING_PATH}#${why.anchor}`}>
          {isOwner ? why.link : 'See billing'}
        </Link>
      )}
    </div>
  );
}
