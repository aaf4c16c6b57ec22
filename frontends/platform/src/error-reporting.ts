// Error reports from the browser to Sentry: one client for the whole page. @bank/platform is a
// federation singleton, so the shell starts it (main.tsx, from /config.json) and the remotes
// report through this same module. No `sentry.dsn` in the run-time config → the SDK is never
// even downloaded and nothing is sent.
// Reported: render errors and failed remote loads (the shell's RemoteBoundary calls
// reportError), uncaught errors and unhandled rejections (the SDK's global handlers).
// Without personal data: the user is their id only; URLs lose their query and fragment;
// request headers, breadcrumb data and e-mail addresses / tokens in messages are removed.
import type * as SentryClientModule from './sentry-client.ts';
import type { BrowserOptions, ErrorEvent } from '@sentry/browser';
import { useAuthStore } from './auth/store.ts';

export interface ErrorReportingConfig {
  /** Sentry DSN; unset = off. */
  dsn?: string;
  environment?: string;
  /** Share of errors sent, 0..1 (default 1). */
  sampleRate?: number;
  release?: string;
  /**
   * Same-origin path the envelopes are posted to instead of the DSN's host, for a CSP whose
   * connect-src is 'self': the gateway's /api/monitoring/sentry-tunnel, which forwards them to
   * Sentry (the start-up writers put it here by default). Unset: sent to the DSN's host, which
   * connect-src must then allow.
   */
  tunnel?: string;
}

type SentryBrowser = typeof SentryClientModule;

let client: Promise<SentryBrowser | undefined> = Promise.resolve(undefined);
let started = false;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const TOKEN = /\b(Bearer\s+)?eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const scrubText = (text: string) => text.replace(EMAIL, '[email]').replace(TOKEN, '[token]');
const withoutQuery = (url: string) => url.split(/[?#]/)[0] ?? url;

/** beforeSend: keep what locates the error, drop what identifies a person. */
export function scrubEvent(event: ErrorEvent): ErrorEvent {
  if (event.request) event.request = event.request.url ? { url: withoutQuery(event.request.url) } : {};
  if (event.user) event.user = event.user.id !== undefined ? { id: event.user.id } : {};
  if (event.message) event.message = scrubText(event.message);
  for (const exception of event.exception?.values ?? []) {
    if (exception.value) exception.value = scrubText(exception.value);
  }
  for (const breadcrumb of event.breadcrumbs ?? []) {
    if (breadcrumb.message) breadcrumb.message = scrubText(breadcrumb.message);
    const url = breadcrumb.data?.url;
    breadcrumb.data = typeof url === 'string' ? { url: withoutQuery(url) } : undefined;
  }
  delete event.extra;
  return event;
}

/** Called once by the shell after /config.json is loaded. */
export function startErrorReporting(config: ErrorReportingConfig | undefined): void {
  if (started || !config?.dsn) return;
  started = true;
  const options: BrowserOptions = {
    dsn: config.dsn,
    sampleRate: config.sampleRate ?? 1,
    sendDefaultPii: false,
    // Errors only: traces go to the gateway as `traceparent` (api/traceparent.ts).
    beforeSend: (event) => scrubEvent(event),
    ...(config.environment ? { environment: config.environment } : {}),
    ...(config.release ? { release: config.release } : {}),
    ...(config.tunnel ? { tunnel: config.tunnel } : {}),
  };
  client = import('./sentry-client.ts')
    .then((Sentry) => {
      Sentry.init(options);
      const identify = (userId: string | undefined) => Sentry.setUser(userId ? { id: userId } : null);
      identify(useAuthStore.getState().user?.id);
      useAuthStore.subscribe((state, previous) => {
        if (state.user?.id !== previous.user?.id) identify(state.user?.id);
      });
      return Sentry;
    })
    .catch((error: unknown) => {
      console.warn('error reporting unavailable', error);
      return undefined;
    });
}

export interface ErrorReportContext {
  /** What failed: a component while rendering, a remote's code while loading. */
  kind: 'render' | 'remote-load';
  /** The remote (auth, payments, admin) the error came from, if any. */
  remote?: string;
}

/** Reports an error caught by an error boundary; no-op when reporting is off. */
export function reportError(error: unknown, context: ErrorReportContext): void {
  void client.then((Sentry) => {
    Sentry?.captureException(error, {
      tags: { kind: context.kind, route: withoutQuery(window.location.pathname), ...(context.remote ? { remote: context.remote } : {}) },
    });
  });
}
