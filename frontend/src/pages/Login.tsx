import { useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { logIn, type LoginIn } from '../api/gen';
import { useApiMutation } from '../api/queries';
import { useAuth } from '../auth/AuthContext';
import { ErrorBox } from '../components/ErrorBox';
import { AuthShell } from './AuthShell';

export function LoginPage() {
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/dashboard';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useApiMutation((client, body: LoginIn) => logIn({ client, body }), {
    onSuccess: async (pair) => {
      await signIn(pair);
      navigate(from, { replace: true });
    },
  });
  const { error, isPending: busy } = login;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email: email.trim(), password });
  };

  return (
    <AuthShell
      title="Log in"
      subtitle="Welcome back. Sign in to manage your panel's support automation."
      footer={
        <>
          New to SupportAI? <Link to="/signup">Create an account</Link>
        </>
      }
    >
      <form onSubmit={submit} className="form" noValidate>
        <ErrorBox error={error} inlineFields={['email', 'password']} />
        <Field label="Email" name="email" error={error}>
          <input type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />
        </Field>
        <Field label="Password" name="password" error={error}>
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </Field>
        <button className="btn btn-primary btn-block" type="submit" disabled={busy || !email || !password}>
          {busy ? 'Signing in…' : 'Log in'}
        </button>
      </form>
    </AuthShell>
  );
}
