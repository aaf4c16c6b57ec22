import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  Alert, Button, buttonClasses, Card, EmptyState, Field, Input, PageHeader, Pagination, Select, Skeleton, StatusBadge, Table, TBody, TD, TH, THead, TR, useCursorPages,
} from '@bank/ui';
import { errorMessage, formatDateTime, formatMoney, parseAmountToMinor, paymentsApi, type PaymentFilters, type PaymentStatus } from '@bank/platform';

const STATUSES: PaymentStatus[] = ['pending', 'processing', 'completed', 'failed', 'cancelled'];
const PAGE_SIZE = 20;

/** Filters live in the URL so a filtered view can be bookmarked and survives reloads. */
function filtersFromParams(params: URLSearchParams): PaymentFilters {
  const amount = (key: string) => {
    const raw = params.get(key);
    if (!raw) return undefined;
    const parsed = parseAmountToMinor(raw, 'EUR');
    return parsed.ok ? parsed.minor : undefined;
  };
  return {
    status: (params.get('status') as PaymentStatus | null) ?? '',
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    minAmount: amount('min'),
    maxAmount: amount('max'),
  };
}

export function PaymentsListPage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  // Cursor pagination: remember the cursors of the pages we came through to go back.
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const [filterError, setFilterError] = useState<string | null>(null);

  const query = useQuery({
    queryKey: ['payments', 'list', filters, cursor],
    queryFn: ({ signal }) =>
      paymentsApi.list(
        { ...filters, from: filters.from ? new Date(`${filters.from}T00:00:00`).toISOString() : undefined, to: filters.to ? new Date(`${filters.to}T23:59:59.999`).toISOString() : undefined, cursor, limit: PAGE_SIZE },
        signal,
      ),
    placeholderData: keepPreviousData,
  });

  function applyFilters(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const key of ['status', 'from', 'to', 'min', 'max']) {
      const value = String(form.get(key) ?? '').trim();
      if (value) next.set(key, value);
    }
    for (const key of ['min', 'max']) {
      const value = next.get(key);
      if (value && !parseAmountToMinor(value, 'EUR').ok) {
        setFilterError('Amounts must be numbers like 10 or 10.50');
        return;
      }
    }
    if (next.get('from') && next.get('to') && String(next.get('from')) > String(next.get('to'))) {
      setFilterError('The start date must be before the end date');
      return;
    }
    setFilterError(null);
    pages.reset();
    setParams(next);
  }

  const items = query.data?.items ?? [];
  const filtered = [...params.keys()].length > 0;

  return (
    <section aria-labelledby="payments-title">
      <PageHeader
        title="Payments"
        description="Every payment you sent, with its current status."
        actions={
          <>
            <Link to="/payments/schedules" className={buttonClasses('outline')}>
              Schedules
            </Link>
            <Link to="/payments/new" className={buttonClasses('primary')}>
              + New payment
            </Link>
          </>
        }
      />
      <Card className="mb-4 p-4">
        <form onSubmit={applyFilters} className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-6 lg:items-end" aria-label="Filter payments" key={params.toString()}>
          <Field label="Status">
            <Select name="status" defaultValue={filters.status ?? ''}>
              <option value="">All statuses</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.charAt(0).toUpperCase() + s.slice(1)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="From">
            <Input type="date" name="from" defaultValue={params.get('from') ?? ''} />
          </Field>
          <Field label="To">
            <Input type="date" name="to" defaultValue={params.get('to') ?? ''} />
          </Field>
          <Field label="Min amount">
            <Input inputMode="decimal" name="min" placeholder="0.00" defaultValue={params.get('min') ?? ''} />
          </Field>
          <Field label="Max amount">
            <Input inputMode="decimal" name="max" placeholder="0.00" defaultValue={params.get('max') ?? ''} />
          </Field>
          <div className="flex gap-2">
            <Button type="submit" className="flex-1">Apply</Button>
            {filtered && (
              <Button variant="ghost" onClick={() => { pages.reset(); setParams(new URLSearchParams()); }}>
                Clear
              </Button>
            )}
          </div>
        </form>
        {filterError && <Alert tone="error" className="mt-3">{filterError}</Alert>}
      </Card>

      {query.isError && <Alert tone="error" title="Could not load payments">{errorMessage(query.error)}</Alert>}

      {query.isPending ? (
        <Card className="p-4" aria-busy="true" aria-label="Loading payments">
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} className="mb-3 h-10 w-full" />
          ))}
        </Card>
      ) : items.length === 0 && !query.isError ? (
        <EmptyState
          title={filtered ? 'No payments match these filters' : 'No payments yet'}
          description={filtered ? 'Try a wider date range or another status.' : 'Send your first payment — it takes a few seconds.'}
          action={!filtered && <Link to="/payments/new" className={buttonClasses('primary')}>New payment</Link>}
        />
      ) : (
        <Card>
          <Table caption="Payments" aria-busy={query.isFetching}>
            <THead>
              <tr>
                <TH>Date</TH>
                <TH>Recipient</TH>
                <TH className="hidden md:table-cell">Description</TH>
                <TH className="text-right">Amount</TH>
                <TH>Status</TH>
              </tr>
            </THead>
            <TBody>
              {items.map((p) => (
                <TR key={p.id} className="cursor-pointer" onClick={() => navigate(`/payments/${p.id}`)} data-payment-id={p.id}>
                  <TD className="whitespace-nowrap text-muted-foreground">{formatDateTime(p.createdAt)}</TD>
                  <TD>
                    <Link to={`/payments/${p.id}`} className="font-medium text-foreground hover:text-primary hover:underline" onClick={(e) => e.stopPropagation()}>
                      {p.recipientEmail ?? p.recipientId ?? 'Recipient'}
                    </Link>
                  </TD>
                  <TD className="hidden max-w-xs truncate text-muted-foreground md:table-cell">{p.description ?? '—'}</TD>
                  <TD className="text-right font-medium tabular-nums">{formatMoney(p.amount, p.currency)}</TD>
                  <TD><StatusBadge status={p.status} /></TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <div className="border-t border-border px-4">
            <Pagination
              page={pages.page}
              hasPrevious={pages.hasPrevious}
              hasNext={Boolean(query.data?.nextCursor)}
              loading={query.isFetching}
              onPrevious={pages.previous}
              onNext={() => pages.next(query.data?.nextCursor)}
            />
          </div>
        </Card>
      )}
    </section>
  );
}
