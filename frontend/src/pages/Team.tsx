import { useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import { useAuth } from '../auth/AuthContext';
import { useToast } from '../components/Toast';
import { ErrorBox } from '../components/ErrorBox';
import { ConfirmButton } from '../components/ConfirmButton';
import { ListView, type Column } from '../components/DataTable';
import { Badge, Card, PageHeader } from '../components/ui';
import { formatDate } from '../format';
import { deactivateUser, inviteUser, type InvitationOut, type UserOut } from '../api/gen';
import { keys, useApiMutation } from '../api/queries';
import { useUsers } from '../api/resources';
import { SecretOnceDialog } from './ApiKeys';

export function inviteLink(token: string, origin = window.location.origin): string {
  return `${origin}/accept-invitation?token=${encodeURIComponent(token)}`;
}

function columns(myId: string | undefined, remove: (u: UserOut) => Promise<unknown>): Column<UserOut>[] {
  return [
    {
      key: 'email',
      header: 'Email',
      cell: (u) => (
        <>
          {u.email} {u.id === myId && <span className="muted small">(you)</span>}
        </>
      ),
    },
    { key: 'role', header: 'Role', cell: (u) => <Badge tone={u.role === 'owner' ? 'info' : 'neutral'}>{u.role}</Badge> },
    { key: 'status', header: 'Status', cell: (u) => (u.is_active ? <Badge tone="ok">active</Badge> : <Badge>removed</Badge>) },
    { key: 'joined', header: 'Joined', className: 'small', cell: (u) => formatDate(u.created_at) },
    {
      key: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'actions',
      cell: (u) =>
        u.role !== 'owner' &&
        u.is_active && (
          <ConfirmButton
            title="Remove staff member"
            message={`Remove ${u.email}? They are signed out and can no longer log in.`}
            confirmLabel="Remove"
            onConfirm={() => remove(u)}
          >
            Remove
          </ConfirmButton>
        ),
    },
  ];
}

export function TeamPage() {
  const toast = useToast();
  const { isOwner, me } = useAuth();
  const users = useUsers(isOwner);
  const [email, setEmail] = useState('');
  const [invitation, setInvitation] = useState<InvitationOut | null>(null);
  const invite = useApiMutation((client, address: string) => inviteUser({ client, body: { email: address } }), {
    onSuccess: (created) => {
      setInvitation(created);
      setEmail('');
    },
  });
  const remove = useApiMutation((client, u: UserOut) => deactivateUser({ client, path: { user_id: u.id } }), {
    invalidates: [keys.users],
    onSuccess: (_, u) => toast.success(`${u.email} removed.`),
  });

  if (!isOwner) {
    return (
      <div className="page">
        <PageHeader title="Team" />
        <div className="notice">Only the account owner manages the team.</div>
      </div>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    invite.mutate(email.trim());
  };

  return (
    <div className="page">
      <PageHeader title="Team" subtitle="Staff can see everything and handle day-to-day work; only you change settings, keys and the team." />
      <Card title="Invite a staff member">
        <form className="form form-inline" onSubmit={submit}>
          <Field label="Email">
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="teammate@example.com" required />
          </Field>
          <button className="btn btn-primary" disabled={invite.isPending || !email.trim()}>
            {invite.isPending ? 'Inviting…' : 'Create invitation'}
          </button>
        </form>
        <ErrorBox error={invite.error} />
        <p className="muted small">You get a link to send them yourself. It works once and expires.</p>
      </Card>

      <ListView
        source={users}
        what="users"
        empty="No users."
        columns={columns(me?.id, remove.mutateAsync)}
        rowKey={(u) => u.id}
        rowProps={(u) => ({ className: u.is_active ? '' : 'row-muted' })}
      />
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
