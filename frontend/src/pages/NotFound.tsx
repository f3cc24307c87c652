import { Link } from 'react-router-dom';

export function NotFoundPage() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p className="muted">
        Nothing lives here. <Link to="/dashboard">Back to the dashboard</Link>.
      </p>
    </div>
  );
}
