import { useState, type FormEvent } from 'react';
import type { BotOut } from '../../api/gen';
import { Field } from '../../components/Field';
import { useToast } from '../../components/Toast';
import { ErrorBox } from '../../components/ErrorBox';
import { ConfirmButton } from '../../components/ConfirmButton';
import { QueryView } from '../../components/QueryView';
import { Badge, Card } from '../../components/ui';
import { formatDate } from '../../format';
import { useRemoveBot, useSaveBot, useTelegramBot } from './queries';

function ConnectedBot({ bot }: { bot: BotOut }) {
  const toast = useToast();
  const remove = useRemoveBot();
  return (
    <>
      <dl className="kv">
        <dt>Bot</dt>
        <dd>
          <a href={`https://t.me/${bot.username}`} target="_blank" rel="noreferrer">
            @{bot.username}
          </a>{' '}
          <Badge tone="ok">token valid</Badge> <Badge tone="ok">webhook set</Badge>
        </dd>
        <dt>Last update from Telegram</dt>
        <dd>
          {bot.last_update_at ? (
            formatDate(bot.last_update_at)
          ) : (
            <span className="muted">None yet: write to @{bot.username} in Telegram to check that messages arrive.</span>
          )}
        </dd>
        <dt>Webhook</dt>
        <dd className="mono small">{bot.webhook_url}</dd>
      </dl>
      <div className="button-row">
        <ConfirmButton
          title="Disconnect the bot"
          message={`Disconnect @${bot.username}? Customers who write to it get no answer, and provider messages and your alerts cannot go through it.`}
          confirmLabel="Disconnect"
          onConfirm={() =>
            remove.mutateAsync(bot.id).then(
              () => toast.success(`@${bot.username} disconnected.`),
              (err) => toast.error(err),
            )
          }
        >
          Disconnect
        </ConfirmButton>
      </div>
    </>
  );
}

function ConnectBotForm() {
  const toast = useToast();
  const save = useSaveBot();
  const [token, setToken] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(token.trim(), {
      onSuccess: (bot) => {
        setToken('');
        toast.success(`@${bot.username} connected: Telegram accepted the token and the webhook is set.`);
      },
    });
  };

  return (
    <form className="form" onSubmit={submit}>
      <p className="muted">
        Create a bot with <strong>@BotFather</strong> in Telegram (<code>/newbot</code>) and paste the token it gives you. SupportAI checks the token with
        Telegram, then sets the bot's webhook so customer messages arrive here.
      </p>
      <ErrorBox error={save.error} inlineFields={['token']} />
      <Field label="Bot token" name="token" error={save.error} hint="Looks like 123456789:AAE…; stored encrypted, never shown again.">
        <input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required />
      </Field>
      <div className="button-row">
        <button className="btn btn-primary" type="submit" disabled={save.isPending || !token.trim()}>
          {save.isPending ? 'Checking the token…' : 'Connect bot'}
        </button>
      </div>
    </form>
  );
}

export function CustomerBotSection() {
  const bot = useTelegramBot();
  return (
    <Card title="Customer bot" id="customer-bot">
      <QueryView query={bot} what="the customer bot">
        {(b) => (b ? <ConnectedBot bot={b} /> : <ConnectBotForm />)}
      </QueryView>
    </Card>
  );
}
