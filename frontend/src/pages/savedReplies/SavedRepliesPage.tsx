import { useState } from 'react';
import { useToast } from '../../components/Toast';
import { ErrorBox } from '../../components/ErrorBox';
import { QueryView } from '../../components/QueryView';
import { PageHeader } from '../../components/ui';
import { createSavedReply, deleteSavedReply, listSavedReplies, updateSavedReply, type SavedReplyIn, type SavedReplyOut } from '../../api/gen';
import { keys, useApiMutation, useApiQuery } from '../../api/queries';

const BLANK: SavedReplyIn = { title: '', text: '', language: null };

/** The team's saved replies: texts to insert in a manual reply, filled with the request's facts. */
export function SavedRepliesPage() {
  const toast = useToast();
  const list = useApiQuery(keys.savedReplies, listSavedReplies);
  const [editing, setEditing] = useState<string | null>(null); // a saved reply's id, or 'new'
  const [form, setForm] = useState<SavedReplyIn>(BLANK);
  const save = useApiMutation(
    (client, { id, body }: { id: string; body: SavedReplyIn }) =>
      id === 'new' ? createSavedReply({ client, body }) : updateSavedReply({ client, path: { saved_reply_id: id }, body }),
    {
      invalidates: [keys.savedReplies],
      onSuccess: () => {
        toast.success('Saved reply saved.');
        setEditing(null);
      },
    },
  );
  const remove = useApiMutation((client, id: string) => deleteSavedReply({ client, path: { saved_reply_id: id } }), {
    invalidates: [keys.savedReplies],
    onSuccess: () => toast.success('Saved reply deleted.'),
  });

  const edit = (reply: SavedReplyOut | null) => {
    save.reset();
    setEditing(reply ? reply.id : 'new');
    setForm(reply ? { title: reply.title, text: reply.text, language: reply.language } : BLANK);
  };

  return (
    <div className="page">
      <PageHeader
        title="Saved replies"
        subtitle="Texts the team inserts when replying by hand. Placeholders such as {orders} or {current_count}, as in the reply templates, are filled from the request; an unknown one is refused with the list of those allowed."
        actions={
          <button className="btn btn-primary" onClick={() => edit(null)}>
            New saved reply
          </button>
        }
      />
      {editing && (
        <form
          className="card form"
          aria-label={editing === 'new' ? 'New saved reply' : 'Edit saved reply'}
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ id: editing, body: { ...form, title: form.title.trim(), language: form.language?.trim() || null } });
          }}
        >
          <label className="field-label" htmlFor="saved-title">
            Title
          </label>
          <input id="saved-title" value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
          <label className="field-label" htmlFor="saved-text">
            Text
          </label>
          <textarea id="saved-text" rows={4} value={form.text} onChange={(e) => setForm({ ...form, text: e.target.value })} />
          <label className="field-label" htmlFor="saved-language">
            Language (optional, e.g. en, pl)
          </label>
          <input id="saved-language" value={form.language ?? ''} onChange={(e) => setForm({ ...form, language: e.target.value })} />
          <ErrorBox error={save.error} title="The saved reply was not saved." />
          <div className="button-row">
            <button className="btn btn-primary" type="submit" disabled={save.isPending || !form.title.trim() || !form.text.trim()}>
              {save.isPending ? 'Saving…' : 'Save'}
            </button>
            <button className="btn" type="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <ErrorBox error={remove.error} title="The saved reply was not deleted." />
      <QueryView query={list} what="saved replies">
        {(replies) =>
          replies.length === 0 ? (
            <p className="muted">No saved replies yet.</p>
          ) : (
            <ul className="card-list" aria-label="Saved replies">
              {replies.map((r) => (
                <li key={r.id} className="card">
                  <strong>{r.title}</strong>
                  {r.language && <span className="muted small"> ({r.language})</span>}
                  <p className="pre-wrap">{r.text}</p>
                  <div className="button-row">
                    <button className="btn btn-small" onClick={() => edit(r)} aria-label={`Edit ${r.title}`}>
                      Edit
                    </button>
                    <button className="btn btn-small" disabled={remove.isPending} onClick={() => remove.mutate(r.id)} aria-label={`Delete ${r.title}`}>
                      Delete
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </div>
  );
}
