import { useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import { useApi } from '../deps';
import { useAuth } from '../auth/AuthContext';
import { useLoad } from '../useLoad';
import { useToast } from '../components/Toast';
import { ErrorBox } from '../components/ErrorBox';
import { ConfirmButton } from '../components/ConfirmButton';
import { Badge, Card, Empty, LoadError, Loading, PageHeader } from '../components/ui';
import { formatDate } from '../format';
import type { Invitation } from '../api/types';
import { SecretOnceDialog } from './ApiKeys';

export function inviteLink(token: string, origin = window.location.origin): string {
  return `${origin}/accept-invitation?token=${encodeURIComponent(token)}`;
}

export function TeamPage() {
  const api = useApi();
  const toast = useToast();
  const { isOwner, me } = useAuth();
  const users = useLoad(() => (isOwner ? api.users.list() : Promise.resolve([])), [api, isOwner]);
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [invitation, setInvitation] = useState<Invitation | null>(null);

  if (!isOwner) {
    return (
      <div className="page">
        <PageHeader title="Team" />
        <div className="notice">Only the account owner manages the team.</div>
      </div>
    );
  }

  const invite = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setInvitation(await api.users.invite(email.trim()));
      setEmail('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <PageHeader title="Team" subtitle="Staff can see everything and handle day-to-day work; only you change settings, keys and the team." />
      <Card title="Invite a staff member">
        <form className="form form-inline" onSubmit={invite}>
          <Field label="Email">
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="teammate@example.com" required />
          </Field>
          <button className="btn btn-primary" disabled={busy || !email.trim()}>
            {busy ? 'Inviting…' : 'Create invitation'}
          </button>
        </form>
        <ErrorBox error={error} />
        <p className="muted small">You get a link to send them yourself. It works once and expires.</p>
      </Card>

      {users.loading && !users.data ? (
        <Loading />
      ) : users.error ? (
        <LoadError error={users.error} what="users" />
      ) : !users.data?.length ? (
        <Empty>No users.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Email</th>
                <th>Role</th>
                <th>Status</th>
                <th>Joined</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {users.data.map((u) => (
                <tr key={u.id} className={u.is_active ? '' : 'row-muted'}>
                  <td>
                    {u.email} {u.id === me?.id && <span className="muted small">(you)</span>}
                  </td>
                  <td>
                    <Badge tone={u.role === 'owner' ? 'info' : 'neutral'}>{u.role}</Badge>
                  </td>
                  <td>{u.is_active ? <Badge tone="ok">active</Badge> : <Badge>removed</Badge>}</td>
                  <td className="small">{formatDate(u.created_at)}</td>
                  <td className="actions">
                    {u.role !== 'owner' && u.is_active && (
                      <ConfirmButton
                        title="Remove staff member"
                        message={`Remove ${u.email}? They are signed out and can no longer log in.`}
                        confirmLabel="Remove"
                        onConfirm={async () => {
                          try {
                            await api.users.remove(u.id);
                            users.setData((xs) => (xs ?? []).map((x) => (x.id === u.id ? { ...x, is_active: false } : x)));
                            toast.success(`${u.email} removed.`);
                          } catch (err) {
                            toast.error(err);
                          }
                        }}
                      >
                        Remove
                      </ConfirmButton>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {invitation && (
        <SecretOnceDialog
          title={`Invitation for ${invitation.email}`}
          what="invitation link"
          note={`Send this link to ${invitation.email}. It works once and is valid until ${formatDate(invitation.expires_at)}.`}
          secret={inviteLink(invitation.token)}
          onClose={() => setInvitation(null)}
        />
      )}
    </div>
  );
}
