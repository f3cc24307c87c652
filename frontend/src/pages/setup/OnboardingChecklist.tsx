import { Link } from 'react-router-dom';
import type { SetupStatus } from '../../api/gen';
import { useAuth } from '../../auth/AuthContext';
import { Card } from '../../components/ui';
import { useSetupStatus } from './queries';

interface Step {
  done: boolean;
  title: string;
  detail: string;
  anchor: string;
}

function steps(s: SetupStatus): Step[] {
  return [
    {
      done: s.panel_connected,
      title: 'Connect your panel',
      detail: 'Its URL and API keys: SupportAI reads orders, customers and tickets through them.',
      anchor: 'panel',
    },
    {
      done: s.providers > 0,
      title: 'Add a provider',
      detail: 'Where refills, cancels and speed-ups are sent: its API, its Telegram chat, or both.',
      anchor: 'providers',
    },
    {
      done: s.panel_connected || s.customer_bot !== null,
      title: 'Open a channel for customers',
      detail: s.customer_bot
        ? `Customers write to @${s.customer_bot}${s.panel_connected ? ' and on your panel tickets' : ''}.`
        : s.panel_connected
          ? "Your panel's tickets are read; a Telegram bot is optional."
          : "Your panel's tickets (once it is connected) or a Telegram bot.",
      anchor: 'customer-bot',
    },
  ];
}

/** What is left to set up; nothing once the panel, a provider and a customer channel are connected. */
export function OnboardingChecklist() {
  const { isOwner } = useAuth();
  const status = useSetupStatus();
  if (!status.data || status.data.onboarding_complete) return null;
  const list = steps(status.data);
  const left = list.filter((s) => !s.done).length;
  return (
    <Card title="Get started" id="onboarding">
      <p className="muted">
        {left} of {list.length} steps left before SupportAI answers your customers.
        {!isOwner && ' The account owner completes them on the Setup page.'}
      </p>
      <ol className="checks" aria-label="Setup steps">
        {list.map((step) => (
          <li key={step.anchor}>
            <span className={`dot ${step.done ? 'dot-ok' : 'dot-bad'}`} aria-hidden="true" />
            <span>
              {step.done || !isOwner ? <strong>{step.title}</strong> : <Link to={`/setup#${step.anchor}`}>{step.title}</Link>}
              <span className="visually-hidden">{step.done ? ' (done)' : ' (to do)'}</span>
              <span className="muted small"> {step.detail}</span>
            </span>
          </li>
        ))}
      </ol>
    </Card>
  );
}
