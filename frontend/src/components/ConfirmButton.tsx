import { useState, type ReactNode } from 'react';
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

/** A button that asks before it acts. */
export function ConfirmButton({ children, title, message, confirmLabel = 'Confirm', onConfirm, className, disabled, danger = true }: Props) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      await onConfirm();
      setOpen(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className={className ?? 'btn btn-small btn-ghost-danger'} disabled={disabled} onClick={() => setOpen(true)}>
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
        </Modal>
      )}
    </>
  );
}
