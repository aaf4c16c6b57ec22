// The body limit on proxied requests. Bodies are streamed to the services (never parsed here),
// so Fastify's own bodyLimit does not apply: a declared length over the limit is refused before
// anything is read, a chunked body is counted as it streams and cut off at the limit. Either way
// the answer is 413 with `Connection: close`, so the unread rest of the upload can never be
// taken for the next request on a keep-alive connection (which used to hang it for 40 s).
import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { closeAfterAnswer, CommonErrors } from '@bank/kit';

const overLimit = new WeakSet<FastifyRequest>();

/** True when the request's body was cut off at the limit (the proxy's error handler answers 413). */
export const bodyWasTooLarge = (request: FastifyRequest) => overLimit.has(request);

class LimitedBody extends Transform {
  #seen = 0;
  readonly #limit: number;
  readonly #onOverflow: () => void;
  constructor(limit: number, onOverflow: () => void) {
    super();
    this.#limit = limit;
    this.#onOverflow = onOverflow;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.#seen += chunk.length;
    if (this.#seen > this.#limit) {
      this.#onOverflow();
      callback(CommonErrors.payloadTooLarge(`The body exceeds ${this.#limit} bytes`));
      return;
    }
    callback(null, chunk);
  }
}

async function bodyLimitPlugin(fastify: FastifyInstance, opts: { limit: number }) {
  const tooLarge = () => CommonErrors.payloadTooLarge(`The body exceeds ${opts.limit} bytes`);
  fastify.addHook('onRequest', async (request, reply) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > opts.limit) {
      reply.header('connection', 'close');
      closeAfterAnswer(request.raw.socket);
      throw tooLarge();
    }
  });
  fastify.addHook('preHandler', async (request, reply) => {
    const body = request.body as NodeJS.ReadableStream | undefined;
    if (!body || typeof body.pipe !== 'function' || request.headers['content-length'] !== undefined) return;
    const limited = new LimitedBody(opts.limit, () => {
      overLimit.add(request);
      // The rest of the upload stays unread: answer, then end the connection.
      if (!reply.sent) reply.header('connection', 'close');
      closeAfterAnswer(request.raw.socket);
    });
    body.on('error', (err) => limited.destroy(err));
    // undici reads the stream and reports its error through the proxy's onError (→ 413); this
    // listener only keeps an error raised before undici attaches from being uncaught.
    limited.on('error', () => undefined);
    request.body = body.pipe(limited);
  });
}

export const bodyLimit = fp(bodyLimitPlugin, { name: 'gateway-body-limit' });
