// Auth's error catalogue: stable codes clients and tests can rely on.
import { defineError } from '@bank/kit';

export const EmailTaken = defineError('AUTH_EMAIL_TAKEN', 409, 'Email already registered');
/** Deliberately vague: never says whether the email or the password was wrong. */
export const InvalidCredentials = defineError('AUTH_INVALID_CREDENTIALS', 401, 'Invalid email or password');
export const AccountDisabled = defineError('AUTH_ACCOUNT_DISABLED', 403, 'Account disabled');
export const TooManyAttempts = defineError('AUTH_TOO_MANY_ATTEMPTS', 429, 'Too many failed sign-in attempts');
export const InvalidRefreshToken = defineError('AUTH_INVALID_REFRESH_TOKEN', 401, 'Invalid or expired refresh token');
export const RefreshTokenReused = defineError('AUTH_REFRESH_TOKEN_REUSED', 401, 'Refresh token reuse detected');
export const SessionNotFound = defineError('AUTH_SESSION_NOT_FOUND', 404, 'Session not found');
export const UserNotFound = defineError('AUTH_USER_NOT_FOUND', 404, 'User not found');
export const CannotChangeSelf = defineError('AUTH_CANNOT_CHANGE_SELF', 409, 'Admins cannot demote or disable themselves');
