import { useState } from 'react';
import { Button } from '@bank/ui';

export interface CursorPaginationProps {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  loading?: boolean;
}

/** Previous/next pagination for cursor-based APIs (no total count, so no page numbers). */
export function Pagination({ page, hasPrevious, hasNext, onPrevious, onNext, loading }: CursorPaginationProps) {
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between gap-3 py-3">
      <Button variant="outline" size="sm" onClick={onPrevious} disabled={!hasPrevious || loading}>
        ← Previous
      </Button>
      <span className="text-sm text-muted-foreground" aria-live="polite">
        Page {page}
      </span>
      <Button variant="outline" size="sm" onClick={onNext} disabled={!hasNext || loading}>
        Next →
      </Button>
    </nav>
  );
}

/**
 * State for cursor pagination: the stack of cursors of the pages already visited, so "Previous"
 * works although the API only returns a next cursor. `reset()` when the filters change.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    cursor: cursors[cursors.length - 1] ?? null,
    page: cursors.length,
    hasPrevious: cursors.length > 1,
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    next: (cursor: string | null | undefined) => cursor && setCursors((c) => [...c, cursor]),
    reset: () => setCursors([null]),
  };
}

/** The URL parameter holding the cursors of the pages visited (base64url, so "." separates them). */
export const PAGES_PARAM = 'pages';

/**
 * useCursorPages kept in the URL instead of component state: a reload, a shared link or the
 * back button returns to the same page. `params`/`setParams` are the router's search params;
 * other parameters (filters) are kept; changing a filter should drop PAGES_PARAM (page 1).
 */
export function useUrlCursorPages(params: URLSearchParams, setParams: (next: URLSearchParams) => void) {
  const visited = (params.get(PAGES_PARAM) ?? '').split('.').filter(Boolean);
  const go = (cursors: string[]) => {
    const next = new URLSearchParams(params);
    if (cursors.length) next.set(PAGES_PARAM, cursors.join('.'));
    else next.delete(PAGES_PARAM);
    setParams(next);
  };
  return {
    cursor: visited.at(-1) ?? null,
    page: visited.length + 1,
    hasPrevious: visited.length > 0,
    previous: () => go(visited.slice(0, -1)),
    next: (cursor: string | null | undefined) => cursor && go([...visited, cursor]),
    reset: () => go([]),
  };
}
