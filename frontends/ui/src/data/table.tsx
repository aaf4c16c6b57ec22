import type { HTMLAttributes, TdHTMLAttributes, ThHTMLAttributes } from 'react';
import { cn } from '@bank/ui';

/**
 * Below the md breakpoint a `stacked` table shows each row as a block of "label value" lines
 * (the label from each cell's `label`), so nothing hides off-screen in a side-scrolling box. The
 * header row stays for screen readers. Cells hidden at small sizes (`hidden md:table-cell`) stay hidden.
 */
const STACKED = [
  'max-md:block max-md:[&_tbody]:block max-md:[&_thead]:sr-only',
  'max-md:[&_tbody>tr]:block max-md:[&_tbody>tr]:px-4 max-md:[&_tbody>tr]:py-3',
  'max-md:[&_td:not(.hidden)]:flex max-md:[&_td]:items-center max-md:[&_td]:justify-between max-md:[&_td]:gap-3 max-md:[&_td]:px-0 max-md:[&_td]:py-1 max-md:[&_td]:text-right',
  'max-md:[&_td]:before:content-[attr(data-label)] max-md:[&_td]:before:shrink-0 max-md:[&_td]:before:text-left max-md:[&_td]:before:text-xs max-md:[&_td]:before:font-medium max-md:[&_td]:before:text-muted-foreground',
].join(' ');

export function Table({ className, caption, stacked = false, ...props }: HTMLAttributes<HTMLTableElement> & { caption?: string; stacked?: boolean }) {
  return (
    <div className="w-full overflow-x-auto">
      <table className={cn('w-full caption-bottom text-sm', stacked && STACKED, className)} {...props}>
        {caption && <caption className="sr-only">{caption}</caption>}
        {props.children}
      </table>
    </div>
  );
}
export const THead = ({ className, ...p }: HTMLAttributes<HTMLTableSectionElement>) => <thead className={cn('bg-muted/60', className)} {...p} />;
export const TBody = ({ className, ...p }: HTMLAttributes<HTMLTableSectionElement>) => <tbody className={cn('divide-y divide-border', className)} {...p} />;
export const TR = ({ className, ...p }: HTMLAttributes<HTMLTableRowElement>) => <tr className={cn('transition-colors hover:bg-muted/40', className)} {...p} />;
export const TH = ({ className, ...p }: ThHTMLAttributes<HTMLTableCellElement>) => (
  <th scope="col" className={cn('h-10 px-4 text-left align-middle text-xs font-semibold uppercase tracking-wide text-muted-foreground', className)} {...p} />
);
/** `label`: the column name shown beside the value when a stacked table is narrow. */
export const TD = ({ className, label, ...p }: TdHTMLAttributes<HTMLTableCellElement> & { label?: string }) => (
  <td data-label={label} className={cn('px-4 py-3 align-middle', className)} {...p} />
);
