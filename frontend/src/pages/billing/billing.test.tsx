import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderApp } from '../../test/renderApp';
import { setFeatures } from '../../features';
import { dashboard } from '../../test/fixtures';
import type { CreditsOut, InvoiceOut, PlanChangeOut, PlanOut, SubscriptionOut, UsageOut } from '../../api/gen';

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();

const PLANS: PlanOut[] = [
  { code: 'starter', name: 'Starter', price_cents: 2900, requests_per_cycle: 50, base_credits: 500, overage: null },
  { code: 'growth', name: 'Growth', price_cents: 6900, requests_per_cycle: 200, base_credits: 2000, overage: null },
  { code: 'scale', name: 'Scale', price_cents: 14900, requests_per_cycle: 500, base_credits: 6000, overage: null },
  { code: 'enterprise', name: 'Enterprise', price_cents: 29900, requests_per_cycle: 1000, base_credits: 20000, overage: { block_requests: 500, block_price_cents: 7900 } },
];
const plan = (code: string) => PLANS.find((p) => p.code === code)!;

function invoice(overrides: Partial<InvoiceOut> = {}): InvoiceOut {
  return {
    id: 'inv-1', number: 'INV-000001', kind: 'renewal', status: 'open', total_cents: 2900, total: '29.00', currency: 'USD',
    lines: [{ kind: 'plan', description: 'Starter, one month', quantity: 1, unit_cents: 2900, amount_cents: 2900 }],
    period_start: at(0), period_end: at(30), due_at: at(3), created_at: at(0), paid_at: null, payment_url: null, attempts: [],
    ...overrides,
  };
}

function subscription(overrides: Partial<SubscriptionOut> = {}): SubscriptionOut {
  return {
    plan: plan('starter'), status: 'active', billing_enforced: true, trial_ends_at: null,
    cycle_start: at(-10), cycle_end: at(20), next_renewal: { at: at(20), plan: 'starter', amount_cents: 2900 }, scheduled_change: null,
    requests_used: 45, requests_limit: 50, requests_left: 5, blocked_reason: null, open_invoices: [], gateways: ['cryptomus'],
    ...overrides,
  };
}

function usage(overrides: Partial<UsageOut> = {}): UsageOut {
  return {
    plan: 'starter', plan_name: 'Starter', status: 'active', blocked_reason: null, cycle_start: at(-10), cycle_end: at(20),
    requests_used: 45, requests_limit: 50, requests_left: 5, overage_requests: 0, overage_blocks: 0, blocked_requests: 0,
    automation: { automated_resolution_rate: null, automated_resolved: 0, human_touched: 0, period_start: at(-10), period_end: at(20), requests: 0, wrong_actions: 0 },
    ...overrides,
  };
}

const CREDITS: CreditsOut = { base: 500, prepaid: 0, total: 500, low: false, entries: [], packs: [{ code: 'small', credits: 1000, price_cents: 900 }] };

/** The billing routes over one mutable subscription, as the server keeps it. */
function billingRoutes(state: { sub: SubscriptionOut; invoices?: InvoiceOut[] }) {
  return {
    'GET /api/plans': () => PLANS,
    'GET /api/subscription': () => state.sub,
    'GET /api/usage': () => usage({ plan: state.sub.plan.code, plan_name: state.sub.plan.name, blocked_reason: state.sub.blocked_reason }),
    'GET /api/invoices': () => state.invoices ?? [],
    'GET /api/credits': () => CREDITS,
  };
}

/** The plans and the subscription have both arrived (the current plan is marked). */
const plansReady = () => screen.findByText('Current plan');
const planRow = (name: string) => within(screen.getByRole('list', { name: 'Plans' })).getByRole('heading', { name }).closest('li') as HTMLElement;

let restore: () => void;
beforeEach(() => {
  restore = setFeatures({ usage: true, queue: true });
});
afterEach(() => restore());

