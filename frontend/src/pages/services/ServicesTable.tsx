import type { ServiceOut } from '../../api/types';
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

interface Props {
  services: ServiceOut[];
  canEdit: boolean;
  onEdit?: (service: ServiceOut) => void;
}

export function ServicesTable({ services, canEdit, onEdit }: Props) {
  return (
    <div className="table-wrap">
      <table className="table services-table">
        <thead>
          <tr>
            <th className="num">ID</th>
            <th>Service</th>
            <th className="num">Rate</th>
            <th>Detected refill</th>
            <th>Override</th>
            <th>Effective policy</th>
            <th>Status</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {services.map((s) => {
            const overrides = overrideSummary(s.override);
            return (
              <tr key={s.id} data-testid={`service-${s.panel_service_id}`} className={s.active ? '' : 'row-muted'}>
                <td className="num mono">{s.panel_service_id}</td>
                <td className="service-name">
                  <div>{s.name}</div>
                  <div className="muted small">
                    {s.category}
                    {s.type ? ` · ${s.type}` : ''}
                  </div>
                </td>
                <td className="num">{s.rate == null ? '—' : s.rate}</td>
                <td data-col="detected">
                  <div>{formatRefill(s.detected.refill_days, s.detected.lifetime)}</div>
                  {s.detected.rule && (
                    <div className="muted tiny" title="The rule that matched the service name">
                      rule: <code>{s.detected.rule}</code>
                    </div>
                  )}
                </td>
                <td data-col="override">
                  {overrides.length === 0 ? (
                    <span className="muted">Detected / defaults</span>
                  ) : (
                    <ul className="chips">
                      {overrides.map((line) => (
                        <li key={line} className="chip chip-override">
                          {line}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td data-col="effective" className="small">
                  <div>Refill: {formatRefill(s.effective.refill_days)}</div>
                  <div>Cancel: {s.effective.cancel_allowed ? 'allowed' : 'not allowed'}</div>
                  <div>Speed-up after {s.effective.speed_up_after_hours} h</div>
                  <div>Screenshot: {formatIntents(s.effective.screenshot_for)}</div>
                </td>
                <td>
                  {!s.active ? (
                    <Badge>inactive</Badge>
                  ) : s.effective.automated ? (
                    <Badge tone="ok">automated</Badge>
                  ) : (
                    <Badge tone="warn" title="Requests for this service go to manual review">
                      manual
                    </Badge>
                  )}
                </td>
                <td className="actions">
                  {canEdit && (
                    <button className="btn btn-small" onClick={() => onEdit?.(s)} aria-label={`Edit service ${s.panel_service_id}`}>
                      Edit
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
