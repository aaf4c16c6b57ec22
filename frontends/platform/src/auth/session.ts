// Session lifecycle: restore on load, sign in/out, refresh the access token (once at a time,
// across tabs), and follow other tabs.
import { useAuthStore, type SessionSnapshot } from './store.ts';
import { publishSessionChange, onSessionChange } from './session-sync.ts';
import { getDeviceId, getDeviceName } from './device.ts';
import { bus } from '../events/bus.ts';
import type { SignInResponse } from '../api/types.ts';
import { ApiError, type Problem } from '../api/problem.ts';
import { isOffline } from '../network/online.ts';

const AUTH = '/api/auth';
let refreshInFlight: Promise<string | null> | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;

function snapshot(res: SignInResponse): SessionSnapshot {
  return { accessToken: res.accessToken, expiresIn: res.expiresIn, sessionId: res.sessionId, user: res.user };
}

function scheduleProactiveRefresh(): void {
  clearTimeout(refreshTimer);
  const { expiresAt } = useAuthStore.getState();
  if (!expiresAt) return;
  // Refresh a minute before expiry so requests rarely meet a 401.
  const delay = Math.max(5_000, expiresAt - Date.now() - 60_000);
  refreshTimer = setTimeout(() => void refreshAccessToken(), delay);
}

// A non-secret hint that this browser holds a refresh cookie (the cookie itself is HttpOnly and
// invisible here): anonymous visitors then skip the refresh call and its expected 401.
const SESSION_HINT = 'bank.has-session';
const hint = {
  set: () => safeStorage(() => localStorage.setItem(SESSION_HINT, '1')),
  clear: () => safeStorage(() => localStorage.removeItem(SESSION_HINT)),
  present: () => safeStorage(() => localStorage.getItem(SESSION_HINT) === '1') ?? true,
};
function safeStorage<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined; // storage disabled: behave as if we did not know
  }
}

function applySession(session: SessionSnapshot, broadcast: boolean): void {
  useAuthStore.getState().setSession(session);
  hint.set();
  scheduleProactiveRefresh();
  if (broadcast) publishSessionChange({ type: 'session', session });
}

async function postJson(path: string, body: unknown, token?: string | null): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(`${AUTH}${path}`, { method: 'POST', headers, body: JSON.stringify(body ?? {}), credentials: 'same-origin' });
}

async function readProblem(res: Response): Promise<Problem> {
  try {
    return (await res.json()) as Problem;
  } catch {
    return {};
  }
}

declare global {
  interface Window {
    /** The refresh the shell's public/early-requests.js started before this code loaded. */
    __BANK_EARLY_REFRESH__?: Promise<Response>;
  }
}

/** The refresh request started by early-requests.js, once (a later restore asks anew). */
function takeEarlyRefresh(): Promise<Response> | undefined {
  if (typeof window === 'undefined') return undefined;
  const early = window.__BANK_EARLY_REFRESH__;
  delete window.__BANK_EARLY_REFRESH__;
  return early;
}

async function doRefresh(tokenBefore: string | null, started?: Promise<Response>): Promise<string | null> {
  // Another tab may have refreshed while we waited for the lock: the rotated cookie is already
  // spent by then, so reuse the token it broadcast instead of refreshing again.
  const current = useAuthStore.getState().accessToken;
  if (current && current !== tokenBefore) return current;
  const res = await (started ?? postJson('/refresh', {}));
  if (!res.ok) {
    hint.clear();
    return null;
  }
  const session = snapshot((await res.json()) as SignInResponse);
  applySession(session, true);
  return session.accessToken;
}

/**
 * Exchanges the refresh cookie for a new access token. Resolves null when the session is gone.
 * `started`: that exchange already requested (under the lock) by early-requests.js.
 */
export function refreshAccessToken(started?: Promise<Response>): Promise<string | null> {
  if (refreshInFlight) return refreshInFlight;
  const tokenBefore = useAuthStore.getState().accessToken;
  const run = async (): Promise<string | null> => {
    try {
      if (started) return await doRefresh(tokenBefore, started);
      if (typeof navigator !== 'undefined' && navigator.locks) {
        return await navigator.locks.request('bank.refresh', () => doRefresh(tokenBefore));
      }
      return await doRefresh(tokenBefore);
    } catch {
      return null;
    }
  };
  refreshInFlight = run().finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
}

/** Whether this browser probably holds a session (the hint above): worth preparing its pages. */
export function hasSessionHint(): boolean {
  return hint.present();
}

async function restore(): Promise<void> {
  const early = takeEarlyRefresh();
  const token = early ? await refreshAccessToken(early) : hint.present() ? await refreshAccessToken() : null;
  if (token) return;
  // Offline the cookie cannot be exchanged, but the session is not over: say so, and try again
  // when the connection is back (the sign-in page then moves on by itself).
  if (hint.present() && isOffline()) {
    useAuthStore.getState().clear('You are offline. Your session will be restored when the connection is back.');
    window.addEventListener('online', () => void restore(), { once: true });
    return;
  }
  useAuthStore.getState().clear(null);
}

let restoring: Promise<void> | null = null;

/**
 * Called on page load (as early as possible: main.tsx starts it before the first render): a valid
 * refresh cookie brings the session back. Once per page; later calls share the first.
 */
export function restoreSession(): Promise<void> {
  restoring ??= restore();
  return restoring;
}

export async function signIn(email: string, password: string): Promise<void> {
  const res = await postJson('/signin', { email, password, deviceId: getDeviceId(), deviceName: getDeviceName() });
  if (!res.ok) throw new ApiError(res.status, await readProblem(res));
  applySession(snapshot((await res.json()) as SignInResponse), true);
  bus.emit('auth:signed-in', { userId: useAuthStore.getState().user?.id ?? '' });
}

export async function signUp(input: { email: string; password: string; name: string }): Promise<void> {
  const res = await postJson('/signup', input);
  if (!res.ok) throw new ApiError(res.status, await readProblem(res));
}

/** Ends the session locally (and in other tabs) without calling the API. */
export function signOutLocally(reason: string | null = null, broadcast = true): void {
  clearTimeout(refreshTimer);
  hint.clear();
  useAuthStore.getState().clear(reason);
  if (broadcast) publishSessionChange({ type: 'signed-out', reason });
  bus.emit('auth:signed-out', { reason });
}

export async function signOut(): Promise<void> {
  const token = useAuthStore.getState().accessToken;
  try {
    if (token) await postJson('/signout', {}, token);
  } finally {
    signOutLocally(null);
  }
}

// Follow the other tabs.
onSessionChange((message) => {
  if (message.type === 'session') applySession(message.session, false);
  else signOutLocally(message.reason, false);
});
