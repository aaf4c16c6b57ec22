import { Link } from 'react-router';
import { buttonClasses, useDocumentTitle } from '@bank/ui';

export function NotAuthorisedPage() {
  useDocumentTitle('Not authorised');
  return (
    <section data-testid="not-authorised" className="mx-auto flex max-w-lg flex-col items-center gap-4 py-16 text-center">
      <div aria-hidden className="flex h-14 w-14 items-center justify-center rounded-full bg-destructive/10 text-2xl text-destructive">⛔</div>
      <h1 tabIndex={-1} className="text-2xl font-semibold outline-none">Not authorised</h1>
      <p className="text-muted-foreground">Your account does not have access to this page. If you think this is a mistake, contact your administrator.</p>
      <Link to="/payments" className={buttonClasses('primary')}>Go to payments</Link>
    </section>
  );
}
