import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { cn } from '../lib/cn.ts';

export type ToastVariant = 'default' | 'success' | 'error';
export interface ToastInput {
  title: string;
  description?: string;
  variant?: ToastVariant;
}
interface ToastItem extends ToastInput {
  id: number;
  shownAt: number;
}

const ToastContext = createContext<(toast: ToastInput) => void>(() => {});
const DismissContext = createContext<() => void>(() => {});

/**
 * A toast that announces what caused a navigation ("Payment submitted", then the detail page)
 * is raised just before it; anything older belongs to the previous page and would only cover
 * this one.
 */
const CARRIED_OVER_MS = 1000;

const VARIANT: Record<ToastVariant, string> = {
  default: 'border-border',
  success: 'border-success/50',
  error: 'border-destructive/60',
};

/** Toasts live in a polite live region (assertive for errors) and dismiss after 5 s. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const dismiss = useCallback((id: number) => setItems((list) => list.filter((t) => t.id !== id)), []);
  const push = useCallback(
    (toast: ToastInput) => {
      const id = Date.now() + Math.random();
      setItems((list) => [...list.slice(-3), { ...toast, id, shownAt: Date.now() }]);
      setTimeout(() => dismiss(id), 5000);
    },
    [dismiss],
  );
  const value = useMemo(() => push, [push]);
  const dismissEarlier = useCallback(() => setItems((list) => {
    const kept = list.filter((t) => Date.now() - t.shownAt < CARRIED_OVER_MS);
    return kept.length === list.length ? list : kept;
  }), []);
  return (
    <ToastContext.Provider value={value}>
     <DismissContext.Provider value={dismissEarlier}>
      {children}
      <div aria-live="polite" className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-[min(24rem,calc(100vw-2rem))] flex-col gap-2">
        {items.map((t) => (
          <div key={t.id} role={t.variant === 'error' ? 'alert' : 'status'} className={cn('pointer-events-auto rounded-md border-l-4 border bg-card p-4 text-sm shadow-lg', VARIANT[t.variant ?? 'default'])}>
            <div className="flex items-start justify-between gap-3">
              <div>
                <p className="font-semibold">{t.title}</p>
                {t.description && <p className="mt-0.5 text-muted-foreground">{t.description}</p>}
              </div>
              <button type="button" className="rounded px-1 text-muted-foreground hover:text-foreground" aria-label="Dismiss notification" onClick={() => dismiss(t.id)}>
                ×
              </button>
            </div>
          </div>
        ))}
      </div>
     </DismissContext.Provider>
    </ToastContext.Provider>
  );
}

export function useToast(): (toast: ToastInput) => void {
  return useContext(ToastContext);
}

/** For the router's owner: on navigation, dismiss the toasts of the previous page. */
export function useDismissEarlierToasts(): () => void {
  return useContext(DismissContext);
}
