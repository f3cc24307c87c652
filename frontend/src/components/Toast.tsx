import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, errorMessage } from '../api/client';

type Kind = 'error' | 'success' | 'info';
interface ToastItem {
  id: number;
  kind: Kind;
  message: string;
  details: string[];
}

export interface Toaster {
  error(err: unknown): void;
  success(message: string): void;
  info(message: string): void;
}

const ToastContext = createContext<Toaster | null>(null);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setItems((xs) => xs.filter((t) => t.id !== id)), []);

  const push = useCallback(
    (kind: Kind, message: string, details: string[] = []) => {
      const id = nextId.current++;
      setItems((xs) => [...xs.slice(-4), { id, kind, message, details }]);
      setTimeout(() => dismiss(id), kind === 'error' ? 8000 : 4000);
    },
    [dismiss],
  );

  const toaster = useMemo<Toaster>(
    () => ({
      error: (err) =>
        push(
          'error',
          errorMessage(err),
          err instanceof ApiError
            ? err.fieldErrors.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message))
            : [],
        ),
      success: (m) => push('success', m),
      info: (m) => push('info', m),
    }),
    [push],
  );

  return (
    <ToastContext.Provider value={toaster}>
      {children}
      <div className="toasts" aria-live="polite">
        {items.map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
            <div className="toast-body">
              <div>{t.message}</div>
              {t.details.length > 0 && (
                <ul className="toast-details">
                  {t.details.map((d, i) => (
                    <li key={i}>{d}</li>
                  ))}
                </ul>
              )}
            </div>
            <button className="toast-close" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

const silent: Toaster = { error: () => {}, success: () => {}, info: () => {} };

export function useToast(): Toaster {
  return useContext(ToastContext) ?? silent;
}
