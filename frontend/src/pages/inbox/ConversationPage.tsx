import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { QueryView } from '../../components/QueryView';
import { PageHeader } from '../../components/ui';
import { getConversation } from '../../api/gen';
import { keys, useApiQuery } from '../../api/queries';
import { RequestDialog } from '../requests/RequestDialog';
import { sourceLabel } from '../requests/labels';
import { LIVE_INTERVAL_MS } from '../requests/RequestsPage';
import { MessageCard } from './MessageCard';

/** A message in its thread (the panel ticket, or the customer's messages on the channel), oldest first. */
export function ConversationPage() {
  const { messageId = '' } = useParams();
  const thread = useApiQuery([...keys.inbox, 'conversation', messageId], (o) => getConversation({ ...o, path: { message_id: messageId } }), {
    refetchInterval: LIVE_INTERVAL_MS,
  });
  const [open, setOpen] = useState<string | null>(null);
  const c = thread.data;
  return (
    <div className="page">
      <PageHeader
        title={c ? `Conversation with ${c.customer}` : 'Conversation'}
        subtitle={c ? `${sourceLabel(c.source)}${c.ticket_id != null ? ` #${c.ticket_id}` : ''}` : undefined}
        actions={
          <Link className="btn" to="/inbox">
            Back to the inbox
          </Link>
        }
      />
      <QueryView query={thread} what="the conversation">
        {(conversation) => (
          <div className="thread">
            {conversation.messages.map((m) => (
              <MessageCard key={m.id} message={m} onOpenRequest={setOpen} focused={m.id === conversation.message_id} />
            ))}
          </div>
        )}
      </QueryView>
      {open && <RequestDialog id={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
