// `npm run trace:receiver [-- --port 4318]`: an OTLP/HTTP receiver printing each trace as a tree
// once it has been quiet for ten seconds — longer than a service's export delay (the SDK batches
// spans for 5 s) plus the payment processor's pause between steps (1.5 s), so the parts of one
// trace that different services export at different times are printed together. Start the
// platform with
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 npm start
// and use the app: every request, delivery and query shows up here (docs/observability.md).
// Ctrl-C / SIGTERM stop receiving, then print every trace still waiting for its quiet period, so
// spans that arrived just before the signal are never lost.
import { parseArgs } from 'node:util';
import { formatTraceTree, startOtlpReceiver, type ReceivedSpan } from '@bank/kit/otlp-receiver';

const { values } = parseArgs({ options: { port: { type: 'string', default: '4318' }, host: { type: 'string', default: '127.0.0.1' }, quietMs: { type: 'string', default: '10000' } } });
const receiver = await startOtlpReceiver({ port: Number(values.port), host: values.host });
const quietMs = Number(values.quietMs);
const pending = new Map<string, { spans: ReceivedSpan[]; timer: NodeJS.Timeout }>();
let printedTraces = 0;

function printTrace(traceId: string) {
  const entry = pending.get(traceId);
  if (!entry) return;
  clearTimeout(entry.timer);
  pending.delete(traceId);
  printedTraces += 1;
  console.log(`\ntrace ${traceId} (${entry.spans.length} spans)\n${formatTraceTree(entry.spans)}`);
}

receiver.onSpans((spans) => {
  for (const span of spans) {
    const entry = pending.get(span.traceId);
    if (entry) {
      entry.spans.push(span);
      entry.timer.refresh(); // quiet period restarts with each span of the trace
    } else {
      pending.set(span.traceId, { spans: [span], timer: setTimeout(() => printTrace(span.traceId), quietMs) });
    }
  }
});
console.log(`OTLP/HTTP receiver on ${receiver.endpoint} (set OTEL_EXPORTER_OTLP_ENDPOINT=${receiver.endpoint}); Ctrl-C to stop`);

let stopping = false;
async function stop(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  // Closing first: exports already being read finish (and reach onSpans) before the flush below.
  await receiver.close();
  for (const traceId of [...pending.keys()]) printTrace(traceId);
  console.log(`\n${signal}: stopped after ${receiver.spans.length} spans in ${printedTraces} traces`);
  // No process.exit: the process ends once stdout has drained (nothing else keeps it alive).
}
process.once('SIGINT', (signal) => void stop(signal));
process.once('SIGTERM', (signal) => void stop(signal));
