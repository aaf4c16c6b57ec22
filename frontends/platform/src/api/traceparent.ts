// A W3C `traceparent` for each API request (https://www.w3.org/TR/trace-context/): the browser
// starts the trace, the gateway's HTTP instrumentation continues it through every service and
// across the broker, so one user action is one trace. Random ids from the Web Crypto API;
// sampled flag set (the services' sampler decides what is kept).
function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

function randomHex(byteCount: number): string {
  const bytes = new Uint8Array(byteCount);
  // All-zero ids are invalid; 2^-64 odds, but retry rather than send one.
  do crypto.getRandomValues(bytes);
  while (bytes.every((byte) => byte === 0));
  return hex(bytes);
}

export function newTraceparent(): string {
  return `00-${randomHex(16)}-${randomHex(8)}-01`;
}
