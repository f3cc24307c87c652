import { useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import { Link, useNavigate } from 'react-router-dom';
import { signUp, type SignupIn } from '../api/gen';
import { useApiMutation } from '../api/queries';
import { useAuth } from '../auth/AuthContext';
import { ErrorBox } from '../components/ErrorBox';
import { AuthShell } from './AuthShell';

export const MIN_PASSWORD = 10;

export function SignupPage() {
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [panelName, setPanelName] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const tooShort = password.length > 0 && password.length < MIN_PASSWORD;
  const signup = useApiMutation((client, body: SignupIn) => signUp({ client, body }), {
    onSuccess: async (pair) => {
      await signIn(pair);
      navigate('/setup', { replace: true });
    },
  });
  const error = invalid ? new Error(invalid) : signup.error;
  const busy = signup.isPending;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const short = password.length < MIN_PASSWORD;
    setInvalid(short ? `The password needs at least ${MIN_PASSWORD} characters.` : null);
    if (!short) signup.mutate({ email: email.trim(), password, panel_name: panelName.trim() });
  };

  return (
    <AuthShell
      title="Create your account"
      subtitle="Connect your SMM panel and let SupportAI answer refill, cancel and speed-up requests."
      footer={
        <>
          Already have an account? <Link to="/login">Log in</Link>
        </>
      }
    >
      <form onSubmit={submit} className="form" noValidate>
        <ErrorBox error={error} inlineFields={['email', 'password', 'panel_name']} />
        <Field label="Panel name" name="panel_name" error={error}>
          <input value={panelName} onChange={(e) => setPanelName(e.target.value)} placeholder="e.g. FastFollowers" required autoFocus />
        </Field>
        <Field label="Email" name="email" error={error}>
          <input type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </Field>
        <Field label="Password" name="password" error={error} hint={`At least ${MIN_PASSWORD} characters.`} hintWarn={tooShort}>
          <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} minLength={MIN_PASSWORD} required />
        </Field>
        <button className="btn btn-primary btn-block" type="submit" disabled={busy || !email || !password || !panelName.trim()}>
          {busy ? 'Creating account…' : 'Create account'}
        </button>
      </form>
    </AuthShell>
  );
}
