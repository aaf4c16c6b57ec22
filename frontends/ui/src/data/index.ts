// @bank/ui/data — tables, lists and their controls: what signed-in pages show data with.
// Not a federation singleton (nothing here holds state shared across apps): each app bundles the
// parts it uses, so the sign-in page, which uses none, does not download them
// (docs/benchmarks/frontend.md). Core pieces (cn, Button, Card) come from '@bank/ui' by name —
// a relative import would bundle a second copy of the core, tailwind-merge included, into every app.
export { Table, THead, TBody, TR, TH, TD } from './table.tsx';
export { Badge, type BadgeTone } from './badge.tsx';
export { StatusBadge } from './status-badge.tsx';
export { EmptyState } from './empty-state.tsx';
export { Pagination, PAGES_PARAM, useCursorPages, useUrlCursorPages, type CursorPaginationProps } from './pagination.tsx';
export { FilterPanel } from './filter-panel.tsx';
export { Tabs, type TabItem } from './tabs.tsx';
export { useMediaQuery, WIDE_QUERY } from './media-query.ts';
