// The ids of the active span, for log lines (logger.ts) and error reports (error-reporting.ts).
// Empty when no span is active — always so without an OpenTelemetry SDK (OTEL_EXPORTER_OTLP_ENDPOINT unset).
import { isSpanContextValid, trace } from '@opentelemetry/api';

export interface TraceIds {
  trace_id: string;
  span_id: string;
}

export function activeTraceIds(): TraceIds | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
