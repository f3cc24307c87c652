import { useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { acceptInvitation, type AcceptInvitationIn } from '../api/gen';
import { useApiMutation } from '../api/queries';
import { useAuth } from '../auth/AuthContext';
import { ErrorBox } from '../components/ErrorBox';
import { AuthShell } from './AuthShell';
import { MIN_PASSWORD } from './Signup';

export function AcceptInvitationPage() {
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const accept = useApiMutation((client, body: AcceptInvitationIn) => acceptInvitation({ client, body }), {
    onSuccess: async (pair) => {
      await signIn(pair);
      navigate('/dashboard', { replace: true });
    },
  });
  const error = invalid ? new Error(invalid) : accept.error;
  const busy = accept.isPending;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem =
      password.length < MIN_PASSWORD ? `The password needs at least ${MIN_PASSWORD} characters.` : password !== confirm ? 'The two passwords differ.' : null;
    setInvalid(problem);
    if (!problem) accept.mutate({ token, password });
  };

  if (!token) {
    return (
      <AuthShell title="Invitation link incomplete" footer={<Link to="/login">Go to log in</Link>}>
        <div className="notice">This page needs the full invitation link your panel owner sent you (it ends in <code>?token=…</code>).</div>
      </AuthShell>
    );
  }

  return (
    <AuthShell title="Join your team" subtitle="Choose a password to accept the invitation and sign in.">
      <form onSubmit={submit} className="form" noValidate>
        <ErrorBox error={error} inlineFields={['password']} />
        <Field label="Password" name="password" error={error} hint={`At least ${MIN_PASSWORD} characters.`}>
          <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required autoFocus />
        </Field>
        <Field label="Repeat password">
          <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required />
        </Field>
        <button className="btn btn-primary btn-block" type="submit" disabled={busy || !password || !confirm}>
          {busy ? 'Joining…' : 'Accept invitation'}
        </button>
      </form>
    </AuthShell>
  );
}
