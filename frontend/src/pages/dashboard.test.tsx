import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { renderApp } from '../test/renderApp';
import { automation, dashboard } from '../test/fixtures';
import { chartRows } from './DashboardChart';

describe('Dashboard', () => {
  it('shows the automation figure, what waits, quota, credits and recent activity', async () => {
    const { server } = renderApp('/dashboard', {
      routes: {
        'GET /api/dashboard': () =>
          dashboard({
            today: automation(8, 6, 2, 1),
            period: automation(100, 87, 13, 0),
            open_escalations: 2,
            queue: 3,
            waiting_for_provider: 5,
            requests_used: 120,
            requests_limit: 500,
            credits_left: 420,
            credits_low: true,
            requests_by_day: [{ day: '2025-01-02', by_status: { resolved: 6, forwarded: 1, acknowledged: 1, escalated: 2 } }],
            recent_activity: [
              { at: '2025-01-02T10:00:00Z', request_id: 'r1', customer: 'alice', order_id: '1111', kind: 'resolved', detail: { by: 'u-owner', note: null }, by_name: 'owner@panel.test' },
              { at: '2025-01-02T09:00:00Z', request_id: 'r2', customer: 'bob', order_id: null, kind: 'escalated', detail: { reason: 'message names no order' }, by_name: null },
            ],
          }),
      },
    });
    const stats = await screen.findByLabelText('Support at a glance');
    expect(within(stats).getByText('75 %')).toBeInTheDocument();
    expect(within(stats).getByText('6 of 8 requests without a person · 2 needed one · 1 wrong action')).toBeInTheDocument();
    expect(within(stats).getByText('87 %')).toBeInTheDocument();
    expect(within(stats).getByText('Open escalations').closest('a')?.getAttribute('href')).toBe('/queue');
    expect(within(stats).getByText('3 in the review queue')).toBeInTheDocument();
    expect(within(stats).getByText('Waiting for providers').parentElement).toHaveTextContent('5');
    expect(within(stats).getByText('120 / 500')).toBeInTheDocument();
    expect(within(stats).getByText('running low')).toBeInTheDocument();
    expect(screen.getByText(/Marked resolved by owner@panel.test/)).toBeInTheDocument();
    expect(screen.getByText(/Sent to your review queue: message names no order/)).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Requests by outcome per day' });
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent(/Jan 2\s*6\s*2\s*0\s*2\s*0\s*0/);
    expect(await screen.findByText('All systems running')).toBeInTheDocument();
    expect(server.callsTo('GET', '/api/dashboard')[0].query.get('days')).toBe('14');
  });

  it('reduces system health to one line that names what is down', async () => {
    renderApp('/dashboard', {
      routes: {
        'GET /api/dashboard': () => dashboard(),
        'GET /health': () => ({ status: 'degraded', database: { ok: true }, redis: { ok: true }, worker: { ok: false }, worker_heartbeat_age_s: 400 }),
      },
    });
    expect(await screen.findByText('System: worker not running (last seen 7 min ago)')).toBeInTheDocument();
    expect(screen.queryByText('Database')).not.toBeInTheDocument();
  });

  it('groups statuses into the chart series, every day present', () => {
    const rows = chartRows([
      { day: '2025-01-01', by_status: {} },
      { day: '2025-01-02', by_status: { blocked_quota: 1, escalated: 2, waiting_customer: 3, closed: 1 } },
    ]);
    expect(rows[0]).toMatchObject({ resolved: 0, provider: 0, owner: 0 });
    expect(rows[1]).toMatchObject({ owner: 3, customer: 3, closed: 1, declined: 0 });
  });
});
