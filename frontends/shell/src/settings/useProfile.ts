import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { profileApi, type Profile } from '@bank/platform';

export const PROFILE_KEY = ['profile', 'me'] as const;
const UPDATE_KEY = ['profile', 'me', 'update'] as const;

export function useProfile() {
  return useQuery({ queryKey: PROFILE_KEY, queryFn: profileApi.get });
}

/**
 * PATCH /profile/me, shown optimistically: controls bound to the profile (theme radios, toggles)
 * reflect a change at once instead of after the round trip. While several changes are in flight,
 * an earlier answer must not overwrite a later choice, so only the last one writes the server's
 * copy into the cache; a failure rolls back and re-reads.
 */
export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: UPDATE_KEY,
    mutationFn: (patch: Partial<Profile>) => profileApi.update(patch),
    onMutate: async (patch) => {
      await queryClient.cancelQueries({ queryKey: PROFILE_KEY, exact: true });
      const previous = queryClient.getQueryData<Profile>(PROFILE_KEY);
      if (previous) queryClient.setQueryData<Profile>(PROFILE_KEY, { ...previous, ...patch });
      return { previous };
    },
    onError: (_error, _patch, context) => {
      if (context?.previous) queryClient.setQueryData(PROFILE_KEY, context.previous);
      void queryClient.invalidateQueries({ queryKey: PROFILE_KEY, exact: true });
    },
    onSuccess: (profile) => {
      // isMutating counts this mutation too until it settles.
      if (queryClient.isMutating({ mutationKey: UPDATE_KEY }) <= 1) queryClient.setQueryData(PROFILE_KEY, profile);
    },
  });
}
