// Every close code the gateway's WebSocket uses, in one place (documented in docs/websocket.md).
// 1xxx are protocol codes from RFC 6455; 4xxx are ours, modelled on the HTTP status they mirror.
export const CloseCodes = {
  /** Server shutting down (or restarting): reconnect with backoff. */
  GOING_AWAY: 1001,
  /** A client message was larger than WS_MAX_MESSAGE_BYTES (sent by `ws` itself via maxPayload). */
  MESSAGE_TOO_BIG: 1009,
  /** A client message was not JSON, not an object, or not an allow-listed type. */
  INVALID_MESSAGE: 4400,
  /** The connection's credentials are no longer valid. */
  UNAUTHORISED: 4401,
  /** Policy: more than WS_MAX_MESSAGES_PER_SECOND client messages in one second. */
  RATE_LIMITED: 4408,
  /** The session was revoked (signed out elsewhere, by an admin, or refresh-token reuse). */
  SESSION_REVOKED: 4409,
  /** The user already holds WS_MAX_SOCKETS_PER_USER sockets on this replica (upgrade race). */
  TOO_MANY_CONNECTIONS: 4429,
} as const;

export type CloseCode = (typeof CloseCodes)[keyof typeof CloseCodes];

/** Close reasons are short and fixed (they must fit in 123 bytes and never carry data). */
export const CloseReasons: Record<CloseCode, string> = {
  [CloseCodes.GOING_AWAY]: 'server shutting down',
  [CloseCodes.MESSAGE_TOO_BIG]: 'message too big',
  [CloseCodes.INVALID_MESSAGE]: 'invalid message',
  [CloseCodes.UNAUTHORISED]: 'unauthorised',
  [CloseCodes.RATE_LIMITED]: 'too many messages',
  [CloseCodes.SESSION_REVOKED]: 'session revoked',
  [CloseCodes.TOO_MANY_CONNECTIONS]: 'too many connections',
};