describe('Billing & Usage', () => {
  it('compares the four plans and marks the current one', async () => {
    renderApp('/billing', { routes: billingRoutes({ sub: subscription({ plan: plan('growth') }) }) });
    await plansReady();
    const list = screen.getByRole('list', { name: 'Plans' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(4);
    expect(planRow('Growth')).toHaveTextContent('Current plan');
    expect(planRow('Growth').getAttribute('aria-current')).toBe('true');
    for (const other of ['Starter', 'Scale', 'Enterprise']) expect(planRow(other)).not.toHaveTextContent('Current plan');
    expect(planRow('Enterprise')).toHaveTextContent('$299');
    expect(planRow('Enterprise')).toHaveTextContent('+$79 per 500 requests');
    expect(planRow('Scale')).toHaveTextContent('6,000');
    expect(within(planRow('Starter')).getByRole('button', { name: 'Downgrade' })).toBeInTheDocument();
    expect(within(planRow('Scale')).getByRole('button', { name: 'Upgrade' })).toBeInTheDocument();
    expect(within(planRow('Growth')).queryByRole('button')).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Plan: Growth' })).toBeInTheDocument();
  });

  it('upgrades after confirming, then shows the prorated amount and the payment page', async () => {
    const state = { sub: subscription() };
    const upgradeInvoice = invoice({
      id: 'inv-up', number: 'INV-000042', kind: 'upgrade', total_cents: 2667, total: '26.67',
      lines: [{ kind: 'proration', description: 'Starter → Growth, 20 of 30 days', quantity: 1, unit_cents: 2667, amount_cents: 2667 }],
      payment_url: 'https://pay.example/inv-up',
    });
    const { server } = renderApp('/billing', {
      routes: {
        ...billingRoutes(state),
        'POST /api/subscription/change': (): PlanChangeOut => {
          state.sub = { ...state.sub, open_invoices: [upgradeInvoice] };
          return { change: 'upgrade', subscription: state.sub, invoice: upgradeInvoice, payment_url: 'https://pay.example/inv-up' };
        },
      },
    });
    await plansReady();
    fireEvent.click(within(planRow('Growth')).getByRole('button', { name: 'Upgrade' }));
    const dialog = screen.getByRole('dialog', { name: 'Upgrade to Growth?' });
    expect(server.callsTo('POST', '/api/subscription/change')).toHaveLength(0);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Upgrade' }));

    const result = await screen.findByText(/INV-000042/, { selector: '.change-result span' });
    expect(result).toHaveTextContent('$26.67');
    expect(result).toHaveTextContent('Starter → Growth, 20 of 30 days');
    expect(screen.getByRole('link', { name: 'Open the payment page' }).getAttribute('href')).toBe('https://pay.example/inv-up');
    expect(server.callsTo('POST', '/api/subscription/change')[0].body).toEqual({ plan: 'growth' });
    // The new invoice waits among the pending payments.
    expect(within(screen.getByRole('list', { name: 'Pending payments' })).getByText('INV-000042')).toBeInTheDocument();
    await waitFor(() => expect(server.callsTo('GET', '/api/invoices')).toHaveLength(2));
  });

  it('schedules a downgrade for the anniversary and cancels it', async () => {
    const state = { sub: subscription({ plan: plan('growth') }) };
    const { server } = renderApp('/billing', {
      routes: {
        ...billingRoutes(state),
        'POST /api/subscription/change': (req): PlanChangeOut => {
          const code = (req.body as { plan: 'starter' }).plan;
          state.sub = { ...state.sub, scheduled_change: { plan: code, effective_at: state.sub.cycle_end } };
          return { change: 'downgrade', subscription: state.sub, invoice: null, payment_url: null };
        },
        'DELETE /api/subscription/scheduled-change': () => {
          state.sub = { ...state.sub, scheduled_change: null };
          return state.sub;
        },
      },
    });
    await plansReady();
    fireEvent.click(within(planRow('Starter')).getByRole('button', { name: 'Downgrade' }));
    const dialog = screen.getByRole('dialog', { name: 'Downgrade to Starter?' });
    expect(dialog).toHaveTextContent('next anniversary');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Downgrade' }));

    const scheduled = await screen.findByText(/Downgrade to/, { selector: '.notice-action span' });
    expect(scheduled).toHaveTextContent('Starter');
    expect(scheduled).toHaveTextContent('Nothing changes until then');
    expect(planRow('Starter')).toHaveTextContent('From ');
    expect(within(planRow('Starter')).queryByRole('button', { name: 'Downgrade' })).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Plan: Growth' })).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Cancel downgrade' }));
    // While the call runs the button reads "Cancelling…": wait for the plan list to show the answer.
    await waitFor(() => expect(within(planRow('Starter')).getByRole('button', { name: 'Downgrade' })).toBeInTheDocument());
    expect(screen.queryByText(/Nothing changes until then/, { selector: '.notice-action span' })).not.toBeInTheDocument();
    expect(server.callsTo('DELETE', '/api/subscription/scheduled-change')).toHaveLength(1);
  });

  it('pays a pending invoice through the chosen gateway', async () => {
    const open = invoice({ payment_url: null });
    const { server } = renderApp('/billing', {
      routes: {
        ...billingRoutes({ sub: subscription({ gateways: ['cryptomus', 'nowpayments'], open_invoices: [open] }), invoices: [open] }),
        'POST /api/invoices/inv-1/pay': (req) => ({
          id: 'att-1', invoice_id: 'inv-1', gateway: (req.body as { gateway: string }).gateway, status: 'pending',
          payment_url: 'https://nowpayments.example/i/1', expires_at: at(1), created_at: at(0), paid_at: null,
        }),
      },
    });
    fireEvent.click(await screen.findByLabelText('NOWPayments'));
    const pending = screen.getByRole('list', { name: 'Pending payments' });
    expect(within(pending).queryByRole('link')).not.toBeInTheDocument();
    fireEvent.click(within(pending).getByRole('button', { name: 'Pay INV-000001' }));
    const link = await within(pending).findByRole('link', { name: 'Open payment page' });
    expect(link.getAttribute('href')).toBe('https://nowpayments.example/i/1');
    expect(server.callsTo('POST', '/api/invoices/inv-1/pay')[0].body).toEqual({ gateway: 'nowpayments' });
  });

  it('lists invoices with their lines, status and payment attempts', async () => {
    const paid = invoice({
      id: 'inv-9', number: 'INV-000009', kind: 'renewal', status: 'paid', total_cents: 37800, total: '378.00', paid_at: at(-1),
      lines: [
        { kind: 'plan', description: 'Enterprise, one month', quantity: 1, unit_cents: 29900, amount_cents: 29900 },
        { kind: 'overage', description: 'Overage: 300 requests over the limit', quantity: 1, unit_cents: 7900, amount_cents: 7900 },
      ],
      attempts: [
        { id: 'a1', invoice_id: 'inv-9', gateway: 'cryptomus', status: 'expired', payment_url: 'https://c.example/1', expires_at: at(-2), created_at: at(-3), paid_at: null },
        { id: 'a2', invoice_id: 'inv-9', gateway: 'nowpayments', status: 'paid', payment_url: 'https://n.example/2', expires_at: at(0), created_at: at(-2), paid_at: at(-1) },
      ],
    });
    renderApp('/billing', { routes: billingRoutes({ sub: subscription({ plan: plan('enterprise') }), invoices: [paid] }) });
    const history = await screen.findByRole('table', { name: 'Invoice history' });
    const row = within(history).getByText('INV-000009').closest('tr') as HTMLElement;
    expect(row).toHaveTextContent('$378.00');
    expect(row).toHaveTextContent('Overage: 300 requests over the limit');
    expect(row).toHaveTextContent('Paid');
    expect(row).toHaveTextContent('Cryptomus · expired');
    expect(row).toHaveTextContent('NOWPayments · paid');
  });

  it('explains the trial and the grace period', async () => {
    const trial = renderApp('/billing', {
      routes: billingRoutes({ sub: subscription({ status: 'trialing', trial_ends_at: at(3.5), open_invoices: [invoice({ kind: 'subscription' })] }) }),
    });
    expect(await screen.findByText(/4 days left/)).toBeInTheDocument();
    expect(screen.getByText('Trial')).toBeInTheDocument();
    trial.unmount();

    const due = at(2);
    renderApp('/billing', { routes: billingRoutes({ sub: subscription({ status: 'past_due', open_invoices: [invoice({ due_at: due })] }) }) });
    const text = await screen.findByText(/renewal invoice is unpaid/);
    expect(text).toHaveTextContent(new Date(due).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }));
  });

  it('asks for the overdue invoice to be paid before the plan can change', async () => {
    renderApp('/billing', { routes: billingRoutes({ sub: subscription({ status: 'lapsed', open_invoices: [invoice()] }) }) });
    await plansReady();
    expect(screen.getByText(/Pay the open invoice \(below\) before changing the plan/)).toBeInTheDocument();
    expect(within(screen.getByRole('list', { name: 'Plans' })).queryAllByRole('button')).toHaveLength(0);
    expect(screen.getByText(/subscription lapsed because an invoice was not paid in time/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Pay INV-000001' })).toBeInTheDocument();
  });

  it('shows everything read-only to staff', async () => {
    const open = invoice({ payment_url: 'https://pay.example/inv-1' });
    renderApp('/billing', {
      role: 'staff',
      routes: billingRoutes({
        sub: subscription({ plan: plan('growth'), gateways: ['cryptomus', 'nowpayments'], open_invoices: [open], scheduled_change: { plan: 'starter', effective_at: at(20) } }),
        invoices: [open],
      }),
    });
    await screen.findByRole('table', { name: 'Invoice history' });
    await screen.findByLabelText('Credits left');
    await plansReady();
    expect(within(screen.getByRole('list', { name: 'Pending payments' })).getByText('INV-000001')).toBeInTheDocument();
    expect(screen.getByText(/Downgrade to/, { selector: '.notice-action span' })).toBeInTheDocument();
    expect(screen.getByText(/Only the account owner can change the plan or pay/)).toBeInTheDocument();
    const main = screen.getByRole('main');
    expect(within(main).queryAllByRole('button')).toHaveLength(0);
    expect(within(main).queryAllByRole('radio')).toHaveLength(0);
    expect(within(main).queryByRole('link', { name: /payment page/ })).not.toBeInTheDocument();
  });

  it('says when payments are not set up on the server', async () => {
    renderApp('/billing', { routes: billingRoutes({ sub: subscription({ billing_enforced: false, gateways: [] }) }) });
    const notice = await screen.findByText(/Payments are not set up on this server/);
    expect(notice).toHaveTextContent('renew at each anniversary without charge');
    expect(notice.textContent).not.toMatch(/[A-Z]+_[A-Z_]+/); // no environment variable names
    expect(screen.getByText(/Renews on/)).not.toHaveTextContent('$');
  });

  it('keeps the old /usage address and names the page Billing in the menu', async () => {
    renderApp('/usage', { routes: billingRoutes({ sub: subscription() }) });
    expect(await screen.findByRole('heading', { name: 'Billing & Usage' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Billing/ }).getAttribute('href')).toBe('/billing');
  });
});

