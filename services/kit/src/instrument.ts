// Loaded with `node --import @bank/kit/instrument` so telemetry starts before any module it
// instruments. OpenTelemetry exports traces over OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT is
// set (OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_TRACES_SAMPLER… are read by the SDK itself); Sentry
// reports only when SENTRY_DSN is set (error-reporting.ts). Absent both, nothing is loaded or sent.
// Instrumented automatically: inbound/outbound HTTP (so gateway → service spans join through
// `traceparent`), undici (the gateway's proxy and service-to-service fetch) and ioredis.
// postgres.js and rabbitmq-client have no instrumentation: the kit (db-tracing.ts) and the event
// hub (@bank/events tracing.ts) make those spans themselves.
import { loadConfig } from './config.ts';
import { flushErrorReports, startErrorReporting } from './error-reporting.ts';
import { onTelemetryFlush } from './telemetry-shutdown.ts';

// Only the base variables: a service's own schema is checked when it builds its config.
const config = loadConfig('instrument', {});
const serviceName = config.OTEL_SERVICE_NAME ?? process.env.npm_package_name ?? 'bank-service';

if (config.SENTRY_DSN) {
  await startErrorReporting({
    dsn: config.SENTRY_DSN,
    service: serviceName,
    environment: config.SENTRY_ENVIRONMENT ?? config.NODE_ENV,
    sampleRate: config.SENTRY_SAMPLE_RATE,
    ...(config.SENTRY_RELEASE ? { release: config.SENTRY_RELEASE } : {}),
  });
  // An uncaught exception / unhandled rejection captured by Sentry's process integrations is sent
  // before the process exits.
  onTelemetryFlush(() => flushErrorReports());
}

if (config.OTEL_EXPORTER_OTLP_ENDPOINT) {
  const [{ NodeSDK }, { HttpInstrumentation }, { UndiciInstrumentation }, { IORedisInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/instrumentation-ioredis'),
  ]);
  const sdk = new NodeSDK({
    serviceName,
    // Traces only: metrics are Prometheus (/metrics, prom-client) and logs are pino on stdout.
    // Left to the defaults, the SDK would also push OTLP metrics and logs (and wait on them at exit).
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      // Health probes and scrapes would drown the traces.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(health|metrics)/.test(req.url ?? '') }),
      new UndiciInstrumentation(),
      new IORedisInstrumentation(),
    ],
  });
  sdk.start();
  // Exports the spans still batched: awaited by a service's graceful close (server.ts, through
  // telemetry-shutdown.ts) once its in-flight requests have finished. Shutting the SDK down on the
  // signal itself would drop every span that ends after it (a request still being answered, the
  // queries of a delivery being finished), so the signal listener below only acts for a process
  // that has no shutdown of its own (a tool run with this import): it flushes, then lets the signal
  // end the process as it would have without this listener.
  let stopped: Promise<void> | undefined;
  const shutdown = () => (stopped ??= sdk.shutdown().catch(() => {}));
  onTelemetryFlush(shutdown);
  const flushThenExitOn = (signal: NodeJS.Signals) =>
    process.once(signal, () => {
      if (process.listenerCount(signal) > 0) return; // close-with-grace (runService) owns the exit
      void shutdown().then(() => process.kill(process.pid, signal));
    });
  flushThenExitOn('SIGTERM');
  flushThenExitOn('SIGINT');
}
