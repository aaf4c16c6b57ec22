// The one auth store of the page. @bank/platform is a federation singleton, so the shell and
// every remote read and write this same Zustand store. The access token lives only in memory;
// the refresh token is an httpOnly cookie the API sets (never readable here).
import { create } from 'zustand';
import type { User } from '../api/types.ts';

export type AuthStatus = 'unknown' | 'authenticated' | 'anonymous';

export interface SessionSnapshot {
  accessToken: string;
  expiresIn: number;
  sessionId: string;
  user: User;
}

export interface AuthState {
  status: AuthStatus;
  accessToken: string | null;
  /** Epoch ms when the access token expires. */
  expiresAt: number | null;
  sessionId: string | null;
  user: User | null;
  /** Why the last sign-out happened (shown on the sign-in page). */
  signedOutReason: string | null;
  setSession: (session: SessionSnapshot) => void;
  setUser: (user: User) => void;
  clear: (reason?: string | null) => void;
}

export const useAuthStore = create<AuthState>()((set) => ({
  status: 'unknown',
  accessToken: null,
  expiresAt: null,
  sessionId: null,
  user: null,
  signedOutReason: null,
  setSession: (s) =>
    set({
      status: 'authenticated',
      accessToken: s.accessToken,
      expiresAt: Date.now() + s.expiresIn * 1000,
      sessionId: s.sessionId,
      user: s.user,
      signedOutReason: null,
    }),
  setUser: (user) => set({ user }),
  clear: (reason = null) =>
    set({ status: 'anonymous', accessToken: null, expiresAt: null, sessionId: null, user: null, signedOutReason: reason }),
}));

export const useCurrentUser = (): User | null => useAuthStore((s) => s.user);
export const useIsAdmin = (): boolean => useAuthStore((s) => s.user?.role === 'ADMIN');
