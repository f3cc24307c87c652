import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ServiceOut } from '../../api/gen';
import { renderApp } from '../../test/renderApp';
import { problem } from '../../test/server';
import { ServicesTable, overrideSummary } from './ServicesTable';
import { patchFromState, stateFromService } from './ServiceEditor';

function service(over: Partial<ServiceOut> & Pick<ServiceOut, 'id' | 'panel_service_id' | 'name'>): ServiceOut {
  return {
    category: 'Instagram Followers',
    type: 'Default',
    rate: 0.9,
    active: true,
    detected: { refill_days: 30, lifetime: false, rule: 'R30 → 30 days' },
    override: { refill_days: null, lifetime: null, cancel_allowed: null, speed_up_after_hours: null, screenshot_for: null, excluded: false },
    effective: { refill_days: 30, cancel_allowed: true, speed_up_after_hours: 6, screenshot_for: [], automated: true },
    ...over,
  };
}

const plain = service({ id: 's1', panel_service_id: 101, name: 'IG Followers R30 [Fast]' });
const overridden = service({
  id: 's2',
  panel_service_id: 202,
  name: 'IG Likes No Refill',
  detected: { refill_days: 0, lifetime: false, rule: 'No Refill → none' },
  override: { refill_days: null, lifetime: true, cancel_allowed: false, speed_up_after_hours: 12, screenshot_for: ['refill'], excluded: false },
  effective: { refill_days: null, cancel_allowed: false, speed_up_after_hours: 12, screenshot_for: ['refill'], automated: true },
});
const excluded = service({
  id: 's3',
  panel_service_id: 303,
  name: 'TikTok Views',
  override: { refill_days: 60, lifetime: false, cancel_allowed: null, speed_up_after_hours: null, screenshot_for: null, excluded: true },
  effective: { refill_days: 60, cancel_allowed: true, speed_up_after_hours: 6, screenshot_for: [], automated: false },
});

function cell(panelId: number, col: string) {
  const row = screen.getByTestId(`service-${panelId}`);
  return row.querySelector(`[data-col="${col}"]`) as HTMLElement;
}

describe('ServicesTable', () => {
  it('shows the detected policy next to the override and the effective result', () => {
    render(<ServicesTable services={[plain, overridden, excluded]} canEdit={false} />);

    expect(cell(101, 'detected')).toHaveTextContent('30 days');
    expect(cell(101, 'detected')).toHaveTextContent('R30 → 30 days');
    expect(cell(101, 'override')).toHaveTextContent('Detected / defaults');
    expect(cell(101, 'effective')).toHaveTextContent('Refill: 30 days');

    expect(cell(202, 'detected')).toHaveTextContent('No refill');
    const override = cell(202, 'override');
    expect(within(override).getByText('Refill: Lifetime')).toBeInTheDocument();
    expect(within(override).getByText('Cancel: not allowed')).toBeInTheDocument();
    expect(within(override).getByText('Speed-up after 12 h')).toBeInTheDocument();
    expect(within(override).getByText('Screenshot: Refill')).toBeInTheDocument();
    expect(cell(202, 'effective')).toHaveTextContent('Refill: Lifetime');

    expect(cell(303, 'override')).toHaveTextContent('Refill: 60 days');
    expect(cell(303, 'override')).toHaveTextContent('Excluded from automation');
    expect(within(screen.getByTestId('service-303')).getByText('manual')).toBeInTheDocument();
  });

  it('offers editing only when allowed', () => {
    const { rerender } = render(<ServicesTable services={[plain]} canEdit={false} />);
    expect(screen.queryByRole('button', { name: /Edit/ })).not.toBeInTheDocument();
    rerender(<ServicesTable services={[plain]} canEdit />);
    expect(screen.getByRole('button', { name: 'Edit service 101' })).toBeInTheDocument();
  });

  it('summarises only fields that are overridden', () => {
    expect(overrideSummary(plain.override)).toEqual([]);
    expect(overrideSummary({ ...plain.override, refill_days: 0 })).toEqual(['Refill: No refill']);
  });
});

describe('service editor patch', () => {
  it('round-trips an override and maps "use detected" back to nulls', () => {
    const st = stateFromService(overridden);
    expect(st.refillMode).toBe('lifetime');
    expect(patchFromState(st)).toEqual({
      refill_days: null,
      lifetime: true,
      cancel_allowed: false,
      speed_up_after_hours: 12,
      screenshot_for: ['refill'],
      excluded: false,
    });
    expect(patchFromState({ ...st, refillMode: 'detected', cancel: 'default', speedUp: '', screenshotCustom: false })).toEqual({
      refill_days: null,
      lifetime: null,
      cancel_allowed: null,
      speed_up_after_hours: null,
      screenshot_for: null,
      excluded: false,
    });
    expect(patchFromState({ ...st, refillMode: 'days', refillDays: '-3' })).toMatch(/whole number/);
  });
});

