// Error reports to Sentry. Started by instrument.ts (before anything else) only when SENTRY_DSN is
// set; until then every function here is a no-op, so no DSN means nothing loaded, nothing sent.
// What is reported: 5xx and unexpected errors from the kit's error handler (errors.ts), uncaught
// exceptions and unhandled rejections (Sentry's default process integrations, flushed on shutdown
// by server.ts). Tagged with service, request id, trace id, route and user id — and nothing
// personal: `scrubEvent` drops request bodies, headers, cookies, query strings, IP addresses and
// user fields other than the id, and masks e-mail addresses and bearer tokens in messages.
import type * as SentryNode from '@sentry/node';
import type { ErrorEvent, EventHint } from '@sentry/node';
import { activeTraceIds } from './trace-context.ts';

type SentryModule = typeof SentryNode;

export interface ErrorReportingOptions {
  dsn: string;
  service: string;
  environment: string;
  /** Share of errors sent (0..1). */
  sampleRate: number;
  release?: string;
}

let sentry: SentryModule | undefined;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/** Masks e-mail addresses and credentials in free text (error messages, breadcrumbs). */
export function scrubText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(BEARER, '$1 [redacted]').replace(JWT, '[token]');
}

/** beforeSend: keep what locates the error, drop what identifies or authenticates a person. */
export function scrubEvent<E extends ErrorEvent>(event: E): E {
  if (event.request) {
    const { method, url } = event.request;
    // The path only: query strings may carry search terms or tokens.
    event.request = { ...(method ? { method } : {}), ...(url ? { url: url.split('?')[0] } : {}) };
  }
  if (event.user) event.user = event.user.id !== undefined ? { id: event.user.id } : {};
  delete event.server_name;
  if (event.message) event.message = scrubText(event.message);
  for (const exception of event.exception?.values ?? []) {
    if (exception.value) exception.value = scrubText(exception.value);
    for (const frame of exception.stacktrace?.frames ?? []) {
      // Local variables could hold anything (a request body, a password).
      delete frame.vars;
      // Source lines around the frame stay (they locate the bug), with any address or token masked.
      if (frame.context_line) frame.context_line = scrubText(frame.context_line);
      if (frame.pre_context) frame.pre_context = frame.pre_context.map(scrubText);
      if (frame.post_context) frame.post_context = frame.post_context.map(scrubText);
    }
  }
  for (const breadcrumb of event.breadcrumbs ?? []) {
    if (breadcrumb.message) breadcrumb.message = scrubText(breadcrumb.message);
    delete breadcrumb.data;
  }
  delete event.extra;
  return event;
}

/** Called once by instrument.ts when SENTRY_DSN is set. */
export async function startErrorReporting(opts: ErrorReportingOptions): Promise<void> {
  const Sentry = await import('@sentry/node');
  Sentry.init({
    dsn: opts.dsn,
    environment: opts.environment,
    sampleRate: opts.sampleRate,
    ...(opts.release ? { release: opts.release } : {}),
    // @sentry/node 10: we own the OpenTelemetry setup (NodeSDK in instrument.ts) and send traces
    // over OTLP, so Sentry sets up none of its own. No tracesSampleRate (not even 0): with one,
    // Sentry adds its performance integrations, which would emit duplicate HTTP, Fastify and
    // postgres spans through our tracer provider.
    skipOpenTelemetrySetup: true,
    integrations: (defaults) => defaults.map((integration) => (integration.name === 'Http' ? Sentry.httpIntegration({ spans: false }) : integration)),
    sendDefaultPii: false,
    // The default integrations would add request data and local variables; scrubEvent removes
    // whatever personal data they (or a message) still carry.
    beforeSend: (event: ErrorEvent, _hint: EventHint) => scrubEvent(event),
    initialScope: { tags: { service: opts.service } },
  });
  sentry = Sentry;
}

export interface ErrorContext {
  requestId?: string;
  route?: string;
  method?: string;
  userId?: string;
}

/** Reports an error with its request's context; no-op without a DSN. */
export function reportError(error: unknown, ctx: ErrorContext = {}): void {
  if (!sentry) return;
  const trace = activeTraceIds();
  sentry.captureException(error, {
    tags: {
      ...(ctx.requestId ? { request_id: ctx.requestId } : {}),
      ...(ctx.route ? { route: ctx.route } : {}),
      ...(ctx.method ? { method: ctx.method } : {}),
      ...(trace ? { trace_id: trace.trace_id, span_id: trace.span_id } : {}),
    },
    ...(ctx.userId ? { user: { id: ctx.userId } } : {}),
  });
}

/** Waits (bounded) until queued reports are sent: before the process exits. */
export async function flushErrorReports(timeoutMs = 2_000): Promise<void> {
  if (sentry) await sentry.flush(timeoutMs).catch(() => false);
}
