import { Link } from 'react-router-dom';
import { ErrorBox } from '../../components/ErrorBox';
import { listSavedReplies, previewSavedReply } from '../../api/gen';
import { keys, useApiMutation, useApiQuery } from '../../api/queries';

/** Picks a saved reply and hands back its text filled with this request's facts (the server renders it). */
export function SavedReplyPicker({ requestId, onInsert }: { requestId: string; onInsert: (text: string) => void }) {
  const replies = useApiQuery(keys.savedReplies, listSavedReplies);
  const preview = useApiMutation(
    (client, savedReplyId: string) => previewSavedReply({ client, path: { saved_reply_id: savedReplyId }, body: { request_id: requestId } }),
    { onSuccess: (out) => onInsert(out.rendered) },
  );
  const list = replies.data ?? [];
  return (
    <div>
      <div className="button-row">
        <select aria-label="Saved replies" value="" disabled={preview.isPending || list.length === 0} onChange={(e) => e.target.value && preview.mutate(e.target.value)}>
          <option value="">{list.length ? 'Saved replies…' : 'No saved replies'}</option>
          {list.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title}
              {s.language ? ` (${s.language})` : ''}
            </option>
          ))}
        </select>
        <Link className="small" to="/saved-replies">
          Manage saved replies
        </Link>
      </div>
      <ErrorBox error={preview.error} title="The saved reply could not be filled in for this request." />
    </div>
  );
}
