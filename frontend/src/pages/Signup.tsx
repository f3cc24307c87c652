import { useState, type FormEvent } from 'react';
import { Field } from '../components/Field';
import { Link, useNavigate } from 'react-router-dom';
import { useApi } from '../deps';
import { useAuth } from '../auth/AuthContext';
import { ErrorBox } from '../components/ErrorBox';
import { AuthShell } from './AuthShell';

export const MIN_PASSWORD = 10;

export function SignupPage() {
  const api = useApi();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [panelName, setPanelName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const tooShort = password.length > 0 && password.length < MIN_PASSWORD;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password.length < MIN_PASSWORD) {
      setError(new Error(`The password needs at least ${MIN_PASSWORD} characters.`));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const pair = await api.auth.signup({ email: email.trim(), password, panel_name: panelName.trim() });
      await signIn(pair);
      navigate('/setup', { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
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
