// TanStack Query defaults for a banking UI: short stale times, no retries on client errors
// (a 403 or 404 will not change by asking again), a couple of retries on server/network errors.
// Network modes: a query is tried even offline (the service worker may answer from its cache);
// a mutation always runs, so offline it fails at once (api/client.ts) instead of being paused by
// TanStack Query with its button spinning until the connection is back.
import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/problem.ts';

const isOfflineError = (error: unknown) => error instanceof ApiError && error.code === 'OFFLINE';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        gcTime: 5 * 60_000,
        refetchOnWindowFocus: true,
        networkMode: 'offlineFirst',
        retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && !isOfflineError(error) && failures < 2,
      },
      mutations: { retry: false, networkMode: 'always' },
    },
  });
}
