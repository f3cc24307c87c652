import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Field } from '../components/Field';
import { useAuth } from '../auth/AuthContext';
import { useDraft } from '../useDraft';
import { useToast } from '../components/Toast';
import { ErrorBox } from '../components/ErrorBox';
import { QueryView } from '../components/QueryView';
import { Card, LoadError, Loading, OwnerOnlyNote, PageHeader } from '../components/ui';
import { renameTenant, updateSettings, type SettingsOut, type SettingsPatch } from '../api/gen';
import { keys, useApiMutation } from '../api/queries';
import { useTenant, useTenantSettings } from '../api/resources';
import { ChannelsCard } from './notifications/ChannelsCard';

type TenantSettings = SettingsOut;

type NumKey =
  | 'tolerance'
  | 'lifetime_cap_days'
  | 'dispatch_window_s'
  | 'follow_up_hours'
  | 'max_follow_ups'
  | 'tracking_interval_hours'
  | 'ticket_poll_interval_s'
  | 'panel_requests_per_s'
  | 'repeat_cooldown_hours'
  | 'sla_person_minutes'
  | 'sla_provider_minutes';

const NULLABLE: NumKey[] = ['tolerance', 'lifetime_cap_days', 'sla_person_minutes', 'sla_provider_minutes'];
const INTEGER: NumKey[] = [
  'tolerance',
  'lifetime_cap_days',
  'dispatch_window_s',
  'follow_up_hours',
  'max_follow_ups',
  'tracking_interval_hours',
  'ticket_poll_interval_s',
  'repeat_cooldown_hours',
  'sla_person_minutes',
  'sla_provider_minutes',
];
const TEXT = ['owner_telegram_chat_id', 'count_source_url'] as const;

type Form = Record<NumKey, string> & {
  refill_partial: boolean;
  reply_in_customer_language: boolean;
  silent_mode: boolean;
  owner_telegram_chat_id: string;
  count_source_url: string;
};

function toForm(s: TenantSettings): Form {
  const n = (v: number | null) => (v == null ? '' : String(v));
  return {
    tolerance: n(s.tolerance),
    lifetime_cap_days: n(s.lifetime_cap_days),
    dispatch_window_s: n(s.dispatch_window_s),
    follow_up_hours: n(s.follow_up_hours),
    max_follow_ups: n(s.max_follow_ups),
    tracking_interval_hours: n(s.tracking_interval_hours),
    ticket_poll_interval_s: n(s.ticket_poll_interval_s),
    panel_requests_per_s: n(s.panel_requests_per_s),
    repeat_cooldown_hours: n(s.repeat_cooldown_hours),
    sla_person_minutes: n(s.sla_person_minutes),
    sla_provider_minutes: n(s.sla_provider_minutes),
    silent_mode: s.silent_mode,
    refill_partial: s.refill_partial,
    reply_in_customer_language: s.reply_in_customer_language,
    owner_telegram_chat_id: s.owner_telegram_chat_id ?? '',
    count_source_url: s.count_source_url ?? '',
  };
}

/** Only what changed, validated; a string is a validation message. */
export function settingsPatch(orig: TenantSettings, f: Form): SettingsPatch | string {
  const patch: SettingsPatch = {};
  for (const k of Object.keys(f) as (keyof Form)[]) {
    const raw = f[k];
    let value: unknown = raw;
    if (typeof raw === 'string' && !(TEXT as readonly string[]).includes(k)) {
      const key = k as NumKey;
      if (raw.trim() === '') {
        if (!NULLABLE.includes(key)) return `${label(key)} is required.`;
        value = null;
      } else {
        const num = Number(raw);
        if (!Number.isFinite(num) || num < 0) return `${label(key)} must be a positive number.`;
        if (INTEGER.includes(key) && !Number.isInteger(num)) return `${label(key)} must be a whole number.`;
        value = num;
      }
    }
    if (k === 'owner_telegram_chat_id' || k === 'count_source_url') value = (raw as string).trim() || null;
    const before = (orig as unknown as Record<string, unknown>)[k] ?? null;
    if (value !== before) (patch as Record<string, unknown>)[k] = value;
  }
  return patch;
}

