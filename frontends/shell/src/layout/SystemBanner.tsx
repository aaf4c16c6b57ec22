import { useQuery } from '@tanstack/react-query';
import { adminApi } from '@bank/platform';

// The platform-wide notices of the configuration (admin's public keys platform.maintenance and
// platform.banner), for everyone, signed in or not. Polled: the public read needs no socket.
export function SystemBanner() {
  const query = useQuery({ queryKey: ['admin', 'config', 'public'], queryFn: adminApi.publicConfig, refetchInterval: 15_000, retry: false });
  const maintenance = query.data?.['platform.maintenance'] === true;
  const message = query.data?.['platform.banner'] ?? '';
  if (!maintenance && !message) return null;
  return (
    <div role="status" aria-live="polite" className="border-b border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50">
      <div className="mx-auto max-w-7xl space-y-1 px-4 py-2 text-sm sm:px-6">
        {maintenance && <p className="font-semibold">Maintenance in progress: new payments are paused. You can still view your payments.</p>}
        {message && <p>{message}</p>}
      </div>
    </div>
  );
}
