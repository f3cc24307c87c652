import { useAuth } from '../../auth/AuthContext';
import { ErrorBox } from '../../components/ErrorBox';
import { assignRequest, listUsers, type RequestDetail } from '../../api/gen';
import { keys, useApiMutation, useApiQuery } from '../../api/queries';
import { REQUEST_VIEWS } from './RequestDialog';

/** Who works on the request: take it, give it to a team member (owners see the team), or unassign. */
export function RequestAssignee({ r }: { r: RequestDetail }) {
  const { me, isOwner } = useAuth();
  const team = useApiQuery(keys.users, listUsers, { enabled: isOwner });
  const assign = useApiMutation((client, userId: string | null) => assignRequest({ client, path: { request_id: r.id }, body: { user_id: userId } }), {
    invalidates: REQUEST_VIEWS,
  });
  const mine = !!me && r.assignee_id === me.id;
  return (
    <div className="button-row" role="group" aria-label="Assignee">
      <span>{r.assignee_id ? `Taken by ${mine ? 'you' : (r.assignee_name ?? 'a team member')}` : 'Unassigned'}</span>
      {me && !mine && (
        <button className="btn btn-small" disabled={assign.isPending} onClick={() => assign.mutate(me.id)}>
          Take
        </button>
      )}
      {isOwner && (
        <select
          aria-label="Assign to…"
          value=""
          disabled={assign.isPending}
          onChange={(e) => e.target.value && assign.mutate(e.target.value)}
        >
          <option value="">Assign to…</option>
          {(team.data ?? [])
            .filter((u) => u.is_active && u.id !== r.assignee_id)
            .map((u) => (
              <option key={u.id} value={u.id}>
                {u.email}
              </option>
            ))}
        </select>
      )}
      {r.assignee_id && (
        <button className="btn btn-small" disabled={assign.isPending} onClick={() => assign.mutate(null)}>
          Unassign
        </button>
      )}
      <ErrorBox error={assign.error} title="The request was not assigned." />
    </div>
  );
}
