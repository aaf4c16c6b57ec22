import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';
import { useDismissEarlierToasts } from '@bank/ui';

/** How long a lazily loaded page (remote, data) may take to render its heading. */
const HEADING_WAIT_MS = 5000;

/**
 * After each navigation (a new path, not a filter or page change in the query string): focus
 * moves to the page's main heading, so a screen reader announces the new page and the next Tab
 * starts from it rather than from the link that was clicked; the previous page's toasts go.
 */
export function useNavigationEffects(): void {
  const { pathname } = useLocation();
  const dismissEarlierToasts = useDismissEarlierToasts();
  const first = useRef(true);

  useEffect(() => {
    if (first.current) {
      first.current = false; // a fresh load: focus starts at the top of the document
      return;
    }
    dismissEarlierToasts();
    const main = document.getElementById('main');
    if (!main) return;
    const focusHeading = () => {
      const heading = main.querySelector<HTMLElement>('h1');
      if (!heading) return false;
      // The user already moved on inside the page (e.g. started typing): leave them there.
      const active = document.activeElement;
      if (active && active !== document.body && active !== main && main.contains(active)) return true;
      if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
      heading.focus({ preventScroll: false });
      return true;
    };
    if (focusHeading()) return;
    // Remotes and their data arrive later: wait for the heading to be rendered.
    const observer = new MutationObserver(() => {
      if (focusHeading()) observer.disconnect();
    });
    observer.observe(main, { childList: true, subtree: true });
    const timer = setTimeout(() => observer.disconnect(), HEADING_WAIT_MS);
    return () => {
      observer.disconnect();
      clearTimeout(timer);
    };
  }, [pathname, dismissEarlierToasts]);
}
