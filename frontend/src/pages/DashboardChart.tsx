/** Requests by outcome per day: a stacked bar chart, and the same numbers as a table. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DayCount } from '../api/gen';

/** The chart's series: request statuses grouped as an owner reads them. */
const SERIES: { key: string; label: string; color: string; statuses: string[] }[] = [
  { key: 'resolved', label: 'Resolved', color: '#1f9d55', statuses: ['resolved'] },
  { key: 'provider', label: 'With the provider', color: '#2f5bd3', statuses: ['forwarded', 'acknowledged', 'open'] },
  { key: 'customer', label: 'Waiting for the customer', color: '#8fa3d9', statuses: ['waiting_customer'] },
  { key: 'owner', label: 'Needs you', color: '#d48a0c', statuses: ['escalated', 'blocked_quota'] },
  { key: 'declined', label: 'Declined', color: '#c8372d', statuses: ['declined'] },
  { key: 'closed', label: 'Closed', color: '#9aa3b5', statuses: ['closed'] },
];

const shortDay = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

export function chartRows(days: DayCount[]) {
  return days.map((d) => ({
    day: shortDay(d.day),
    ...Object.fromEntries(SERIES.map((s) => [s.key, s.statuses.reduce((sum, status) => sum + (d.by_status[status] ?? 0), 0)])),
  }));
}

export default function RequestsChart({ days }: { days: DayCount[] }) {
  const rows = chartRows(days);
  return (
    <>
      <div className="chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height={240}>
          {/* Hidden from assistive technology (the table below says the same), so not focusable either. */}
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" tick={{ fontSize: 12 }} />
            <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {SERIES.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.label} stackId="requests" fill={s.color} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details className="chart-table">
        <summary>Show as a table</summary>
        <div className="table-wrap">
          <table className="table" aria-label="Requests by outcome per day">
            <thead>
              <tr>
                <th scope="col">Day</th>
                {SERIES.map((s) => (
                  <th key={s.key} scope="col" className="num">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.day}>
                  <td>{row.day}</td>
                  {SERIES.map((s) => (
                    <td key={s.key} className="num">
                      {(row as Record<string, number | string>)[s.key]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
