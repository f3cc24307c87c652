import { useState } from 'react';
import { useToast } from './Toast';

/** "Load more" under a keyset-paginated list: fetches the page after `cursor`. */
export function LoadMore({ cursor, load }: { cursor: string | null; load: (cursor: string) => Promise<void> }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  if (!cursor) return null;
  return (
    <div className="load-more">
      <button
        className="btn"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await load(cursor);
          } catch (e) {
            toast.error(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? 'Loading…' : 'Load more'}
      </button>
    </div>
  );
}
