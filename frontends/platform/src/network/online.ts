// Whether the browser believes it is online (navigator.onLine and its online/offline events).
// "Online" can still mean an unreachable server, but "offline" is reliable: nothing will be sent,
// so actions fail at once with a clear message instead of waiting (see api/client.ts).
import { useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

export function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

export function useOnline(): boolean {
  return useSyncExternalStore(subscribe, () => !isOffline(), () => true);
}