const LABELS: Record<NumKey, string> = {
  tolerance: 'Drop tolerance',
  lifetime_cap_days: 'Lifetime cap (days)',
  dispatch_window_s: 'Batch window (seconds)',
  follow_up_hours: 'Follow up after (hours)',
  max_follow_ups: 'Max follow-ups',
  tracking_interval_hours: 'Tracking interval (hours)',
  ticket_poll_interval_s: 'Ticket polling (seconds)',
  panel_requests_per_s: 'Panel API rate (requests/s)',
  repeat_cooldown_hours: 'Repeat cooldown (hours)',
  sla_person_minutes: 'Waiting on your team (minutes)',
  sla_provider_minutes: 'Waiting on a provider (minutes)',
};
const label = (k: NumKey) => LABELS[k];

function Row({ children, hint }: { children: ReactNode; hint?: ReactNode }) {
  return (
    <div className="setting-row">
      {children}
      {hint && <small className="hint">{hint}</small>}
    </div>
  );
}

function TenantNameForm({ current }: { current: { name: string } }) {
  const toast = useToast();
  const { isOwner, reloadMe } = useAuth();
  const [name, setName] = useDraft(current, (t) => t.name, '');
  const rename = useApiMutation((client, next: string) => renameTenant({ client, body: { name: next } }), {
    updates: keys.tenant,
    onSuccess: async () => {
      await reloadMe();
      toast.success('Panel name saved.');
    },
  });

  return (
    <form
      className="form form-inline"
      onSubmit={(e) => {
        e.preventDefault();
        rename.mutate(name.trim());
      }}
    >
      <Field label="Panel name">
        <input value={name} onChange={(e) => setName(e.target.value)} disabled={!isOwner} required />
      </Field>
      {isOwner && (
        <button className="btn btn-primary" disabled={rename.isPending || !name.trim() || name.trim() === current.name}>
          {rename.isPending ? 'Saving…' : 'Rename'}
        </button>
      )}
      <ErrorBox error={rename.error} />
    </form>
  );
}

function TenantNameCard() {
  return (
    <Card title="Account">
      <QueryView query={useTenant()} what="the account">
        {(tenant) => <TenantNameForm current={tenant} />}
      </QueryView>
    </Card>
  );
}

