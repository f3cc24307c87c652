import { Navigate, Route, Routes } from 'react-router-dom';
import { AuthProvider } from './auth/AuthContext';
import { RedirectIfAuthed, RequireAuth } from './auth/RequireAuth';
import { ToastProvider } from './components/Toast';
import { Layout } from './components/Layout';
import { LoginPage } from './pages/Login';
import { SignupPage } from './pages/Signup';
import { AcceptInvitationPage } from './pages/AcceptInvitation';
import { DashboardPage } from './pages/Dashboard';
import { InboxPage } from './pages/inbox/InboxPage';
import { ConversationPage } from './pages/inbox/ConversationPage';
import { CustomerPage } from './pages/inbox/CustomerPage';
import { ServicesPage } from './pages/services/ServicesPage';
import { TemplatesPage } from './pages/templates/TemplatesPage';
import { SavedRepliesPage } from './pages/savedReplies/SavedRepliesPage';
import { SetupPage } from './pages/Setup';
import { SettingsPage } from './pages/Settings';
import { TeamPage } from './pages/Team';
import { ApiKeysPage } from './pages/ApiKeys';
import { AuditPage } from './pages/Audit';
import { NotFoundPage } from './pages/NotFound';
import { RequestsPage } from './pages/requests/RequestsPage';
import { QueuePage } from './pages/requests/QueuePage';
import { BillingPage } from './pages/billing/BillingPage';
import { NotificationsPage } from './pages/notifications/NotificationsPage';
import { WebhooksPage } from './pages/webhooks/WebhooksPage';
import { isEnabled } from './features';

export function AppRoutes() {
  return (
    <Routes>
      <Route
        path="/login"
        element={
          <RedirectIfAuthed>
            <LoginPage />
          </RedirectIfAuthed>
        }
      />
      <Route
        path="/signup"
        element={
          <RedirectIfAuthed>
            <SignupPage />
          </RedirectIfAuthed>
        }
      />
      <Route path="/accept-invitation" element={<AcceptInvitationPage />} />
      <Route
        element={
          <RequireAuth>
            <Layout />
          </RequireAuth>
        }
      >
        <Route index element={<Navigate to="/dashboard" replace />} />
        <Route path="/dashboard" element={<DashboardPage />} />
        <Route path="/inbox" element={<InboxPage />} />
        <Route path="/inbox/customers" element={<CustomerPage />} />
        <Route path="/inbox/:messageId" element={<ConversationPage />} />
        <Route path="/services" element={<ServicesPage />} />
        <Route path="/templates" element={<TemplatesPage />} />
        <Route path="/saved-replies" element={<SavedRepliesPage />} />
        <Route path="/setup" element={<SetupPage />} />
        <Route path="/settings" element={<SettingsPage />} />
        <Route path="/team" element={<TeamPage />} />
        <Route path="/api-keys" element={<ApiKeysPage />} />
        <Route path="/webhooks" element={<WebhooksPage />} />
        <Route path="/audit" element={<AuditPage />} />
        <Route path="/notifications" element={<NotificationsPage />} />
        {isEnabled('requests') && <Route path="/requests" element={<RequestsPage />} />}
        {isEnabled('queue') && <Route path="/queue" element={<QueuePage />} />}
        {isEnabled('usage') && <Route path="/billing" element={<BillingPage />} />}
        {/* The page was called Usage: old links and bookmarks still work. */}
        {isEnabled('usage') && <Route path="/usage" element={<Navigate to="/billing" replace />} />}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <ToastProvider>
      <AuthProvider>
        <AppRoutes />
      </AuthProvider>
    </ToastProvider>
  );
}
