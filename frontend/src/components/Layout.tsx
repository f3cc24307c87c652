import { NavLink, Outlet, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { isEnabled, type Feature } from '../features';

interface NavItem {
  to: string;
  label: string;
  icon: string;
  ownerOnly?: boolean;
  feature?: Feature;
}

export const NAV: NavItem[] = [
  { to: '/dashboard', label: 'Dashboard', icon: '◧' },
  { to: '/services', label: 'Services', icon: '☰' },
  { to: '/templates', label: 'Reply templates', icon: '▭' },
  { to: '/setup', label: 'Panel & providers', icon: '◎', ownerOnly: true },
  { to: '/settings', label: 'Settings', icon: '◐' },
  { to: '/requests', label: 'Requests', icon: '◫', feature: 'requests' },
  { to: '/queue', label: 'Review queue', icon: '◔', feature: 'queue' },
  { to: '/billing', label: 'Billing', icon: '▥', feature: 'usage' },
  { to: '/team', label: 'Team', icon: '◉', ownerOnly: true },
  { to: '/api-keys', label: 'API keys', icon: '◈', ownerOnly: true },
  { to: '/audit', label: 'Audit log', icon: '▤', ownerOnly: true },
];

export function Layout() {
  const { me, isOwner, signOut } = useAuth();
  const navigate = useNavigate();
  const items = NAV.filter((n) => (!n.feature || isEnabled(n.feature)) && (!n.ownerOnly || isOwner));

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark">S</span>
          <span className="brand-name">SupportAI</span>
        </div>
        <div className="tenant-name" title={me?.tenant_name}>
          {me?.tenant_name ?? ' '}
        </div>
        <nav aria-label="Main">
          {items.map((n) => (
            <NavLink key={n.to} to={n.to} className={({ isActive }) => `nav-link${isActive ? ' active' : ''}`}>
              <span className="nav-icon" aria-hidden="true">
                {n.icon}
              </span>
              {n.label}
            </NavLink>
          ))}
        </nav>
        <div className="sidebar-footer">
          <div className="who">
            <div className="who-email" title={me?.email ?? ''}>
              {me?.email ?? '—'}
            </div>
            <div className="who-role">{me?.role === 'owner' ? 'Owner' : me?.role === 'staff' ? 'Staff' : ''}</div>
          </div>
          <button
            className="btn btn-small btn-block"
            onClick={async () => {
              await signOut();
              navigate('/login', { replace: true });
            }}
          >
            Log out
          </button>
        </div>
      </aside>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