export function SettingsPage() {
  const toast = useToast();
  const { isOwner } = useAuth();
  const settings = useTenantSettings();
  const [form, setForm] = useDraft<TenantSettings, Form | null>(settings.data, toForm, null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const update = useApiMutation((client, patch: SettingsPatch) => updateSettings({ client, body: patch }), {
    updates: keys.settings,
    onSuccess: () => toast.success('Settings saved.'),
  });
  const error = invalid ? new Error(invalid) : update.error;
  const busy = update.isPending;

  const set = (p: Partial<Form>) => setForm((f) => (f ? { ...f, ...p } : f));
  const ro = !isOwner;

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!form || !settings.data) return;
    const patch = settingsPatch(settings.data, form);
    setInvalid(typeof patch === 'string' ? patch : null);
    if (typeof patch === 'string') return;
    if (Object.keys(patch).length === 0) return toast.info('Nothing changed.');
    update.reset();
    update.mutate(patch);
  };

  const num = (k: NumKey, opts: { step?: string; placeholder?: string } = {}) => (
    <Field label={label(k)} name={k} error={error}>
      <input
        type="number"
        min={0}
        step={opts.step ?? (INTEGER.includes(k) ? '1' : 'any')}
        value={form?.[k] ?? ''}
        placeholder={opts.placeholder}
        disabled={ro}
        onChange={(e) => set({ [k]: e.target.value } as Partial<Form>)}
      />
    </Field>
  );

  return (
    <div className="page">
      <PageHeader title="Settings" subtitle="How SupportAI decides, replies and follows up for your panel." />
      {ro && <OwnerOnlyNote what="change settings" />}
      <TenantNameCard />
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <LoadError error={settings.error} what="settings" />
      ) : form ? (
        <form className="form" onSubmit={save}>
          <ErrorBox error={error} inlineFields={Object.keys(LABELS).concat('owner_telegram_chat_id', 'count_source_url')} />
          <Card title="Refill decisions">
            <div className="grid-2">
              <Row hint="How far below the expected count still counts as no drop. Blank = default: 1% of the delivered amount (at least 1).">
                {num('tolerance', { placeholder: 'default (1%)' })}
              </Row>
              <Row hint='Treat "lifetime" refill as this many days (some panels define lifetime as 365). Blank = truly unlimited.'>
                {num('lifetime_cap_days', { placeholder: 'no cap' })}
              </Row>
            </div>
            <label className="checkbox">
              <input type="checkbox" checked={form.refill_partial} disabled={ro} onChange={(e) => set({ refill_partial: e.target.checked })} /> Allow refills for
              partial orders (counted on the delivered part)
            </label>
          </Card>

          <Card title="Current counts">
            <Field
              label="Count source URL"
              name="count_source_url"
              error={error}
              hint="A service that returns the live count (followers, likes, views…) for an order's link, so refill requests can be checked for a real drop. Blank = no count source: refills are forwarded without a drop figure."
            >
              <input type="url" value={form.count_source_url} disabled={ro} placeholder="https://counts.example.com/lookup" onChange={(e) => set({ count_source_url: e.target.value })} />
            </Field>
          </Card>

          <Card title="Replies">
            <label className="checkbox">
              <input
                type="checkbox"
                checked={form.reply_in_customer_language}
                disabled={ro}
                onChange={(e) => set({ reply_in_customer_language: e.target.checked })}
              />{' '}
              Reply in the customer's language: each reply and later notice is written in the language the customer wrote in,
              with your templates for that language or the built-in translation (edit them per language under Templates); a
              language without a translation, or a message with none, gets English. Off: every reply is in English
            </label>
            <label className="checkbox">
              <input type="checkbox" checked={form.silent_mode} disabled={ro} onChange={(e) => set({ silent_mode: e.target.checked })} /> Silent mode:
              messages that name no order and are not a support request go to your queue without an automatic reply
            </label>
            <Row hint="The same question about the same order, asked again within this time after it was answered, is answered again without using quota. 0 = off.">
              {num('repeat_cooldown_hours')}
            </Row>
          </Card>

          <Card title="Service levels">
            <p className="muted">A request waiting longer than its target is shown as overdue in the inbox and queue, and you are notified once.</p>
            <div className="grid-2">
              <Row hint="Escalated or blocked requests waiting on you or your staff. Blank = no target.">{num('sla_person_minutes', { placeholder: 'no target' })}</Row>
              <Row hint="Forwarded requests the provider has not completed. Blank = no target.">{num('sla_provider_minutes', { placeholder: 'no target' })}</Row>
            </div>
          </Card>

          <Card title="Provider dispatch & follow-up">
            <p className="muted">
              How provider messages are sent (your bot, your own Telegram account, or both) is chosen on <Link to="/setup#dispatch">Setup</Link>, beside
              what each way needs.
            </p>
            <div className="grid-3">
              <Row hint="Orders for the same provider and action inside this window go out as one message.">{num('dispatch_window_s')}</Row>
              <Row hint="No progress after this long → follow-up to the provider.">{num('follow_up_hours')}</Row>
              <Row hint="Then the request is escalated for manual review.">{num('max_follow_ups')}</Row>
              <Row hint="Each check of an active order costs 1 tracking credit.">{num('tracking_interval_hours')}</Row>
              <Row hint="How often panel tickets are fetched.">{num('ticket_poll_interval_s')}</Row>
              <Row hint="Shared by all workers. Perfect Panel's admin API allows 5/s.">{num('panel_requests_per_s', { step: 'any' })}</Row>
            </div>
          </Card>

          <Card title="Owner alerts">
            <Field
              label="Your Telegram chat ID"
              name="owner_telegram_chat_id"
              error={error}
              hint="Where escalations, provider declines and quota alerts are sent. Blank = none."
            >
              <input value={form.owner_telegram_chat_id} disabled={ro} placeholder="e.g. 123456789" onChange={(e) => set({ owner_telegram_chat_id: e.target.value })} />
            </Field>
          </Card>

          {isOwner && (
            <div className="button-row sticky-actions">
              <button className="btn btn-primary" type="submit" disabled={busy}>
                {busy ? 'Saving…' : 'Save settings'}
              </button>
              <button className="btn btn-ghost" type="button" disabled={busy} onClick={() => settings.data && setForm(toForm(settings.data))}>
                Discard changes
              </button>
            </div>
          )}
        </form>
      ) : null}
      <ChannelsCard />
    </div>
  );
}
