// Closing a connection after an answer without losing that answer (nginx's lingering close),
// for answers given while the client is still uploading (413 for a body over the limit).
import type { Socket } from 'node:net';

/** How long a refused upload's connection keeps being read (and discarded) after the answer. */
const LINGER_MS = 2_000;

/**
 * Node destroys a `Connection: close` socket as soon as the response is written; with the client
 * still uploading, unread bytes make the kernel reset the connection, and a reset discards what the
 * client has not read yet — the 413 itself. Instead: send FIN, keep reading and discarding for up
 * to LINGER_MS (or until the client closes its side), then destroy.
 */
export function closeAfterAnswer(socket: Socket | null | undefined): void {
  if (!socket || socket.destroyed) return;
  socket.destroySoon = function lingeringClose(this: Socket) {
    if (this.destroyed) return;
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
    this.once('end', () => this.destroy());
    this.end();
    this.resume();
  };
}
