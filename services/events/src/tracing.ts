// W3C trace context across the broker. rabbitmq-client is not instrumented by OpenTelemetry, so
// the active context is injected into the message headers on publish and extracted on consume.
// With no SDK registered, @opentelemetry/api is a no-op and nothing is added.
import { context, propagation, type Context } from '@opentelemetry/api';

/** Headers (`traceparent`, `tracestate`) carrying the active (or given) context. */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** Runs `fn` inside the context carried by the message headers. */
export function withExtractedContext<T>(headers: Record<string, unknown> | undefined, fn: () => T): T {
  const carrier: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (typeof value === 'string') carrier[key] = value;
    else if (Buffer.isBuffer(value)) carrier[key] = value.toString('utf8');
  }
  return context.with(propagation.extract(context.active(), carrier), fn);
}
