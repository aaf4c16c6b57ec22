// Loaded with `node --import @bank/kit/instrument` so telemetry starts before any module it
// instruments. OpenTelemetry exports traces over OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT is
// set; Sentry reports only when SENTRY_DSN is set. Absent both, nothing is loaded or sent.
// Instrumented automatically: inbound/outbound HTTP (so gateway → service spans join through
// `traceparent`), undici (the gateway's proxy and service-to-service fetch) and ioredis.
// postgres.js and rabbitmq-client have no instrumentation: the event hub carries
// `traceparent` in message headers itself.
const otlpEndpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
const sentryDsn = process.env.SENTRY_DSN;
const serviceName = process.env.OTEL_SERVICE_NAME ?? process.env.npm_package_name ?? 'bank-service';

if (sentryDsn) {
  const Sentry = await import('@sentry/node');
  // @sentry/node 10: we own the OpenTelemetry setup (NodeSDK below), so Sentry must not make its own.
  Sentry.init({ dsn: sentryDsn, skipOpenTelemetrySetup: true, tracesSampleRate: 0, environment: process.env.NODE_ENV ?? 'development' });
}

if (otlpEndpoint) {
  const [{ NodeSDK }, { HttpInstrumentation }, { UndiciInstrumentation }, { IORedisInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
    import('@opentelemetry/instrumentation-ioredis'),
  ]);
  const sdk = new NodeSDK({
    serviceName,
    instrumentations: [
      // Health probes and scrapes would drown the traces.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(health|metrics)/.test(req.url ?? '') }),
      new UndiciInstrumentation(),
      new IORedisInstrumentation(),
    ],
  });
  sdk.start();
  const shutdown = () => void sdk.shutdown().catch(() => {});
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
