// UUIDv7 (RFC 9562) for the ids of rows and events, its random bits drawn from a pool. `uuid`'s
// v7 calls crypto.getRandomValues for 16 bytes per id: 5.5–6.7 µs of CPU per id against
// 0.36–0.77 µs from a pool (measured side by side here), and a payment takes seven ids in the
// payments service alone (the payment, three history rows, three events) and three more in admin's
// audit. One randomFillSync of 4 KiB serves 256 ids. The layout, and the sequence that keeps ids
// of one millisecond increasing within a process, are `uuid`'s v7 (its state rule, kept here).
import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

const pool = new Uint8Array(4096);
let offset = pool.length;
const state = { msecs: -Infinity, seq: 0 };

export function uuidv7(): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const random = pool.subarray(offset, offset + 16);
  offset += 16;
  const now = Date.now();
  if (now > state.msecs) {
    state.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
    state.msecs = now;
  } else {
    state.seq = (state.seq + 1) | 0;
    if (state.seq === 0) state.msecs += 1;
  }
  return v7({ random, msecs: state.msecs, seq: state.seq });
}
