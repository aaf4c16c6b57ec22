// Heartbeat with one timer for all sockets (not one per socket), staggered: the interval is cut
// into SLICES ticks and each tick pings only the sockets of one slice, so 10,000 sockets are not
// all pinged (and all pong back) in the same millisecond. Each socket is still pinged once per
// `intervalMs`; one that has not answered `timeoutMs` after its ping is terminated (no close
// handshake: a silent peer would not complete one). Once per interval `onRound` runs (the
// revocation sweep).
import type { ConnectionRegistry } from './connections.ts';

export const HEARTBEAT_SLICES = 10;

export interface HeartbeatOptions {
  intervalMs: number;
  timeoutMs: number;
  onTerminate?: (count: number) => void;
  onRound?: () => void;
}

export function startHeartbeat(registry: ConnectionRegistry, opts: HeartbeatOptions) {
  const tickMs = Math.max(1, Math.floor(opts.intervalMs / HEARTBEAT_SLICES));
  let tick = 0;
  const timer = setInterval(() => {
    const slice = tick % HEARTBEAT_SLICES;
    tick += 1;
    const now = Date.now();
    let terminated = 0;
    for (const client of registry.clients) {
      if (client.pingSentAt !== 0) {
        if (now - client.pingSentAt >= opts.timeoutMs) {
          client.socket.terminate();
          terminated += 1;
        }
      } else if (client.heartbeatSlot === slice) {
        client.pingSentAt = now;
        client.socket.ping();
      }
    }
    if (terminated) opts.onTerminate?.(terminated);
    if (slice === 0) opts.onRound?.();
  }, tickMs);
  return {
    stop() {
      clearInterval(timer);
    },
  };
}
