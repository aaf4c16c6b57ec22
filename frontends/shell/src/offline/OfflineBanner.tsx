// Says so while the browser is offline: what still works (pages already visited, cached data)
// and what does not (anything that changes data fails at once, see @bank/platform api/client.ts).
import { useOnline } from '@bank/platform';

export function OfflineBanner() {
  const online = useOnline();
  if (online) return null;
  return (
    <div role="status" data-offline-banner className="sticky top-0 z-40 bg-amber-100 px-4 py-2 text-center text-sm font-medium text-amber-950 dark:bg-amber-900 dark:text-amber-50">
      You are offline. You can look at what was already loaded; payments and other changes cannot be sent until the connection is back.
    </div>
  );
}
