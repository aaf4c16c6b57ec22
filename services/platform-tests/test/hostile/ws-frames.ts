// Hostile WebSocket frames for /ws: what a client may send after a valid upgrade, each with the
// close code the gateway must answer (docs/websocket.md): 4400 invalid message (not JSON, not an
// object, unknown type, binary), 1009 too big (over WS_MAX_MESSAGE_BYTES), 4408 flood (over
// WS_MAX_MESSAGES_PER_SECOND), 1007 invalid UTF-8 in a text frame (ws itself), 1002 protocol
// errors. Never a crash: the gateway keeps answering and a new socket works afterwards.
import fc from 'fast-check';

export interface FrameCase {
  label: string;
  /** Frames to send, in order: [payload, binary]. */
  frames: Array<[Buffer, boolean]>;
  /** Close codes that are a correct answer. */
  expect: number[];
}

const text = (value: string): [Buffer, boolean] => [Buffer.from(value), false];

const invalidText: fc.Arbitrary<FrameCase> = fc
  .oneof(
    fc.constantFrom('not json', '{', '[]', 'null', '42', '"ping"', '{"type":"subscribe"}', '{"type":"ping","id":"\u0000"}', '{"type":"__proto__"}', '{"type":{"nested":1}}'),
    fc.string({ minLength: 1, maxLength: 200 }).filter((s) => {
      try {
        const v = JSON.parse(s) as { type?: unknown };
        return !(v && typeof v === 'object' && v.type === 'ping');
      } catch {
        return true;
      }
    }),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)).filter((s) => s.length < 3000 && !s.includes('"type":"ping"')),
  )
  .map((value) => ({ label: `invalid text ${JSON.stringify(value.slice(0, 40))}`, frames: [text(value)], expect: [4400] }));

const binary: fc.Arbitrary<FrameCase> = fc.uint8Array({ minLength: 0, maxLength: 2000 }).map((bytes) => ({ label: `binary frame of ${bytes.length} B`, frames: [[Buffer.from(bytes), true]], expect: [4400] }));

const oversized: fc.Arbitrary<FrameCase> = fc
  .tuple(fc.integer({ min: 4097, max: 300_000 }), fc.boolean())
  .map(([size, asBinary]) => ({ label: `${size} B ${asBinary ? 'binary' : 'text'} frame`, frames: [[Buffer.alloc(size, 0x61), asBinary]], expect: [1009] }));

const deepJson: fc.Arbitrary<FrameCase> = fc.integer({ min: 100, max: 2000 }).map((d) => ({ label: `JSON nested ${d} deep`, frames: [text(`${'['.repeat(d)}${']'.repeat(d)}`)], expect: [4400, 1009] }));

const flood: fc.Arbitrary<FrameCase> = fc.integer({ min: 25, max: 300 }).map((n) => ({
  label: `${n} pings at once`,
  frames: Array.from({ length: n }, (_, i) => text(JSON.stringify({ type: 'ping', id: String(i) }))),
  expect: [4408],
}));

const invalidUtf8: fc.Arbitrary<FrameCase> = fc.constantFrom(Buffer.from([0xc3, 0x28]), Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from([0xed, 0xa0, 0x80])).map((bytes) => ({
  label: `invalid UTF-8 in a text frame (${bytes.toString('hex')})`,
  frames: [[bytes, false]],
  expect: [1007],
}));

export const hostileFrames = (): fc.Arbitrary<FrameCase> =>
  fc.oneof({ weight: 4, arbitrary: invalidText }, { weight: 2, arbitrary: binary }, { weight: 2, arbitrary: oversized }, { weight: 1, arbitrary: deepJson }, { weight: 1, arbitrary: flood }, { weight: 1, arbitrary: invalidUtf8 });
