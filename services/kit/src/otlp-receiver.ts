// A tiny OTLP/HTTP trace receiver: what a collector would receive from the services, kept in
// memory. Used by the trace-chain test and by hand (`npm run trace:receiver`, which prints each
// trace as a tree). Accepts both encodings the OpenTelemetry exporters speak: http/protobuf (the
// default; decoded with protobufjs against the subset of the OTLP schema read here) and http/json.
// For development and tests only: no auth, no limits beyond the body size.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  service: string;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, string | number | boolean>;
  links: Array<{ traceId: string; spanId: string }>;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
}

export const SPAN_KIND_NAMES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

// The fields of opentelemetry/proto/collector/trace/v1 this receiver reads (field numbers as in
// the OTLP .proto files; unknown fields are skipped by the decoder).
const OTLP_TRACE_PROTO = `
syntax = "proto3";
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message Resource { repeated KeyValue attributes = 1; }
message ScopeSpans { repeated Span spans = 2; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; } }
message Link { bytes trace_id = 1; bytes span_id = 2; }
message Status { string message = 2; int32 code = 3; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; int32 kind = 6;
  fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9;
  repeated Link links = 13; Status status = 15;
}
`;
const ExportRequest = protobuf.parse(OTLP_TRACE_PROTO, { keepCase: false }).root.lookupType('ExportTraceServiceRequest');

interface OtlpValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
}
interface OtlpKeyValue {
  key: string;
  value?: OtlpValue;
}
interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: OtlpKeyValue[];
  links?: Array<{ traceId?: string; spanId?: string }>;
  status?: { code?: number };
}
interface OtlpRequest {
  resourceSpans?: Array<{ resource?: { attributes?: OtlpKeyValue[] }; scopeSpans?: Array<{ spans?: OtlpSpan[] }> }>;
}

function valueOf(value: OtlpValue | undefined): string | number | boolean {
  if (!value) return '';
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  return '';
}

const attributesOf = (list: OtlpKeyValue[] | undefined) => Object.fromEntries((list ?? []).map((kv) => [kv.key, valueOf(kv.value)]));

/**
 * Normalises a decoded request: ids as lowercase hex (protobuf ids arrive base64 after toObject,
 * JSON ids are already hex), an all-zero or empty parent as no parent.
 */
function spansOf(request: OtlpRequest, idsAreBase64: boolean): ReceivedSpan[] {
  const hex = (id: string | undefined) => (id ? (idsAreBase64 ? Buffer.from(id, 'base64').toString('hex') : id.toLowerCase()) : '');
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name'] ?? 'unknown');
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        const parent = hex(span.parentSpanId);
        spans.push({
          traceId: hex(span.traceId),
          spanId: hex(span.spanId),
          parentSpanId: parent && !/^0+$/.test(parent) ? parent : undefined,
          name: span.name ?? '',
          kind: span.kind ?? 0,
          service,
          startNs: BigInt(span.startTimeUnixNano ?? 0),
          endNs: BigInt(span.endTimeUnixNano ?? 0),
          attributes: attributesOf(span.attributes),
          links: (span.links ?? []).map((link) => ({ traceId: hex(link.traceId), spanId: hex(link.spanId) })),
          statusCode: span.status?.code ?? 0,
        });
      }
    }
  }
  return spans;
}

/** Decodes an OTLP/HTTP trace export body (protobuf or JSON, by content type). */
export function decodeTraceExport(body: Buffer, contentType: string): ReceivedSpan[] {
  if (contentType.includes('json')) return spansOf(JSON.parse(body.toString('utf8')) as OtlpRequest, false);
  const message = ExportRequest.decode(body);
  const plain = ExportRequest.toObject(message, { longs: String, bytes: String, defaults: false }) as OtlpRequest;
  return spansOf(plain, true);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export interface OtlpReceiver {
  /** e.g. http://127.0.0.1:4318 — what OTEL_EXPORTER_OTLP_ENDPOINT should be. */
  readonly endpoint: string;
  readonly spans: ReceivedSpan[];
  /** Called with each export's spans as they arrive. */
  onSpans(listener: (spans: ReceivedSpan[]) => void): void;
  close(): Promise<void>;
}

export async function startOtlpReceiver(opts: { port?: number; host?: string; maxBodyBytes?: number } = {}): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const listeners: Array<(spans: ReceivedSpan[]) => void> = [];
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/traces') {
      // Metrics and logs exports are not collected here: accept and drop them.
      res.writeHead(req.method === 'POST' ? 200 : 404, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    readBody(req, opts.maxBodyBytes ?? 20 * 1024 * 1024)
      .then((body) => {
        const received = decodeTraceExport(body, String(req.headers['content-type'] ?? ''));
        spans.push(...received);
        for (const listener of listeners) listener(received);
        // An empty ExportTraceServiceResponse (JSON `{}` decodes as one in both encodings' clients).
        const json = String(req.headers['content-type'] ?? '').includes('json');
        res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : Buffer.alloc(0));
      })
      .catch((error: unknown) => {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(String(error instanceof Error ? error.message : error));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 4318, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://${address.address}:${address.port}`,
    spans,
    onSpans: (listener) => void listeners.push(listener),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One trace as an indented tree (service, kind, name, duration), children by start time. */
export function formatTraceTree(spans: readonly ReceivedSpan[]): string {
  const byParent = new Map<string | undefined, ReceivedSpan[]>();
  const ids = new Set(spans.map((span) => span.spanId));
  for (const span of spans) {
    // A span whose parent never arrived is shown at the top, marked as such.
    const key = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    byParent.set(key, [...(byParent.get(key) ?? []), span]);
  }
  const lines: string[] = [];
  const visit = (span: ReceivedSpan, depth: number) => {
    const ms = Number(span.endNs - span.startNs) / 1e6;
    const orphan = depth === 0 && span.parentSpanId ? ` (parent ${span.parentSpanId} not received)` : '';
    const error = span.statusCode === 2 ? ' ERROR' : '';
    lines.push(`${'  '.repeat(depth)}${span.service} ${SPAN_KIND_NAMES[span.kind] ?? span.kind} ${span.name} ${ms.toFixed(1)} ms${error}${orphan}`);
    for (const child of (byParent.get(span.spanId) ?? []).sort((a, b) => Number(a.startNs - b.startNs))) visit(child, depth + 1);
  };
  for (const root of (byParent.get(undefined) ?? []).sort((a, b) => Number(a.startNs - b.startNs))) visit(root, 0);
  return lines.join('\n');
}
