/** Settings' Notifications card: per event, whether it also goes to Telegram and to e-mail (in-app always). */
import type { FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useAuth } from '../../auth/AuthContext';
import { ErrorBox } from '../../components/ErrorBox';
import { Field } from '../../components/Field';
import { useToast } from '../../components/Toast';
import { QueryView } from '../../components/QueryView';
import { Card } from '../../components/ui';
import { useDraft } from '../../useDraft';
import { getNotificationChannels, setNotificationChannels, type ChannelsIn, type ChannelsOut, type OwnerEvent } from '../../api/gen';
import { keys, useApiMutation, useApiQuery } from '../../api/queries';

export const channelsKey = [...keys.notifications, 'channels'];

type Choice = { telegram: boolean; email: boolean };
type Draft = { events: Partial<Record<OwnerEvent, Choice>>; email: string };

function toDraft(c: ChannelsOut): Draft {
  return {
    events: Object.fromEntries(c.events.map((e) => [e.event, { telegram: e.telegram, email: e.email }])),
    email: c.notification_email ?? '',
  };
}

/** Only what changed: the events whose channels differ, and the address (blank = the owner's login). */
export function channelsPatch(orig: ChannelsOut, draft: Draft): ChannelsIn {
  const patch: ChannelsIn = {};
  const events = orig.events.flatMap((e) => {
    const chosen = draft.events[e.event];
    return chosen && (chosen.telegram !== e.telegram || chosen.email !== e.email) ? [{ event: e.event, ...chosen }] : [];
  });
  if (events.length) patch.events = events;
  const address = draft.email.trim() || null;
  if (address !== orig.notification_email) patch.notification_email = address;
  return patch;
}

function ChannelsForm({ current }: { current: ChannelsOut }) {
  const toast = useToast();
  const { isOwner } = useAuth();
  const [draft, setDraft] = useDraft(current, toDraft, { events: {}, email: '' });
  const save = useApiMutation((client, body: ChannelsIn) => setNotificationChannels({ client, body }), {
    updates: channelsKey,
    onSuccess: () => toast.success('Notification channels saved.'),
  });
  const ro = !isOwner;

  const choose = (event: OwnerEvent, channel: keyof Choice, on: boolean) =>
    setDraft((d) => ({ ...d, events: { ...d.events, [event]: { ...(d.events[event] ?? { telegram: false, email: false }), [channel]: on } } }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const patch = channelsPatch(current, draft);
    if (Object.keys(patch).length === 0) return toast.info('Nothing changed.');
    save.reset();
    save.mutate(patch);
  };

  return (
    <form className="form" onSubmit={submit}>
      <ErrorBox error={save.error} inlineFields={['notification_email']} />
      {!current.telegram_ready && (
        <div className="notice">
          Telegram copies cannot be sent yet. <Link to="/setup">Set the owner chat and a bot in Setup</Link>.
        </div>
      )}
      {!current.email_ready && <div className="notice">E-mail copies cannot be sent: this server has no SMTP server configured (SUPPORTAI_SMTP_HOST).</div>}
      <div className="table-wrap">
        <table className="table" aria-label="Notification channels">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">In-app</th>
              <th scope="col">Telegram</th>
              <th scope="col">E-mail</th>
            </tr>
          </thead>
          <tbody>
            {current.events.map(({ event, label }) => {
              const choice = draft.events[event] ?? { telegram: false, email: false };
              return (
                <tr key={event}>
                  <td>{label}</td>
                  <td>
                    <input type="checkbox" checked disabled aria-label={`${label}: in-app (always)`} />
                  </td>
                  <td>
                    <input type="checkbox" checked={choice.telegram} disabled={ro} aria-label={`${label}: Telegram`} onChange={(e) => choose(event, 'telegram', e.target.checked)} />
                  </td>
                  <td>
                    <input type="checkbox" checked={choice.email} disabled={ro} aria-label={`${label}: e-mail`} onChange={(e) => choose(event, 'email', e.target.checked)} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Field label="Send e-mail to" name="notification_email" error={save.error} hint="Blank = the owner's login address.">
        <input
          type="email"
          value={draft.email}
          disabled={ro}
          placeholder={current.notification_email === null ? (current.email_to ?? '') : ''}
          onChange={(e) => setDraft((d) => ({ ...d, email: e.target.value }))}
        />
      </Field>
      {isOwner && (
        <div className="button-row">
          <button className="btn btn-primary" type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save notifications'}
          </button>
        </div>
      )}
    </form>
  );
}

export function ChannelsCard() {
  const channels = useApiQuery(channelsKey, getNotificationChannels);
  return (
    <Card title="Notifications" id="notifications">
      <p className="muted">
        Every event is listed on the <Link to="/notifications">Notifications</Link> page; choose where else each one is sent.
      </p>
      <QueryView query={channels} what="notification settings">
        {(current) => <ChannelsForm current={current} />}
      </QueryView>
    </Card>
  );
}
