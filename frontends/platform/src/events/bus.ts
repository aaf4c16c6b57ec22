// A small typed event bus for shell ↔ remote communication. Remotes never import each other;
// they publish and subscribe here (the module is a federation singleton).
import type { Payment } from '../api/types.ts';

export interface BusEvents {
  'auth:signed-in': { userId: string };
  'auth:signed-out': { reason: string | null };
  'payment:created': { payment: Payment };
  'theme:changed': { theme: 'light' | 'dark' | 'system' };
  'toast': { title: string; description?: string; variant?: 'default' | 'success' | 'error' };
  'remote:loaded': { name: string; ms: number };
  'remote:failed': { name: string; error: string };
}

type Handler<T> = (payload: T) => void;

export interface EventBus<E> {
  on<K extends keyof E>(type: K, handler: Handler<E[K]>): () => void;
  emit<K extends keyof E>(type: K, payload: E[K]): void;
}

export function createEventBus<E>(): EventBus<E> {
  const handlers = new Map<keyof E, Set<Handler<unknown>>>();
  return {
    on(type, handler) {
      const set = handlers.get(type) ?? new Set();
      set.add(handler as Handler<unknown>);
      handlers.set(type, set);
      return () => set.delete(handler as Handler<unknown>);
    },
    emit(type, payload) {
      for (const handler of handlers.get(type) ?? []) {
        try {
          handler(payload);
        } catch (error) {
          console.error('event handler failed', { type, error });
        }
      }
    },
  };
}

export const bus = createEventBus<BusEvents>();
