import type { ServiceOut } from '../../api/gen';
import { DataTable, type Column } from '../../components/DataTable';
import { Badge } from '../../components/ui';
import { formatIntents, formatRefill } from '../../format';

/** What the owner changed, one short line per field; empty when nothing is overridden. */
export function overrideSummary(o: ServiceOut['override']): string[] {
  const out: string[] = [];
  if (o.lifetime === true) out.push('Refill: Lifetime');
  else if (o.refill_days !== null) out.push(`Refill: ${formatRefill(o.refill_days, false)}`);
  if (o.cancel_allowed !== null) out.push(`Cancel: ${o.cancel_allowed ? 'allowed' : 'not allowed'}`);
  if (o.speed_up_after_hours !== null) out.push(`Speed-up after ${o.speed_up_after_hours} h`);
  if (o.screenshot_for !== null) out.push(`Screenshot: ${formatIntents(o.screenshot_for)}`);
  if (o.excluded) out.push('Excluded from automation');
  return out;
}

function OverrideCell({ service }: { service: ServiceOut }) {
  const overrides = overrideSummary(service.override);
  if (overrides.length === 0) return <span className="muted">Detected / defaults</span>;
  return (
    <ul className="chips">
      {overrides.map((line) => (
        <li key={line} className="chip chip-override">
          {line}
        </li>
      ))}
    </ul>
  );
}

function StatusBadge({ service: s }: { service: ServiceOut }) {
  if (!s.active) return <Badge>inactive</Badge>;
  if (s.effective.automated) return <Badge tone="ok">automated</Badge>;
  return (
    <Badge tone="warn" title="Requests for this service go to manual review">
      manual
    </Badge>
  );
}

export function serviceColumns(canEdit: boolean, onEdit?: (service: ServiceOut) => void): Column<ServiceOut>[] {
  return [
    { key: 'id', header: 'ID', className: 'num mono', cell: (s) => s.panel_service_id },
    {
      key: 'name',
      header: 'Service',
      className: 'service-name',
      cell: (s) => (
        <>
          <div>{s.name}</div>
          <div className="muted small">
            {s.category}
            {s.type ? ` · ${s.type}` : ''}
          </div>
        </>
      ),
    },
    { key: 'rate', header: 'Rate', className: 'num', cell: (s) => (s.rate == null ? '—' : s.rate) },
    {
      key: 'detected',
      header: 'Detected refill',
      cell: (s) => (
        <>
          <div>{formatRefill(s.detected.refill_days, s.detected.lifetime)}</div>
          {s.detected.rule && (
            <div className="muted tiny" title="The rule that matched the service name">
              rule: <code>{s.detected.rule}</code>
            </div>
          )}
        </>
      ),
    },
    { key: 'override', header: 'Override', cell: (s) => <OverrideCell service={s} /> },
    {
      key: 'effective',
      header: 'Effective policy',
      className: 'small',
      cell: (s) => (
        <>
          <div>Refill: {formatRefill(s.effective.refill_days)}</div>
          <div>Cancel: {s.effective.cancel_allowed ? 'allowed' : 'not allowed'}</div>
          <div>Speed-up after {s.effective.speed_up_after_hours} h</div>
          <div>Screenshot: {formatIntents(s.effective.screenshot_for)}</div>
        </>
      ),
    },
    { key: 'status', header: 'Status', cell: (s) => <StatusBadge service={s} /> },
    {
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'actions',
      cell: (s) =>
        canEdit && (
          <button className="btn btn-small" onClick={() => onEdit?.(s)} aria-label={`Edit service ${s.panel_service_id}`}>
            Edit
          </button>
        ),
    },
  ];
}

export const serviceRowProps = (s: ServiceOut) => ({ 'data-testid': `service-${s.panel_service_id}`, className: s.active ? '' : 'row-muted' });

/** The services table on its own (the page shows it through ListView with the same columns). */
export function ServicesTable({ services, canEdit, onEdit }: { services: ServiceOut[]; canEdit: boolean; onEdit?: (service: ServiceOut) => void }) {
  return <DataTable columns={serviceColumns(canEdit, onEdit)} rows={services} rowKey={(s) => s.id} rowProps={serviceRowProps} className="services-table" />;
}
