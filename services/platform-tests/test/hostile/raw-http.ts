// Protocol-level abuse no HTTP client library will send: malformed request lines, header
// names and values, chunked encoding, conflicting lengths, oversized headers and URIs, and a
// body over the limit followed by a second request on the same keep-alive connection. Written
// byte by byte over TCP (gateway, services) or TLS (nginx); the first response is parsed by hand.
import fc from 'fast-check';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface Endpoint {
  name: string;
  host: string;
  port: number;
  tls: boolean;
  /** A path on this endpoint that answers 200 to an anonymous GET (for the follow-up request). */
  probePath: string;
  /** A path that accepts a JSON POST (it may answer 4xx). */
  postPath: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawOutcome {
  first?: RawResponse;
  /** The connection was closed without (or after) a response. */
  closed: boolean;
  /** No response and no close within the deadline. */
  hung: boolean;
  /** Outcome of a follow-up request on the same connection, when one was sent. */
  followUp?: 'answered' | 'closed' | 'hung';
}

function open(endpoint: Endpoint): Socket {
  return endpoint.tls
    ? tlsConnect({ host: endpoint.host, port: endpoint.port, rejectUnauthorized: false, servername: 'localhost', ALPNProtocols: ['http/1.1'] })
    : tcpConnect({ host: endpoint.host, port: endpoint.port });
}

/** Parses one response at the start of `buf`; returns it and its length, or undefined when incomplete. */
export function parseResponse(buf: Buffer): { response: RawResponse; length: number } | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const head = buf.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
  // An interim response (100 Continue): the one that counts follows it.
  if (status >= 100 && status < 200) {
    const final = parseResponse(buf.subarray(end + 4));
    return final && { response: final.response, length: end + 4 + final.length };
  }
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let offset = end + 4;
  if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
    const chunks: Buffer[] = [];
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', offset);
      if (lineEnd < 0) return undefined;
      const size = parseInt(buf.subarray(offset, lineEnd).toString('latin1'), 16);
      if (Number.isNaN(size)) return undefined;
      if (buf.length < lineEnd + 2 + size + 2) return undefined;
      chunks.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
      offset = lineEnd + 2 + size + 2;
      if (size === 0) break;
    }
    return { response: { status, headers, body: Buffer.concat(chunks).toString('utf8') }, length: offset };
  }
  const length = Number(headers['content-length'] ?? 0);
  if (buf.length < offset + length) return undefined;
  return { response: { status, headers, body: buf.subarray(offset, offset + length).toString('utf8') }, length: offset + length };
}

/** Sends `bytes`, waits for the first response; optionally sends `followUp` on the same connection. */
export function exchange(endpoint: Endpoint, bytes: Buffer, opts: { followUp?: Buffer; timeoutMs?: number } = {}): Promise<RawOutcome> {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  return new Promise((resolve) => {
    const socket = open(endpoint);
    let buf = Buffer.alloc(0);
    let outcome: RawOutcome = { closed: false, hung: false };
    let phase: 'first' | 'follow' = 'first';
    let timer: NodeJS.Timeout;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (phase === 'first') outcome = { ...outcome, hung: !outcome.first };
        else outcome.followUp = 'hung';
        finish();
      }, timeoutMs);
    };
    const onResponse = () => {
      const parsed = parseResponse(buf);
      if (!parsed) return;
      if (phase === 'first') {
        outcome.first = parsed.response;
        buf = buf.subarray(parsed.length);
        const closing = /close/i.test(parsed.response.headers.connection ?? '');
        if (!opts.followUp || closing) {
          if (opts.followUp) outcome.followUp = 'closed';
          return finish();
        }
        phase = 'follow';
        buf = Buffer.alloc(0);
        socket.write(opts.followUp);
        arm();
      } else {
        outcome.followUp = 'answered';
        finish();
      }
    };
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      onResponse();
    });
    socket.on('error', () => {
      /* a reset is a close */
    });
    socket.on('close', () => {
      outcome.closed = true;
      if (!outcome.first && buf.length) {
        // Response read until close (no length).
        const end = buf.indexOf('\r\n\r\n');
        if (end >= 0) outcome.first = parseResponse(Buffer.concat([buf.subarray(0, end + 4)]))?.response;
      }
      if (phase === 'follow' && !outcome.followUp) outcome.followUp = 'closed';
      finish();
    });
    const start = () => {
      socket.write(bytes, () => undefined);
      arm();
    };
    if (endpoint.tls) socket.once('secureConnect', start);
    else socket.once('connect', start);
  });
}

const line = (s: string) => `${s}\r\n`;
const token = fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/);

