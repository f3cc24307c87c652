import { useState, type FormEvent, type ReactNode } from 'react';
import type { UserbotOut } from '../../api/gen';
import { ApiError } from '../../api/client';
import { Field } from '../../components/Field';
import { useToast } from '../../components/Toast';
import { ErrorBox } from '../../components/ErrorBox';
import { ConfirmButton } from '../../components/ConfirmButton';
import { QueryView } from '../../components/QueryView';
import { Badge, Card } from '../../components/ui';
import { useRemoveUserbot, useSetupStatus, useStartUserbot, useUserbot, useUserbotCode, useUserbotPassword } from './queries';

const STEPS = [
  ['needs_login', 'Phone number'],
  ['code_sent', 'Login code'],
  ['password_needed', 'Password, if the account has one'],
] as const;

/** "Telegram asks to wait 5 minutes" from a flood wait's end, rounded up. */
export function waitUntil(iso: string, now = Date.now()): string | null {
  const minutes = Math.ceil((Date.parse(iso) - now) / 60_000);
  if (!(minutes > 0)) return null;
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `${Math.ceil(minutes / 60)} hours`;
}

/** The server's words are the message: a flood wait already says how long (no "try again in N s"). */
function LoginError({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.status === 429) {
    return (
      <div className="error-box" role="alert">
        {error.detail}
      </div>
    );
  }
  return <ErrorBox error={error} inlineFields={['phone', 'code', 'password']} />;
}

function StepForm({ label, name, type, hint, busyLabel, submitLabel, mutation, inputMode }: {
  label: string;
  name: string;
  type: 'tel' | 'text' | 'password';
  hint: ReactNode;
  busyLabel: string;
  submitLabel: string;
  inputMode?: 'numeric';
  mutation: { mutate: (value: string, options: { onSuccess: () => void }) => void; isPending: boolean; error: unknown };
}) {
  const [value, setValue] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate(value.trim(), { onSuccess: () => setValue('') });
  };
  return (
    <form className="form form-inline" onSubmit={submit}>
      <Field label={label} name={name} error={mutation.error} hint={hint}>
        <input type={type} inputMode={inputMode} autoComplete={type === 'password' ? 'current-password' : 'off'} value={value} onChange={(e) => setValue(e.target.value)} required />
      </Field>
      <button className="btn btn-primary" type="submit" disabled={mutation.isPending || !value.trim()}>
        {mutation.isPending ? busyLabel : submitLabel}
      </button>
    </form>
  );
}

function LoginSteps({ account }: { account: UserbotOut }) {
  const start = useStartUserbot();
  const code = useUserbotCode();
  const password = useUserbotPassword();
  const error = [start, code, password].find((m) => m.isError)?.error;
  const current = account.state;
  return (
    <>
      <ol className="steps" aria-label="Login steps">
        {STEPS.map(([state, title]) => (
          <li key={state} aria-current={state === current ? 'step' : undefined} className={state === current ? 'step-current' : undefined}>
            {title}
          </li>
        ))}
      </ol>
      {error ? <LoginError error={error} /> : account.last_error && <div className="notice">Last attempt: {account.last_error}</div>}
      {current === 'needs_login' && (
        <StepForm
          label="Phone number"
          name="phone"
          type="tel"
          hint="In international format, e.g. +49 151 2345 6789. Telegram sends a login code to your Telegram apps."
          busyLabel="Asking Telegram…"
          submitLabel="Send code"
          mutation={start}
        />
      )}
      {current === 'code_sent' && (
        <StepForm
          label="Login code"
          name="code"
          type="text"
          inputMode="numeric"
          hint={`Telegram sent it to ${account.phone ?? 'your account'} (in the Telegram app, or by SMS).`}
          busyLabel="Checking…"
          submitLabel="Log in"
          mutation={code}
        />
      )}
      {current === 'password_needed' && (
        <StepForm
          label="Two-step verification password"
          name="password"
          type="password"
          hint="The account has two-step verification: its cloud password. It is used once and never stored."
          busyLabel="Checking…"
          submitLabel="Log in"
          mutation={password}
        />
      )}
    </>
  );
}

function ConnectedAccount({ account }: { account: UserbotOut }) {
  const wait = account.state === 'flood_wait' && account.flood_wait_until ? waitUntil(account.flood_wait_until) : null;
  return (
    <dl className="kv">
      <dt>Account</dt>
      <dd>
        {account.username ? `@${account.username}` : 'Logged in'} <span className="muted">{account.phone}</span> <Badge tone="ok">connected</Badge>
      </dd>
      {wait && (
        <>
          <dt>Sending</dt>
          <dd>
            <Badge tone="warn">paused</Badge> Telegram asks to wait {wait}; messages go through the bot meanwhile, if it is connected.
          </dd>
        </>
      )}
    </dl>
  );
}

function RemoveAccount({ account }: { account: UserbotOut }) {
  const toast = useToast();
  const remove = useRemoveUserbot();
  const loggedIn = account.state === 'connected' || account.state === 'flood_wait';
  return (
    <ConfirmButton
      title={loggedIn ? 'Remove your Telegram account' : 'Cancel the login'}
      message={
        loggedIn
          ? 'Log SupportAI out of your Telegram account? Provider messages then go through the bot only.'
          : 'Stop logging in? You can start again with any number.'
      }
      confirmLabel={loggedIn ? 'Remove' : 'Cancel login'}
      onConfirm={() =>
        remove.mutateAsync().then(
          () => toast.success(loggedIn ? 'Your Telegram account was removed.' : 'Login cancelled.'),
          (err) => toast.error(err),
        )
      }
    >
      {loggedIn ? 'Remove' : 'Start over'}
    </ConfirmButton>
  );
}

export function UserbotSection() {
  const account = useUserbot();
  const status = useSetupStatus();
  const unavailable = status.data?.userbot_login_available === false;
  return (
    <Card title="Your Telegram account (userbot)" id="userbot">
      <p className="muted">
        With your own account connected, provider messages come from you as a person, which some providers answer faster than a bot. SupportAI keeps the
        session encrypted; remove it here at any time (it also ends the session in Telegram).
      </p>
      <QueryView query={account} what="your Telegram account">
        {(a) => (
          <>
            {a.state === 'connected' || a.state === 'flood_wait' ? (
              <ConnectedAccount account={a} />
            ) : unavailable ? (
              <div className="notice">This server is not set up to log in Telegram accounts; ask whoever runs it to add the Telegram app credentials.</div>
            ) : (
              <LoginSteps account={a} />
            )}
            {a.phone && (
              <div className="button-row">
                <RemoveAccount account={a} />
              </div>
            )}
          </>
        )}
      </QueryView>
    </Card>
  );
}
