import { Link } from 'react-router';
import { buttonClasses, useDocumentTitle } from '@bank/ui';

export function NotFoundPage() {
  useDocumentTitle('Page not found');
  return (
    <section className="mx-auto flex max-w-lg flex-col items-center gap-4 py-16 text-center">
      <p className="text-5xl font-bold text-primary">404</p>
      <h1 tabIndex={-1} className="text-2xl font-semibold outline-none">Page not found</h1>
      <p className="text-muted-foreground">The page you asked for does not exist or has moved.</p>
      <Link to="/" className={buttonClasses('primary')}>Back to the start</Link>
    </section>
  );
}
