import { useCallback, useSyncExternalStore } from 'react';

/** Tailwind's md breakpoint: at and above it lists are tables, below it cards. */
export const WIDE_QUERY = '(min-width: 768px)';

/**
 * Whether a media query matches, following changes. Used where small screens need different
 * markup (cards instead of a table), not just different styles, so only one version is in the DOM.
 */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const list = matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => matchMedia(query).matches, () => true);
}
