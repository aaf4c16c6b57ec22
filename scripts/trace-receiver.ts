// `npm run trace:receiver [-- --port 4318]`: an OTLP/HTTP receiver printing each trace as a tree
// once it has been quiet for two seconds. Start the platform with
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 npm start
// and use the app: every request, delivery and query shows up here (docs/observability.md).
import { parseArgs } from 'node:util';
import { formatTraceTree, startOtlpReceiver, type ReceivedSpan } from '@bank/kit/otlp-receiver';

const { values } = parseArgs({ options: { port: { type: 'string', default: '4318' }, host: { type: 'string', default: '127.0.0.1' }, quietMs: { type: 'string', default: '2000' } } });
const receiver = await startOtlpReceiver({ port: Number(values.port), host: values.host });
const quietMs = Number(values.quietMs);
const pending = new Map<string, { spans: ReceivedSpan[]; timer: NodeJS.Timeout }>();

receiver.onSpans((spans) => {
  for (const span of spans) {
    const entry = pending.get(span.traceId) ?? { spans: [], timer: setTimeout(() => {}, 0) };
    entry.spans.push(span);
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      pending.delete(span.traceId);
      console.log(`\ntrace ${span.traceId} (${entry.spans.length} spans)\n${formatTraceTree(entry.spans)}`);
    }, quietMs);
    pending.set(span.traceId, entry);
  }
});
console.log(`OTLP/HTTP receiver on ${receiver.endpoint} (set OTEL_EXPORTER_OTLP_ENDPOINT=${receiver.endpoint}); Ctrl-C to stop`);
process.once('SIGINT', () => void receiver.close().then(() => process.exit(0)));
