// Markers the front-end sets on window (see @bank/platform singleton-marker.ts).
declare global {
  interface Window {
    __BANK_PLATFORM_LOADS__?: number;
    __BANK_REACT_INSTANCES__?: Record<string, unknown>;
  }
}
export {};
