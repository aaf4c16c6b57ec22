// Maps a failed proxied call to the status the client should see. @fastify/reply-from maps
// refused/reset connections to 500; at an edge those are 502 (the upstream misbehaved), an
// unresolvable or unavailable upstream is 503, and any timeout is 504.

export interface UpstreamFailure {
  status: 502 | 503 | 504;
  code: 'GATEWAY_UPSTREAM_FAILED' | 'GATEWAY_UPSTREAM_UNAVAILABLE' | 'GATEWAY_UPSTREAM_TIMEOUT';
  title: string;
}

const codesOf = (error: unknown): string[] => {
  const codes: string[] = [];
  let current = error as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === 'string') codes.push(current.code);
    current = current.cause as typeof current;
  }
  return codes;
};

export function classifyUpstreamError(error: unknown): UpstreamFailure {
  const codes = codesOf(error);
  const has = (...c: string[]) => codes.some((code) => c.includes(code));
  if (has('FST_REPLY_FROM_GATEWAY_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT')) {
    return { status: 504, code: 'GATEWAY_UPSTREAM_TIMEOUT', title: 'Upstream timed out' };
  }
  if (has('FST_REPLY_FROM_SERVICE_UNAVAILABLE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH')) {
    return { status: 503, code: 'GATEWAY_UPSTREAM_UNAVAILABLE', title: 'Upstream unavailable' };
  }
  return { status: 502, code: 'GATEWAY_UPSTREAM_FAILED', title: 'Upstream failed' };
}
