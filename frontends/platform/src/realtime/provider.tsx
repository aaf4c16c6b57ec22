// React binding of the WebSocket client: the shell mounts one provider; the shell and remotes
// use the hooks. Connects only while signed in; a `session:revoked` for this session signs out; a
// `session:role-changed` refreshes the access token (the old one is refused from now on) so the
// UI shows what the new role may do.
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { RealtimeClient, type RealtimeMessage, type RealtimeStatus, type RealtimeType } from './ws-client.ts';
import { useAuthStore } from '../auth/store.ts';
import { refreshAccessToken, signOutLocally } from '../auth/session.ts';
import { authApi } from '../api/endpoints.ts';

const RealtimeContext = createContext<RealtimeClient | null>(null);

export function RealtimeProvider({ children, enabled = true }: { children: ReactNode; enabled?: boolean }) {
  const client = useMemo(() => new RealtimeClient({ getTicket: async () => (await authApi.wsTicket()).ticket }), []);
  const signedIn = useAuthStore((s) => s.status === 'authenticated');

  useEffect(() => {
    if (!enabled || !signedIn) return;
    client.connect();
    const off = client.subscribe('session:revoked', (message) => {
      const payload = message.payload as { sessionId?: string } | null;
      const mine = useAuthStore.getState().sessionId;
      if (!payload?.sessionId || payload.sessionId === mine) signOutLocally('This session was signed out from another device.');
    });
    const offRole = client.subscribe('session:role-changed', () => {
      void refreshAccessToken();
    });
    // Back online: reconnect now with a fresh set of attempts (while offline they were spent or
    // are waiting out a long backoff).
    const reconnect = () => {
      client.disconnect();
      client.connect();
    };
    window.addEventListener('online', reconnect);
    return () => {
      window.removeEventListener('online', reconnect);
      off();
      offRole();
      client.disconnect();
    };
  }, [client, enabled, signedIn]);

  return <RealtimeContext.Provider value={client}>{children}</RealtimeContext.Provider>;
}

/** Calls `handler` for each message of `type` (or '*'). The handler may change between renders. */
export function useRealtime<P = unknown>(type: RealtimeType | '*', handler: (message: RealtimeMessage<P>) => void): void {
  const client = useContext(RealtimeContext);
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => {
    if (!client) return;
    return client.subscribe(type, (m) => ref.current(m as RealtimeMessage<P>));
  }, [client, type]);
}

export function useRealtimeStatus(): RealtimeStatus {
  const client = useContext(RealtimeContext);
  const [status, setStatus] = useState<RealtimeStatus>(client?.status ?? 'idle');
  useEffect(() => client?.onStatus(setStatus), [client]);
  return status;
}
