import type { LinkOut } from '../../api/gen';
import { useToast } from '../../components/Toast';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ListView, type Column } from '../../components/DataTable';
import { Badge, Card } from '../../components/ui';
import { formatDate } from '../../format';
import { useCustomerLinks, useRevokeLink } from './queries';

const STATE: Record<string, { label: string; tone: 'ok' | 'warn' | 'neutral' }> = {
  linked: { label: 'Linked', tone: 'ok' },
  awaiting_username: { label: 'Asked for the username', tone: 'warn' },
  awaiting_code: { label: 'Code sent to the panel account', tone: 'warn' },
  awaiting_order: { label: 'Asked for an order and its link', tone: 'warn' },
  revoked: { label: 'Revoked', tone: 'neutral' },
};

const telegramUser = (l: LinkOut) => (l.telegram_username ? `@${l.telegram_username}` : `user ${l.telegram_user_id}`);

function RevokeLink({ link }: { link: LinkOut }) {
  const toast = useToast();
  const revoke = useRevokeLink();
  if (link.state === 'revoked') return null;
  return (
    <ConfirmButton
      title="Revoke link"
      message={`Revoke ${telegramUser(link)}'s link${link.panel_username ? ` to ${link.panel_username}` : ''}? They must prove their panel account again before the bot acts on their orders.`}
      confirmLabel="Revoke"
      onConfirm={() =>
        revoke.mutateAsync(link.id).then(
          () => toast.success(`${telegramUser(link)} must link again.`),
          (err) => toast.error(err),
        )
      }
    >
      Revoke
    </ConfirmButton>
  );
}

const COLUMNS: Column<LinkOut>[] = [
  { key: 'telegram', header: 'Telegram user', cell: telegramUser },
  { key: 'panel', header: 'Panel account', cell: (l) => l.panel_username ?? <span className="muted">—</span> },
  {
    key: 'state',
    header: 'State',
    cell: (l) => {
      const s = STATE[l.state] ?? { label: l.state, tone: 'neutral' as const };
      return <Badge tone={s.tone}>{s.label}</Badge>;
    },
  },
  { key: 'linked', header: 'Linked', className: 'small', cell: (l) => formatDate(l.linked_at) },
  { key: 'actions', header: 'Actions', hideHeader: true, className: 'actions', cell: (l) => <RevokeLink link={l} /> },
];

export function CustomerLinksSection() {
  const links = useCustomerLinks();
  return (
    <Card title="Customer links" id="customer-links">
      <p className="muted">
        A customer who writes to the bot proves which panel account is theirs (a code sent to the account's tickets, or an order with its link) before
        the bot acts on orders. Revoke a link to make them prove it again.
      </p>
      <ListView source={links} what="customer links" empty="No customer has written to the bot yet." rowKey={(l) => l.id} columns={COLUMNS} label="Customer links" />
    </Card>
  );
}