describe('Services page', () => {
  const routes = {
    'GET /api/services': () => ({ items: [plain, overridden], next_cursor: 'c2' }),
  };

  it('lets staff read but not edit, import or sync', async () => {
    renderApp('/services', { role: 'staff', routes });
    expect(await screen.findByTestId('service-101')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Edit service/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Import JSON' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Sync from panel' })).not.toBeInTheDocument();
    expect(screen.getByText(/read-only access/)).toBeInTheDocument();
  });

  it('saves an override with PATCH and shows the stored result', async () => {
    let first = plain;
    const { server } = renderApp('/services', {
      routes: {
        'GET /api/services': () => ({ items: [first, overridden], next_cursor: null }),
        'PATCH /api/services/s1': () => {
          first = { ...plain, override: { ...plain.override, refill_days: 45, lifetime: false }, effective: { ...plain.effective, refill_days: 45 } };
          return first;
        },
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit service 101' }));
    const dialog = screen.getByRole('dialog');
    fireEvent.click(within(dialog).getByLabelText('Days'));
    fireEvent.change(within(dialog).getByLabelText('Refill days'), { target: { value: '45' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(server.callsTo('PATCH', '/api/services/s1')[0].body).toEqual({
      refill_days: 45,
      lifetime: false,
      cancel_allowed: null,
      speed_up_after_hours: null,
      screenshot_for: null,
      excluded: false,
    });
    expect(cell(101, 'override')).toHaveTextContent('Refill: 45 days');
    expect(cell(101, 'detected')).toHaveTextContent('30 days');
  });

  it('keeps the dialog open and shows the problem when saving fails', async () => {
    renderApp('/services', {
      routes: { ...routes, 'PATCH /api/services/s1': () => problem(400, 'speed_up_after_hours must be at most 720.') },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit service 101' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Save' }));
    expect(await within(screen.getByRole('dialog')).findByRole('alert')).toHaveTextContent('speed_up_after_hours must be at most 720.');
  });

  it('loads the next page with the cursor and passes filters', async () => {
    const { server } = renderApp('/services', {
      routes: {
        'GET /api/services': (req) =>
          req.query.get('cursor') === 'c2' ? { items: [excluded], next_cursor: null } : { items: [plain, overridden], next_cursor: 'c2' },
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Load more' }));
    expect(await screen.findByTestId('service-303')).toBeInTheDocument();
    expect(screen.getByTestId('service-101')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    expect(server.callsTo('GET', '/api/services')[0].query.get('active')).toBe('true');
  });

  it('keeps the filters in the address and sends them', async () => {
    const { server } = renderApp('/services?search=likes&active=all', { routes });
    expect(await screen.findByTestId('service-101')).toBeInTheDocument();
    expect(screen.getByLabelText('Search services')).toHaveProperty('value', 'likes');
    const [call] = server.callsTo('GET', '/api/services');
    expect(call.query.get('search')).toBe('likes');
    expect(call.query.has('active')).toBe(false);
  });

  it('tells "nothing matches these filters" apart from "nothing yet"', async () => {
    const { server } = renderApp('/services?search=zzz', {
      routes: { 'GET /api/services': (req) => ({ items: req.query.get('search') ? [] : [plain], next_cursor: null }) },
    });
    expect(await screen.findByText('No services match these filters.')).toBeInTheDocument();
    expect(screen.queryByText(/Connect your panel/)).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findByTestId('service-101')).toBeInTheDocument();
    expect(server.calls.at(-1)?.query.has('search')).toBe(false);
  });

  it('says to connect the panel only when no service exists', async () => {
    renderApp('/services', { routes: { 'GET /api/services': () => ({ items: [], next_cursor: null }) } });
    expect(await screen.findByText(/No services yet\. Connect your panel/)).toBeInTheDocument();
    expect(screen.queryByText('No services match these filters.')).not.toBeInTheDocument();
  });

  it('does not say "nothing yet" when only inactive services exist', async () => {
    renderApp('/services', {
      routes: { 'GET /api/services': (req) => ({ items: req.query.get('active') === 'true' ? [] : [{ ...plain, active: false }], next_cursor: null }) },
    });
    expect(await screen.findByText('No services match these filters.')).toBeInTheDocument();
    expect(screen.queryByText(/Connect your panel/)).not.toBeInTheDocument();
  });
});
