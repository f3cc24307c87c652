/** Filter inputs shared by the requests list and the inbox; their values live in the URL. */
import { useEffect, useState, type FormEvent } from 'react';

/** A day (YYYY-MM-DD, UTC) as the API's bounds: from its start, to the start of the next day. */
export const dayStart = (day: string) => (day ? `${day}T00:00:00Z` : undefined);
export function dayEnd(day: string): string | undefined {
  if (!day) return undefined;
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString();
}

export function DateRange({ from, to, onChange }: { from: string; to: string; onChange: (patch: { from?: string; to?: string }) => void }) {
  return (
    <>
      <label className="inline-label">
        From <input type="date" value={from} max={to || undefined} onChange={(e) => onChange({ from: e.target.value })} />
      </label>
      <label className="inline-label">
        To <input type="date" value={to} min={from || undefined} onChange={(e) => onChange({ to: e.target.value })} />
      </label>
    </>
  );
}

/** A search box applied on Enter (not per keystroke), showing the URL's value after a reload. */
export function SearchBox({ value, onSearch, placeholder }: { value: string; onSearch: (v: string) => void; placeholder: string }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(draft.trim());
  };
  return (
    <form role="search" className="search-box" onSubmit={submit}>
      <input type="search" aria-label="Search" placeholder={placeholder} value={draft} onChange={(e) => setDraft(e.target.value)} />
      <button className="btn">Search</button>
    </form>
  );
}

const CHANNELS: [string, string][] = [
  ['ticket', 'Panel tickets'],
  ['telegram', 'Telegram'],
  ['api', 'API'],
];

/** The intent filter: what the customer asked for. */
export function IntentSelect({ value, onChange }: { value: string; onChange: (intent: string) => void }) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} aria-label="Intent">
      <option value="">All intents</option>
      <option value="refill">Refill</option>
      <option value="cancel">Cancel</option>
      <option value="speed_up">Speed-up</option>
      <option value="other">Other</option>
    </select>
  );
}

/** The channel filter: where the message came from. */
export function ChannelSelect({ value, onChange }: { value: string; onChange: (source: string) => void }) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} aria-label="Channel">
      <option value="">All channels</option>
      {CHANNELS.map(([channel, label]) => (
        <option key={channel} value={channel}>
          {label}
        </option>
      ))}
    </select>
  );
}
