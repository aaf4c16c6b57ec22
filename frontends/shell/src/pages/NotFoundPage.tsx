import { Link } from 'react-router';
import { buttonClasses } from '@bank/ui';

export function NotFoundPage() {
  return (
    <section className="mx-auto flex max-w-lg flex-col items-center gap-4 py-16 text-center">
      <p className="text-5xl font-bold text-primary">404</p>
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-muted-foreground">The page you asked for does not exist or has moved.</p>
      <Link to="/" className={buttonClasses('primary')}>Back to the start</Link>
    </section>
  );
}
