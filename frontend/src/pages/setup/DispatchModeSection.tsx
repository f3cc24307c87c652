import { useState } from 'react';
import type { DispatchModeStatus, Requirement, SetupStatus } from '../../api/gen';
import { useToast } from '../../components/Toast';
import { ErrorBox } from '../../components/ErrorBox';
import { QueryView } from '../../components/QueryView';
import { Badge, Card } from '../../components/ui';
import { useSetDispatchMode, useSetupStatus } from './queries';

type Mode = DispatchModeStatus['mode'];

const MODES: Record<Mode, { title: string; hint: string }> = {
  bot: { title: 'Telegram bot', hint: 'Provider messages go through your customer bot; add it to each provider chat.' },
  userbot: { title: 'Your Telegram account', hint: 'Provider messages come from your own account; the bot takes over while the account cannot send.' },
  both: { title: 'Your account, then the bot', hint: 'Tries your account first and falls back to the bot on any failure.' },
};

const NEEDS: Record<Requirement['need'], { label: string; anchor: string }> = {
  provider_chat: { label: 'A provider with a Telegram chat', anchor: '#providers' },
  customer_bot: { label: 'The customer bot connected', anchor: '#customer-bot' },
  userbot: { label: 'Your Telegram account logged in', anchor: '#userbot' },
};

function Needs({ needs }: { needs: Requirement[] }) {
  return (
    <ul className="checks">
      {needs.map(({ need, met }) => (
        <li key={need}>
          <span className={`dot ${met ? 'dot-ok' : 'dot-bad'}`} aria-hidden="true" />
          {met ? NEEDS[need].label : <a href={NEEDS[need].anchor}>{NEEDS[need].label}</a>}
          <span className="visually-hidden">{met ? ' (done)' : ' (missing)'}</span>
        </li>
      ))}
    </ul>
  );
}

function ModeChoice({ status }: { status: SetupStatus }) {
  const toast = useToast();
  const setMode = useSetDispatchMode();
  const [chosen, setChosen] = useState<Mode>(status.dispatch_mode);
  const current = status.dispatch_modes.find((m) => m.mode === status.dispatch_mode);

  return (
    <>
      {current && !current.ready && (
        <div className="notice notice-action" role="status">
          <span>
            The current mode, <strong>{MODES[current.mode].title}</strong>, cannot send to providers yet: it needs what is marked below.
          </span>
        </div>
      )}
      <fieldset className="fieldset">
        <legend>How provider messages are sent</legend>
        {status.dispatch_modes.map(({ mode, needs, ready }) => (
          <div key={mode} className="radio-card">
            <input
              type="radio"
              id={`dispatch-${mode}`}
              name="dispatch_mode"
              value={mode}
              checked={chosen === mode}
              onChange={() => setChosen(mode)}
              aria-describedby={`dispatch-${mode}-hint`}
            />
            <div className="mode-detail">
              <div className="mode-title">
                <label htmlFor={`dispatch-${mode}`}>
                  <strong>{MODES[mode].title}</strong>
                </label>
                {ready ? <Badge tone="ok">ready</Badge> : <Badge tone="warn">needs setup</Badge>}
                {mode === status.dispatch_mode && <Badge tone="info">current</Badge>}
              </div>
              <small className="hint" id={`dispatch-${mode}-hint`}>
                {MODES[mode].hint}
              </small>
              <Needs needs={needs} />
            </div>
          </div>
        ))}
      </fieldset>
      <ErrorBox error={setMode.error} />
      <div className="button-row">
        <button
          className="btn btn-primary"
          type="button"
          disabled={setMode.isPending || chosen === status.dispatch_mode}
          onClick={() => setMode.mutate(chosen, { onSuccess: () => toast.success(`Provider messages now go as: ${MODES[chosen].title}.`) })}
        >
          {setMode.isPending ? 'Saving…' : 'Use this mode'}
        </button>
      </div>
    </>
  );
}

export function DispatchModeSection() {
  const status = useSetupStatus();
  return (
    <Card title="Provider dispatch" id="dispatch">
      <QueryView query={status} what="the dispatch mode">
        {(s) => <ModeChoice status={s} />}
      </QueryView>
    </Card>
  );
}
