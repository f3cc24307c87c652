import { useState } from 'react';
import { importServices, type CatalogueEntry } from '../../api/gen';
import { keys, useApiMutation } from '../../api/queries';
import { ErrorBox } from '../../components/ErrorBox';
import { Modal } from '../../components/Modal';

/** Parse pasted/uploaded JSON in the SMM API `services` format (a list of objects). */
export function parseServicesJson(text: string): CatalogueEntry[] | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return `This is not valid JSON: ${(e as Error).message}`;
  }
  if (!Array.isArray(data)) return 'Expected a JSON list of services (the answer of the SMM API "services" action).';
  if (data.length === 0) return 'The list is empty.';
  if (!data.every((x) => x && typeof x === 'object' && 'service' in x && 'name' in x)) {
    return 'Every entry needs at least "service" and "name".';
  }
  return data as CatalogueEntry[];
}

export function ImportDialog({ onClose }: { onClose: () => void }) {
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const upload = useApiMutation((client, body: CatalogueEntry[]) => importServices({ client, body }), { invalidates: [keys.services] });
  const result = upload.data ?? null;
  const error = invalid ? new Error(invalid) : upload.error;
  const busy = upload.isPending;

  const run = () => {
    const parsed = parseServicesJson(text);
    setInvalid(typeof parsed === 'string' ? parsed : null);
    if (typeof parsed !== 'string') upload.mutate(parsed);
  };

  return (
    <Modal
      title="Import services"
      onClose={busy ? undefined : onClose}
      wide
      footer={
        result ? (
          <button className="btn btn-primary" onClick={onClose}>
            Done
          </button>
        ) : (
          <>
            <button className="btn" onClick={onClose} disabled={busy}>
              Cancel
            </button>
            <button className="btn btn-primary" onClick={run} disabled={busy || !text.trim()}>
              {busy ? 'Importing…' : 'Import'}
            </button>
          </>
        )
      }
    >
      {result ? (
        <div className="notice notice-ok" role="status">
          Imported: {result.created} created, {result.updated} updated, {result.deactivated} deactivated.
        </div>
      ) : (
        <div className="form">
          <p className="muted">
            Paste the JSON your panel returns for <code>action=services</code>, or choose a file. Services missing from the list are deactivated.
          </p>
          <ErrorBox error={error} />
          <input
            type="file"
            accept="application/json,.json"
            aria-label="Services JSON file"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (f) setText(await f.text());
            }}
          />
          <textarea
            className="mono"
            rows={12}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder='[{"service": 1, "name": "Instagram Followers R30", "type": "Default", "category": "Instagram", "rate": "0.90", "min": "10", "max": "10000", "refill": true, "cancel": false}]'
            aria-label="Services JSON"
          />
        </div>
      )}
    </Modal>
  );
}
