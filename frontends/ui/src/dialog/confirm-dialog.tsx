import type { ReactNode } from 'react';
import { Button, type ButtonVariant } from '@bank/ui';
import { Dialog } from './dialog.tsx';

export interface ConfirmDialogProps {
  open: boolean;
  title: ReactNode;
  description?: ReactNode;
  /** What will happen, e.g. a summary list; read by screen readers after the title. */
  children?: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  tone?: Extract<ButtonVariant, 'primary' | 'destructive'>;
  loading?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * "Are you sure?" before an action that moves money or changes someone's access. The safe choice
 * comes first, so it gets the initial focus (showModal focuses the first focusable element) and
 * Enter on an accidental open does nothing harmful; Escape cancels.
 */
export function ConfirmDialog({ open, title, description, children, confirmLabel, cancelLabel = 'Go back', tone = 'primary', loading, onConfirm, onCancel }: ConfirmDialogProps) {
  return (
    <Dialog
      open={open}
      onClose={() => !loading && onCancel()}
      title={title}
      description={description}
      footer={
        <div className="flex w-full flex-col-reverse gap-2 sm:w-auto sm:flex-row">
          <Button variant="outline" onClick={onCancel} disabled={loading}>{cancelLabel}</Button>
          <Button variant={tone} loading={loading} onClick={onConfirm}>{confirmLabel}</Button>
        </div>
      }
    >
      {children}
    </Dialog>
  );
}
