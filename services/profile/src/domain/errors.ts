// Profile's error catalogue: stable codes clients and tests can rely on.
import { defineError } from '@bank/kit';

export const ProfileNotFound = defineError('PROFILE_NOT_FOUND', 404, 'Profile not found');
export const InvalidCountry = defineError('PROFILE_INVALID_COUNTRY', 400, 'Unknown country code');
