// Evidence for the "loaded once" rule of module federation: this module counts how many times it
// was evaluated, and each app registers the React it renders with. The end-to-end suite reads
// both from window. (Identity is checked on React.Component: federation may wrap the module
// namespace, but the class is the same object only if React is the same copy.)
declare global {
  interface Window {
    __BANK_PLATFORM_LOADS__?: number;
    __BANK_REACT_INSTANCES__?: Record<string, unknown>;
  }
}

if (typeof window !== 'undefined') {
  window.__BANK_PLATFORM_LOADS__ = (window.__BANK_PLATFORM_LOADS__ ?? 0) + 1;
}

export function registerReactInstance(app: string, reactComponentClass: unknown): void {
  if (typeof window === 'undefined') return;
  window.__BANK_REACT_INSTANCES__ ??= {};
  window.__BANK_REACT_INSTANCES__[app] = reactComponentClass;
}