describe('blocked requests banner', () => {
  it('tells the dashboard why new requests are refused and links to the upgrade', async () => {
    renderApp('/dashboard', { routes: { 'GET /api/dashboard': () => dashboard({ requests_used: 50, requests_limit: 50, blocked_reason: 'quota' }) } });
    const banner = (await screen.findByText(/quota is used up/)).closest('.notice') as HTMLElement;
    expect(within(banner).getByRole('link', { name: 'Upgrade plan' }).getAttribute('href')).toBe('/billing#plans');
  });

  it('tells the review queue when the subscription lapsed', async () => {
    renderApp('/queue', { routes: { 'GET /api/queue': () => [], 'GET /api/usage': () => usage({ status: 'lapsed', blocked_reason: 'lapsed' }) } });
    const banner = (await screen.findByText(/subscription lapsed/)).closest('.notice') as HTMLElement;
    expect(within(banner).getByRole('link', { name: 'Pay to reactivate' }).getAttribute('href')).toBe('/billing#payments');
  });

  it('stays away while requests are accepted', async () => {
    renderApp('/dashboard', { routes: { 'GET /api/dashboard': () => dashboard({ requests_used: 3 }) } });
    expect(await screen.findByText('3 / 500')).toBeInTheDocument();
    expect(screen.queryByText(/New support requests are blocked/)).not.toBeInTheDocument();
  });
});
