import type { ReactNode } from 'react';
import { ApiError } from '../api/client';
import { ErrorBox } from './ErrorBox';

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="muted">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

export function Badge({ tone = 'neutral', children, title }: { tone?: 'neutral' | 'ok' | 'warn' | 'bad' | 'info'; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" aria-busy="true">
      <span className="spinner" /> {label}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** Error state for a whole page/section; 404 means the backend endpoint is not deployed yet. */
export function LoadError({ error, what }: { error: unknown; what: string }) {
  if (error instanceof ApiError && error.status === 404) {
    return <div className="notice">The {what} endpoint is not available on this server yet.</div>;
  }
  if (error instanceof ApiError && error.status === 403) {
    return <div className="notice">{error.detail || `You don't have access to ${what}.`}</div>;
  }
  return <ErrorBox error={error} title={`Could not load ${what}.`} />;
}

export function OwnerOnlyNote({ what }: { what: string }) {
  return <div className="notice">Only the account owner can {what}. You have read-only access.</div>;
}

/** With an `id`, the card can be linked to (`#id`) and is a region named by its title. */
export function Card({ title, children, actions, id }: { title?: ReactNode; children: ReactNode; actions?: ReactNode; id?: string }) {
  const titleId = id && title ? `${id}-title` : undefined;
  return (
    <section className="card" id={id} aria-labelledby={titleId}>
      {(title || actions) && (
        <div className="card-header">
          {title && <h2 id={titleId}>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </div>
      )}
      <div className="card-body">{children}</div>
    </section>
  );
}
