// Turns RFC 7807-style problem bodies ({type,title,status,code,detail,requestId}) into errors a
// person can read. Known codes get a friendly sentence; unknown ones fall back to the server's
// detail/title so nothing is swallowed.
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  requestId?: string;
  errors?: unknown;
}

const FRIENDLY: Record<string, string> = {
  AUTH_INVALID_CREDENTIALS: 'The email or password is incorrect.',
  AUTH_EMAIL_TAKEN: 'An account with this email already exists.',
  AUTH_USER_DISABLED: 'This account has been disabled. Contact support.',
  AUTH_SESSION_REVOKED: 'Your session has ended. Please sign in again.',
  GATEWAY_RATE_LIMITED: 'Too many requests. Please wait a moment and try again.',
  // Set by the API client (status 0), not by a server.
  OFFLINE: 'You are offline. Nothing was sent — try again when the connection is back.',
  NETWORK_UNREACHABLE: 'The server could not be reached. If you were sending a payment, check your payments before trying again.',
};

const BY_STATUS: Record<number, string> = {
  400: 'The request was not valid.',
  401: 'Please sign in to continue.',
  403: 'You are not authorised to do this.',
  404: 'We could not find what you were looking for.',
  409: 'This conflicts with the current state. Refresh and try again.',
  422: 'Some fields are not valid.',
  429: 'Too many requests. Please wait a moment and try again.',
  502: 'A service is unavailable right now. Please try again shortly.',
  503: 'A service is unavailable right now. Please try again shortly.',
  504: 'The service took too long to answer. Please try again.',
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(readableMessage(status, problem));
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? `HTTP_${status}`;
    this.requestId = problem.requestId;
    this.problem = problem;
  }
}

export function readableMessage(status: number, problem: Problem): string {
  if (problem.code && FRIENDLY[problem.code]) return FRIENDLY[problem.code] as string;
  if (problem.detail) return problem.detail;
  if (problem.title && status < 500) return problem.title;
  return BY_STATUS[status] ?? (status >= 500 ? 'Something went wrong on our side. Please try again.' : 'The request failed.');
}

/** A message for any thrown value (ApiError, network TypeError, anything else). */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'Cannot reach the server. Check your connection and try again.';
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
