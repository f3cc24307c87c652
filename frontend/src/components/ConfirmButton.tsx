import { useState, type ReactNode } from 'react';
import { ErrorBox } from './ErrorBox';
import { Modal } from './Modal';

interface Props {
  children: ReactNode;
  title: string;
  message: ReactNode;
  confirmLabel?: string;
  onConfirm: () => Promise<unknown> | void;
  className?: string;
  disabled?: boolean;
  danger?: boolean;
}

/** A button that asks before it acts; if the action fails, the dialog stays open with the problem. */
export function ConfirmButton({ children, title, message, confirmLabel = 'Confirm', onConfirm, className, disabled, danger = true }: Props) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      setOpen(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className={className ?? 'btn btn-small btn-ghost-danger'} disabled={disabled} onClick={() => {
          setError(null);
          setOpen(true);
        }}>
        {children}
      </button>
      {open && (
        <Modal
          title={title}
          onClose={busy ? undefined : () => setOpen(false)}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setOpen(false)} disabled={busy}>
                Cancel
              </button>
              <button type="button" className={danger ? 'btn btn-danger' : 'btn btn-primary'} onClick={run} disabled={busy}>
                {busy ? 'Working…' : confirmLabel}
              </button>
            </>
          }
        >
          <p>{message}</p>
          <ErrorBox error={error} />
        </Modal>
      )}
    </>
  );
}
