// Loaded with `node --import @bank/kit/instrument` so telemetry starts before any module it
// instruments. OpenTelemetry exports over OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT is set;
// Sentry reports only when SENTRY_DSN is set. Absent both, this costs nothing and sends nothing.
import { NodeSDK } from '@opentelemetry/sdk-node';
import * as Sentry from '@sentry/node';

const otlpEndpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
const sentryDsn = process.env.SENTRY_DSN;
const serviceName = process.env.OTEL_SERVICE_NAME ?? process.env.npm_package_name ?? 'bank-service';

if (sentryDsn) {
  // @sentry/node 10: we own the OpenTelemetry setup (NodeSDK below), so Sentry must not make its own.
  Sentry.init({ dsn: sentryDsn, skipOpenTelemetrySetup: true, tracesSampleRate: 0 });
}

if (otlpEndpoint) {
  const sdk = new NodeSDK({ serviceName });
  sdk.start();
  const shutdown = () => void sdk.shutdown().catch(() => {});
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
