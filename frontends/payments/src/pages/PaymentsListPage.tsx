import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, buttonClasses, Card, cn, Field, Input, PageHeader, Select, Skeleton } from '@bank/ui';
import {
  EmptyState,
  FilterPanel,
  PAGES_PARAM,
  Pagination,
  StatusBadge,
  Table,
  TBody,
  TD,
  TH,
  THead,
  TR,
  useMediaQuery,
  useUrlCursorPages,
  WIDE_QUERY,
} from '@bank/ui/data';
import {
  buildPath,
  errorMessage,
  paymentsApi,
  useCurrentUser,
  useDisplayLocale,
  type PaymentDirection,
  type PaymentFilters,
  type PaymentStatus,
  type PaymentView,
} from '@bank/platform';
import { formatDateTime, parseAmountToMinor } from '@bank/platform/format';
import {
  counterpartyEmail,
  counterpartyLabel,
  DIRECTION_LABEL,
  SignedAmount,
} from '../components/payment-parties.tsx';
import { earlyPageOr, takeArrivedEarlyPage } from '../api/early-list.ts';

const STATUSES: PaymentStatus[] = ['pending', 'processing', 'completed', 'failed', 'cancelled'];
const DIRECTIONS: Array<{ value: PaymentDirection | 'all'; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'sent', label: 'Sent' },
  { value: 'received', label: 'Received' },
];
const FILTER_KEYS = ['status', 'from', 'to', 'min', 'max'] as const;
const PAGE_SIZE = 20;

function directionFrom(params: URLSearchParams): PaymentDirection | 'all' {
  const value = params.get('direction');
  return value === 'sent' || value === 'received' ? value : 'all';
}

/** Filters, direction and page live in the URL so a view can be bookmarked and survives reloads. */
function filtersFromParams(params: URLSearchParams): PaymentFilters {
  const amount = (key: string) => {
    const raw = params.get(key);
    if (!raw) return undefined;
    const parsed = parseAmountToMinor(raw, 'EUR');
    return parsed.ok ? parsed.minor : undefined;
  };
  const direction = directionFrom(params);
  return {
    ...(direction !== 'all' ? { direction } : {}),
    status: (params.get('status') as PaymentStatus | null) ?? '',
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    minAmount: amount('min'),
    maxAmount: amount('max'),
  };
}

function DirectionTabs({ params }: { params: URLSearchParams }) {
  const current = directionFrom(params);
  const hrefFor = (value: PaymentDirection | 'all') => {
    const next = new URLSearchParams(params);
    next.delete(PAGES_PARAM);
    if (value === 'all') next.delete('direction');
    else next.set('direction', value);
    const query = next.toString();
    return query ? `?${query}` : '.';
  };
  return (
    <nav aria-label="Direction" className="mb-4 inline-flex rounded-md border border-border bg-card p-1">
      {DIRECTIONS.map((d) => (
        <Link
          key={d.value}
          to={hrefFor(d.value)}
          aria-current={current === d.value ? 'page' : undefined}
          className={cn(
            'rounded px-3 py-1.5 text-sm font-medium',
            current === d.value
              ? 'bg-primary text-primary-foreground'
              : 'text-muted-foreground hover:bg-muted hover:text-foreground',
          )}
        >
          {d.label}
        </Link>
      ))}
    </nav>
  );
}

