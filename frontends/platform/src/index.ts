// Public surface of @bank/platform. Import from here (formatting: '@bank/platform/format'): this
// module is shared as one instance across the shell and the remotes.
import './singleton-marker.ts';

export { registerReactInstance } from './singleton-marker.ts';
export * from './api/types.ts';
export { ApiError, errorMessage, readableMessage, type Problem } from './api/problem.ts';
export { api, apiRequest, buildPath, prefetch, type RequestOptions } from './api/client.ts';
export { PAYMENTS_PAGE_SIZE, authApi, paymentsApi, profileApi, adminApi, type AuditFilters } from './api/endpoints.ts';
export { useAuthStore, useCurrentUser, useIsAdmin, type AuthState, type AuthStatus, type SessionSnapshot } from './auth/store.ts';
export { hasSessionHint, restoreSession, refreshAccessToken, signIn, signUp, signOut, signOutLocally } from './auth/session.ts';
export { onSessionChange, publishSessionChange, type SessionSyncMessage } from './auth/session-sync.ts';
export { getDeviceId, getDeviceName } from './auth/device.ts';
export { bus, createEventBus, type BusEvents, type EventBus } from './events/bus.ts';
export { RealtimeClient, backoffDelay, type RealtimeMessage, type RealtimeStatus, type RealtimeType } from './realtime/ws-client.ts';
export { RealtimeProvider, useRealtime, useRealtimeStatus } from './realtime/provider.tsx';
export { createIdempotencyKeeper, type IdempotencyKeeper } from './idempotency.ts';
export { startErrorReporting, reportError, type ErrorReportingConfig, type ErrorReportContext } from './error-reporting.ts';
export { loadRuntimeConfig, getRuntimeConfig, DEFAULT_CONFIG, type RuntimeConfig } from './runtime-config.ts';
export { createQueryClient } from './query.ts';
// Formatting with it (dates, times, money) is in '@bank/platform/format', bundled by the apps that format.
export { DEFAULT_LOCALE, getDisplayLocale, setDisplayLocale, useDisplayLocale } from './display-locale.ts';
export { startAnalytics, recordAnalytics, setAnalyticsConsent, discardAnalytics, type AnalyticsConfig } from './analytics/analytics.ts';
export { isOffline, useOnline } from './network/online.ts';
