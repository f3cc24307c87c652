import { useCallback, useEffect, useRef, useState, type ComponentType } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { isEnabled, type Feature } from '../features';
import { NotificationBadge } from '../pages/notifications/NotificationBadge';
import { QueueBadge } from '../pages/requests/QueueBadge';

interface NavItem {
  to: string;
  label: string;
  icon: string;
  ownerOnly?: boolean;
  feature?: Feature;
  /** A live count beside the label (e.g. what waits in the review queue). */
  badge?: ComponentType;
}

export const NAV: NavItem[] = [
  { to: '/dashboard', label: 'Dashboard', icon: '◧' },
  { to: '/inbox', label: 'Inbox', icon: '✉' },
  { to: '/requests', label: 'Requests', icon: '◫', feature: 'requests' },
  { to: '/queue', label: 'Review queue', icon: '◔', feature: 'queue', badge: QueueBadge },
  { to: '/notifications', label: 'Notifications', icon: '◇', badge: NotificationBadge },
  { to: '/services', label: 'Services', icon: '☰' },
  { to: '/templates', label: 'Templates', icon: '▭' },
  { to: '/saved-replies', label: 'Saved replies', icon: '▱' },
  { to: '/setup', label: 'Setup', icon: '◎', ownerOnly: true },
  { to: '/billing', label: 'Billing', icon: '▥', feature: 'usage' },
  { to: '/team', label: 'Team', icon: '◉', ownerOnly: true },
  { to: '/api-keys', label: 'API keys', icon: '◈', ownerOnly: true },
  { to: '/webhooks', label: 'Webhooks', icon: '⇢', ownerOnly: true },
  { to: '/audit', label: 'Audit log', icon: '▤', ownerOnly: true },
  { to: '/settings', label: 'Settings', icon: '◐' },
];

/** Below 900 px the sidebar is a drawer: it opens from the top bar's menu button and closes
 * on navigation, on Escape and on a click beside it. Wider, it is always there. */
function useDrawer() {
  // The drawer is open on the page it was opened on, so navigating closes it without an
  // effect (an effect could run after the first click and shut the drawer it opened).
  const { pathname } = useLocation();
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const setOpen = useCallback(
    (next: boolean | ((was: boolean) => boolean)) =>
      setOpenOn((on) => ((typeof next === 'function' ? next(on === pathname) : next) ? pathname : null)),
    [pathname],
  );
  const button = useRef<HTMLButtonElement>(null);
  const drawer = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!open) return;
    drawer.current?.querySelector<HTMLElement>('a, button')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open, setOpen]);
  return { open, setOpen, button, drawer };
}

export function Layout() {
  const { me, isOwner, signOut } = useAuth();
  const navigate = useNavigate();
  const items = NAV.filter((n) => (!n.feature || isEnabled(n.feature)) && (!n.ownerOnly || isOwner));
  const { open, setOpen, button, drawer } = useDrawer();

  return (
    <div className={`shell${open ? ' drawer-open' : ''}`}>
      <header className="topbar">
        <button
          ref={button}
          type="button"
          className="btn menu-button"
          aria-expanded={open}
          aria-controls="sidebar"
          onClick={() => setOpen((o) => !o)}
        >
          <span aria-hidden="true">☰</span> Menu
        </button>
        <span className="brand-name">SupportAI</span>
      </header>
      <aside className="sidebar" id="sidebar" ref={drawer}>
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
              {n.badge && <n.badge />}
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
      {open && <div className="scrim" aria-hidden="true" onClick={() => setOpen(false)} />}
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
