import { useId, useState, type ReactNode } from 'react';
import { cn, Button, Card } from '@bank/ui';

/**
 * A list's filters: always shown from the sm breakpoint up; on a phone folded behind a
 * "Filters" button (saying how many are active) so the list, not the form, fills the first screen.
 */
export function FilterPanel({ active, children, className }: { active: number; children: ReactNode; className?: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <Card className={cn('mb-4 p-4', className)}>
      <Button variant="outline" size="sm" className="w-full sm:hidden" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
        {open ? 'Hide filters' : 'Filters'}{active > 0 ? ` (${active} active)` : ''}
      </Button>
      <div id={id} className={cn(open ? 'mt-3 block' : 'hidden', 'sm:mt-0 sm:block')}>
        {children}
      </div>
    </Card>
  );
}
