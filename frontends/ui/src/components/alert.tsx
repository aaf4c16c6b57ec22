import type { HTMLAttributes, ReactNode } from 'react';
import { cn } from '../lib/cn.ts';

export type AlertTone = 'info' | 'success' | 'warning' | 'error';
const TONES: Record<AlertTone, string> = {
  info: 'border-info/40 bg-info/5 text-foreground',
  success: 'border-success/40 bg-success/5 text-foreground',
  warning: 'border-warning/40 bg-warning/5 text-foreground',
  error: 'border-destructive/50 bg-destructive/5 text-foreground',
};
const BAR: Record<AlertTone, string> = { info: 'bg-info', success: 'bg-success', warning: 'bg-warning', error: 'bg-destructive' };

export interface AlertProps extends Omit<HTMLAttributes<HTMLDivElement>, 'title'> {
  tone?: AlertTone;
  title?: ReactNode;
}

/** Errors are announced immediately (role=alert); other tones politely (role=status). */
export function Alert({ tone = 'info', title, className, children, ...props }: AlertProps) {
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={cn('relative flex gap-3 overflow-hidden rounded-md border p-4 text-sm', TONES[tone], className)} {...props}>
      <span aria-hidden className={cn('absolute inset-y-0 left-0 w-1', BAR[tone])} />
      <div className="flex flex-col gap-1">
        {title && <p className="font-semibold">{title}</p>}
        {children && <div className="text-muted-foreground">{children}</div>}
      </div>
    </div>
  );
}
