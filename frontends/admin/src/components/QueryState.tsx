import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { Alert, PageLoader } from '@bank/ui';
import { errorMessage } from '@bank/platform';

/** Loading and error states of a query, so every admin page handles them the same way. */
export function QueryState<T>({ query, children, label }: { query: UseQueryResult<T>; children: (data: T) => ReactNode; label: string }) {
  if (query.isPending) return <PageLoader label={`Loading ${label}`} />;
  if (query.isError) return <Alert tone="error" title={`Could not load ${label}`}>{errorMessage(query.error)}</Alert>;
  return <>{children(query.data)}</>;
}
