import type { ReactNode } from 'react';
import { cn } from '@bank/ui';

export function EmptyState({ title, description, action, icon, className }: { title: string; description?: ReactNode; action?: ReactNode; icon?: ReactNode; className?: string }) {
  return (
    <div className={cn('flex flex-col items-center justify-center gap-2 rounded-lg border border-dashed border-border px-6 py-12 text-center', className)}>
      <div aria-hidden className="mb-1 flex h-12 w-12 items-center justify-center rounded-full bg-muted text-xl text-muted-foreground">
        {icon ?? '∅'}
      </div>
      <p className="text-base font-semibold">{title}</p>
      {description && <p className="max-w-sm text-sm text-muted-foreground">{description}</p>}
      {action && <div className="mt-3">{action}</div>}
    </div>
  );
}
