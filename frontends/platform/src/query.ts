// TanStack Query defaults for a banking UI: short stale times, no retries on client errors
// (a 403 or 404 will not change by asking again), a couple of retries on server/network errors.
import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/problem.ts';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        gcTime: 5 * 60_000,
        refetchOnWindowFocus: true,
        retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
      },
      mutations: { retry: false },
    },
  });
}
