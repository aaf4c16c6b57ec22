import type { HTMLAttributes } from 'react';
import { cn } from '../lib/cn.ts';

const SIZES = { sm: 'h-4 w-4 border-2', md: 'h-6 w-6 border-2', lg: 'h-10 w-10 border-[3px]' } as const;

export function Spinner({ size = 'md', label = 'Loading', className }: { size?: keyof typeof SIZES; label?: string | null; className?: string }) {
  return (
    <span role={label ? 'status' : undefined} className={cn('inline-flex items-center', className)}>
      <span aria-hidden className={cn('animate-spin rounded-full border-current border-r-transparent', SIZES[size])} />
      {label && <span className="sr-only">{label}</span>}
    </span>
  );
}

export function Skeleton({ className, ...props }: HTMLAttributes<HTMLDivElement>) {
  return <div aria-hidden className={cn('animate-pulse rounded-md bg-muted', className)} {...props} />;
}

/** A centred loading block for route-level Suspense fallbacks. `data-loading` lets tests wait for data. */
export function PageLoader({ label = 'Loading' }: { label?: string }) {
  return (
    <div data-loading="true" className="flex min-h-48 items-center justify-center text-primary">
      <Spinner size="lg" label={label} />
    </div>
  );
}
