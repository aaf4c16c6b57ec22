import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { profileApi, type Profile } from '@bank/platform';

export const PROFILE_KEY = ['profile', 'me'] as const;

export function useProfile() {
  return useQuery({ queryKey: PROFILE_KEY, queryFn: profileApi.get });
}

export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: Partial<Profile>) => profileApi.update(patch),
    onSuccess: (profile) => queryClient.setQueryData(PROFILE_KEY, profile),
  });
}
