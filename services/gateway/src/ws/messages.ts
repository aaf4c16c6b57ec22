// The message protocol: what the server may push (allow-list) and what a client may send.
// Server → client: {type, payload, timestamp, correlationId}. Client → server: {type, ...}.

export const SERVER_MESSAGE_TYPES = [
  'payment:created',
  'payment:updated',
  'payment:completed',
  'payment:failed',
  'payment:cancelled',
  'session:revoked',
  'session:role-changed',
  'notification:new',
  'admin:audit-created',
  'admin:config-updated',
  'system:health',
  // Protocol replies (not events): the answer to a client `ping`, and the greeting after upgrade.
  'pong',
  'welcome',
] as const;
export type ServerMessageType = (typeof SERVER_MESSAGE_TYPES)[number];

export interface ServerMessage {
  type: ServerMessageType;
  payload: Record<string, unknown>;
  /** ISO-8601: when the underlying event happened (or the reply was made). */
  timestamp: string;
  correlationId: string | null;
}

const allowedServerTypes = new Set<string>(SERVER_MESSAGE_TYPES);

/** Serialises once (callers fan the bytes out to many sockets); refuses types off the allow-list. */
export function encodeServerMessage(message: ServerMessage): Buffer {
  if (!allowedServerTypes.has(message.type)) throw new Error(`server message type not allowed: ${message.type}`);
  return Buffer.from(JSON.stringify(message));
}

export const CLIENT_MESSAGE_TYPES = ['ping'] as const;
export type ClientMessageType = (typeof CLIENT_MESSAGE_TYPES)[number];
const allowedClientTypes = new Set<string>(CLIENT_MESSAGE_TYPES);

export type ClientMessageCheck = { ok: true; type: ClientMessageType; id: string | null } | { ok: false; detail: string };

/**
 * Validates a client frame (size is enforced earlier by ws' maxPayload): text, JSON object, an
 * allow-listed `type`, and an optional short `id` echoed back so a client can match replies.
 */
export function parseClientMessage(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): ClientMessageCheck {
  if (isBinary) return { ok: false, detail: 'binary frames are not accepted' };
  const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, detail: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, detail: 'not a JSON object' };
  const { type, id } = value as { type?: unknown; id?: unknown };
  if (typeof type !== 'string' || !allowedClientTypes.has(type)) return { ok: false, detail: 'unknown message type' };
  if (id !== undefined && (typeof id !== 'string' || id.length > 64)) return { ok: false, detail: 'id must be a string of at most 64 characters' };
  return { ok: true, type: type as ClientMessageType, id: (id as string | undefined) ?? null };
}