function PaymentCards({ items }: { items: PaymentView[] }) {
  return (
    <ul aria-label="Payments" className="divide-y divide-border">
      {items.map((p) => (
        <li key={p.id} data-payment-id={p.id}>
          <Link
            to={`/payments/${p.id}`}
            className="flex items-start justify-between gap-3 px-4 py-3 hover:bg-muted/40"
          >
            <span className="flex min-w-0 flex-col gap-0.5">
              <span className="truncate font-medium">{counterpartyLabel(p)}</span>
              <span className="truncate text-xs text-muted-foreground">
                {p.description ?? formatDateTime(p.createdAt)}
              </span>
              {p.description && (
                <span className="text-xs text-muted-foreground">{formatDateTime(p.createdAt)}</span>
              )}
            </span>
            <span className="flex shrink-0 flex-col items-end gap-1">
              <SignedAmount payment={p} />
              <StatusBadge status={p.status} />
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function PaymentTable({ items }: { items: PaymentView[] }) {
  const navigate = useNavigate();
  return (
    <Table caption="Payments">
      <THead>
        <tr>
          <TH>Date</TH>
          <TH>Counterparty</TH>
          <TH className="hidden lg:table-cell">Description</TH>
          <TH className="text-right">Amount</TH>
          <TH>Status</TH>
        </tr>
      </THead>
      <TBody>
        {items.map((p) => (
          <TR
            key={p.id}
            className="cursor-pointer"
            onClick={() => navigate(`/payments/${p.id}`)}
            data-payment-id={p.id}
          >
            <TD className="whitespace-nowrap text-muted-foreground">{formatDateTime(p.createdAt)}</TD>
            <TD>
              <Link
                to={`/payments/${p.id}`}
                className="font-medium text-foreground hover:text-primary hover:underline"
                onClick={(e) => e.stopPropagation()}
              >
                {counterpartyLabel(p)}
              </Link>
              {counterpartyEmail(p) && (
                <span className="block text-xs text-muted-foreground">{counterpartyEmail(p)}</span>
              )}
              {p.direction && <span className="sr-only">, {DIRECTION_LABEL[p.direction]}</span>}
            </TD>
            <TD className="hidden max-w-xs truncate text-muted-foreground lg:table-cell">
              {p.description ?? '—'}
            </TD>
            <TD className="text-right">
              <SignedAmount payment={p} />
            </TD>
            <TD>
              <StatusBadge status={p.status} />
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

export function PaymentsListPage() {
  useDisplayLocale();
  const wide = useMediaQuery(WIDE_QUERY);
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const pages = useUrlCursorPages(params, setParams);
  const cursor = pages.cursor;
  const [filterError, setFilterError] = useState<string | null>(null);

  const request = {
    ...filters,
    from: filters.from ? new Date(`${filters.from}T00:00:00`).toISOString() : undefined,
    to: filters.to ? new Date(`${filters.to}T23:59:59.999`).toISOString() : undefined,
    cursor,
    limit: PAGE_SIZE,
  };
  // The URL paymentsApi.list asks for: the early page (api/early-list.ts) is used only for it.
  const url = buildPath('/payments', { ...request, cursor: request.cursor ?? undefined });
  const userId = useCurrentUser()?.id;
  // The page asked for before this remote was on screen — by early-requests.js, else by the shell's
  // prefetch — if it is already here: the first render shows the rows (on a cold load it rendered a
  // skeleton, then the rows once react-query had taken the answer). Taken on mount, and given only
  // to the query it was asked for (not to the next filters' or page's).
  const requestKey = JSON.stringify(request);
  const [prefetched] = useState(() => {
    const taken = takeArrivedEarlyPage(url, userId) ?? paymentsApi.prefetchedList(request);
    return taken && { ...taken, requestKey };
  });
  const initial = prefetched?.requestKey === requestKey ? prefetched : undefined;
  const query = useQuery({
    queryKey: ['payments', 'list', filters, cursor],
    // The first fetch takes the early page if it is still on its way; every later one asks.
    queryFn: ({ signal }) => earlyPageOr(url, userId, () => paymentsApi.list(request, signal)),
    placeholderData: keepPreviousData,
    initialData: initial?.data,
    initialDataUpdatedAt: initial?.at,
  });

  function applyFilters(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    const direction = params.get('direction');
    if (direction) next.set('direction', direction);
    for (const key of FILTER_KEYS) {
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
    setParams(next); // without PAGES_PARAM: new filters start at page 1
  }

  function clearFilters() {
    const next = new URLSearchParams();
    const direction = params.get('direction');
    if (direction) next.set('direction', direction);
    setParams(next);
  }

  const items = query.data?.items ?? [];
  const activeFilters = FILTER_KEYS.filter((key) => params.get(key)).length;
  const filtered = activeFilters > 0 || directionFrom(params) !== 'all';

  return (
    <section aria-labelledby="payments-title">
      <PageHeader
        title="Payments"
        description="Money you sent and received, with its current status."
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
      <DirectionTabs params={params} />
      <FilterPanel active={activeFilters}>
        <form
          onSubmit={applyFilters}
          className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-6 lg:items-end"
          aria-label="Filter payments"
          key={params.toString()}
        >
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
            <Button type="submit" className="flex-1">
              Apply
            </Button>
            {activeFilters > 0 && (
              <Button variant="ghost" onClick={clearFilters}>
                Clear
              </Button>
            )}
          </div>
        </form>
        {filterError && (
          <Alert tone="error" className="mt-3">
            {filterError}
          </Alert>
        )}
      </FilterPanel>

      {query.isError && (
        <Alert tone="error" title="Could not load payments">
          {errorMessage(query.error)}
        </Alert>
      )}

      {query.isPending ? (
        <Card className="p-4" aria-busy="true" aria-label="Loading payments">
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} className="mb-3 h-10 w-full" />
          ))}
        </Card>
      ) : items.length === 0 && !query.isError ? (
        <EmptyState
          title={filtered ? 'No payments match these filters' : 'No payments yet'}
          description={
            filtered
              ? 'Try a wider date range, another status or direction.'
              : 'Send your first payment — it takes a few seconds.'
          }
          action={
            !filtered && (
              <Link to="/payments/new" className={buttonClasses('primary')}>
                New payment
              </Link>
            )
          }
        />
      ) : (
        <Card aria-busy={query.isFetching}>
          {wide ? <PaymentTable items={items} /> : <PaymentCards items={items} />}
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