/** A raw HTTP/1.1 request with one protocol-level defect. */
export function rawRequest(endpoint: Endpoint): fc.Arbitrary<{ label: string; bytes: Buffer }> {
  const host = `Host: ${endpoint.host}`;
  const get = (path: string, headers: string[] = []) => [line(`GET ${path} HTTP/1.1`), line(host), ...headers.map(line), '\r\n'].join('');
  const post = (headers: string[], body: string) => [line(`POST ${endpoint.postPath} HTTP/1.1`), line(host), ...headers.map(line), '\r\n', body].join('');
  const cases: Array<fc.Arbitrary<{ label: string; text: string }>> = [
    fc.oneof(fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 40 }), fc.constantFrom('GET', 'GET /', 'GET / HTTP/9.9', 'GET  / HTTP/1.1', 'get / HTTP/1.1', 'GET / HTTP/1.1 extra', 'G\u0000T / HTTP/1.1', 'GET http://[::1 HTTP/1.1', 'GET \u0001 HTTP/1.1', 'PRI * HTTP/2.0'))
      .map((l) => ({ label: `request line ${JSON.stringify(l.slice(0, 20))}`, text: `${line(l)}${line(host)}\r\n` })),
    fc.oneof(fc.constantFrom('NoColon', 'Bad Name: x', ': empty-name', 'X-A:\u0000', 'X-A: a\rb', ' folded: x', 'X-A: \u00ff\u00fe', '\u0001: x', 'Content-Length: abc', 'Content-Length: -1', 'Content-Length: 1, 2', 'Transfer-Encoding: chunked, identity', 'Transfer-Encoding: xchunked', 'Host: a', 'Expect: 100-continue-x'), fc.tuple(token, fc.string({ unit: 'binary-ascii', maxLength: 20 })).map(([n, v]) => `${n}: ${v}`))
      .map((h) => ({ label: `header ${JSON.stringify(h.slice(0, 24))}`, text: get(endpoint.probePath, [h]) })),
    fc.constantFrom('zz', '-1', 'ffffffffffffffffff', '1;ext=\u0000', '', '4\r\nabc') .map((size) => ({ label: `chunk size ${JSON.stringify(size)}`, text: post(['Transfer-Encoding: chunked', 'Content-Type: application/json'], `${size}\r\n{}\r\n0\r\n\r\n`) })),
    fc.constant({ label: 'content-length and chunked', text: post(['Content-Length: 4', 'Transfer-Encoding: chunked', 'Content-Type: application/json'], '2\r\n{}\r\n0\r\n\r\n') }),
    // curl sends this for every upload over 1 KiB; the final response (after 100) is checked.
    fc.constantFrom('100-continue', '100-Continue', 'teapot').map((expect) => ({ label: `Expect: ${expect}`, text: post([`Expect: ${expect}`, 'Content-Type: application/json', 'Content-Length: 2'], '{}') })),
    fc.constant({ label: 'two content-lengths', text: post(['Content-Length: 2', 'Content-Length: 3', 'Content-Type: application/json'], '{}') }),
    fc.constant({ label: 'HTTP/1.1 without Host', text: `GET ${endpoint.probePath} HTTP/1.1\r\n\r\n` }),
    fc.integer({ min: 9_000, max: 70_000 }).map((n) => ({ label: `URI of ${n} B`, text: get(`${endpoint.probePath}?q=${'u'.repeat(n)}`) })),
    fc.integer({ min: 17_000, max: 90_000 }).map((n) => ({ label: `header of ${n} B`, text: get(endpoint.probePath, [`X-Big: ${'h'.repeat(n)}`]) })),
    fc.integer({ min: 120, max: 400 }).map((n) => ({ label: `${n} headers`, text: get(endpoint.probePath, Array.from({ length: n }, (_, i) => `X-H${i}: ${'v'.repeat(100)}`)) })),
  ];
  return fc.oneof(...cases).map(({ label, text }) => ({ label, bytes: Buffer.from(text, 'latin1') }));
}

/** A body over the 1 MiB limit with keep-alive, to be followed by a second request. */
export function oversizedUpload(endpoint: Endpoint, size: number, chunked: boolean): { bytes: Buffer; followUp: Buffer } {
  const body = Buffer.from(`{"a":"${'x'.repeat(size)}"}`);
  const headers = [
    `POST ${endpoint.postPath} HTTP/1.1`,
    `Host: ${endpoint.host}`,
    'Content-Type: application/json',
    'Connection: keep-alive',
    chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`,
  ];
  const payload = chunked ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]) : body;
  return {
    bytes: Buffer.concat([Buffer.from(`${headers.join('\r\n')}\r\n\r\n`), payload]),
    followUp: Buffer.from(`GET ${endpoint.probePath} HTTP/1.1\r\nHost: ${endpoint.host}\r\n\r\n`),
  };
}
