// What the apps share as "@tanstack/react-query": like shared/react-router.mjs, a subset, so the
// shared chunk (which keeps every export of its entry) carries no hydration, suspense or
// persistence helpers that no app uses. An import of something missing here fails the build.
export {
  QueryClient,
  QueryClientProvider,
  keepPreviousData,
  useQuery,
  useMutation,
  useQueryClient,
} from '@tanstack/react-query';
