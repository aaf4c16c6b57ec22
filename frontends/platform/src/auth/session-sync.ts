// Keeps tabs of the same browser in step: sign-in, token refresh and sign-out in one tab apply
// to the others. BroadcastChannel where available, a localStorage 'storage' event otherwise.
import type { SessionSnapshot } from './store.ts';

export type SessionSyncMessage =
  | { type: 'session'; session: SessionSnapshot }
  | { type: 'signed-out'; reason: string | null };

const CHANNEL = 'bank.session';
type Listener = (message: SessionSyncMessage) => void;

const listeners = new Set<Listener>();
let channel: BroadcastChannel | null = null;
let started = false;

function deliver(message: SessionSyncMessage): void {
  for (const listener of listeners) listener(message);
}

function start(): void {
  if (started || typeof window === 'undefined') return;
  started = true;
  if (typeof BroadcastChannel === 'function') {
    channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (event: MessageEvent<SessionSyncMessage>) => deliver(event.data);
  } else {
    window.addEventListener('storage', (event) => {
      if (event.key !== CHANNEL || !event.newValue) return;
      try {
        deliver(JSON.parse(event.newValue) as SessionSyncMessage);
      } catch {
        /* ignore foreign values */
      }
    });
  }
}

export function publishSessionChange(message: SessionSyncMessage): void {
  start();
  if (channel) {
    channel.postMessage(message);
    return;
  }
  try {
    // Written and removed at once: the other tabs still get the 'storage' event, and the token
    // does not stay at rest in localStorage.
    localStorage.setItem(CHANNEL, JSON.stringify({ ...message, nonce: Math.random() }));
    localStorage.removeItem(CHANNEL);
  } catch {
    /* storage unavailable: single-tab behaviour */
  }
}

export function onSessionChange(listener: Listener): () => void {
  start();
  listeners.add(listener);
  return () => listeners.delete(listener);
}
