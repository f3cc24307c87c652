import { useEffect, useState } from 'react';
import { useLocation } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import { LoadError, Loading, OwnerOnlyNote, PageHeader } from '../../components/ui';
import { useCredits, useInvoices, usePlans, useSubscription, useUsage } from '../../api/resources';
import { BlockedBanner } from './BlockedBanner';
import { CreditsCard } from './CreditsCard';
import { GatewayChooser } from './GatewayChooser';
import { InvoiceHistory, PendingPayments } from './Payments';
import { PlanComparison } from './PlanComparison';
import { SubscriptionCard } from './SubscriptionCard';
import { UsageSection } from './UsageCards';

/** Links such as /billing#plans scroll to their section once it is on the page. */
function useScrollToHash(ready: boolean) {
  const { hash } = useLocation();
  useEffect(() => {
    if (ready && hash) document.getElementById(hash.slice(1))?.scrollIntoView?.({ block: 'start' });
  }, [ready, hash]);
}

/** Billing & Usage: the plan and its status, the quota, plans to change to, payments, invoices and credits. */
export function BillingPage() {
  const { isOwner } = useAuth();
  const usage = useUsage();
  const sub = useSubscription();
  const plans = usePlans();
  const invoices = useInvoices();
  const credits = useCredits();
  const [chosenGateway, setChosenGateway] = useState<string | null>(null);
  useScrollToHash(Boolean(sub.data && plans.data));

  const gateways = sub.data?.gateways ?? [];
  // Sent only when there is a choice; with one gateway the server uses it.
  const gateway = gateways.length > 1 ? (chosenGateway ?? gateways[0]) : undefined;

  return (
    <div className="page">
      <PageHeader title="Billing & Usage" subtitle="Support requests are counted per order at validation time. Follow-ups, retries and provider pings are free." />
      {!isOwner && <OwnerOnlyNote what="change the plan or pay" />}
      <BlockedBanner reason={usage.data?.blocked_reason ?? sub.data?.blocked_reason} isOwner={isOwner} />

      {sub.isPending ? (
        <Loading />
      ) : sub.isError ? (
        <LoadError error={sub.error} what="subscription" />
      ) : (
        <SubscriptionCard sub={sub.data} plans={plans.data} isOwner={isOwner} />
      )}

      {usage.error ? (
        <LoadError error={usage.error} what="usage" />
      ) : (
        usage.data && <UsageSection usage={usage.data} />
      )}

      {isOwner && <GatewayChooser gateways={gateways} value={gateway ?? ''} onChange={setChosenGateway} />}

      {plans.error ? (
        <LoadError error={plans.error} what="plans" />
      ) : (
        plans.data && <PlanComparison plans={plans.data} sub={sub.data} isOwner={isOwner} gateway={gateway} />
      )}

      {sub.data && <PendingPayments invoices={sub.data.open_invoices} isOwner={isOwner} gateway={gateway} />}

      {invoices.error ? <LoadError error={invoices.error} what="invoices" /> : invoices.data && <InvoiceHistory invoices={invoices.data} />}

      {credits.error ? (
        <LoadError error={credits.error} what="tracking credits" />
      ) : (
        credits.data && <CreditsCard credits={credits.data} gateway={gateway} />
      )}
    </div>
  );
}
