import { useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useApi } from '../deps';
import { useAuth } from '../auth/AuthContext';
import { ErrorBox } from '../components/ErrorBox';
import { AuthShell } from './AuthShell';

export function LoginPage() {
  const api = useApi();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/dashboard';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const pair = await api.auth.login({ email: email.trim(), password });
      await signIn(pair);
      navigate(from, { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
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
