// The page an analytics event belongs to, as a route-like path: ids in the URL become `:id`, so a
// thousand payments' detail pages are one page on the monitoring page (and one bounded label).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^\d+$/;

export function pagePath(pathname: string): string {
  const segments = pathname.split('/').map((s) => (UUID.test(s) || NUMBER.test(s) ? ':id' : s));
  const path = segments.join('/').replace(/\/+$/, '') || '/';
  return path.slice(0, 200);
}
