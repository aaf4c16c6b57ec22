import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Field, Input, PageHeader, Select } from '@bank/ui';
import { EmptyState, FilterPanel, Pagination, Table, TBody, TD, TH, THead, TR, useUrlCursorPages } from '@bank/ui/data';
import {
  adminApi, AUDIT_EVENT_TYPES, AUDIT_SOURCES, useDisplayLocale, useRealtime, type AuditEventType, type AuditFilters, type AuditSource,
} from '@bank/platform';
import { formatTimestamp, shortId } from '@bank/platform/format';
import { QueryState } from '../components/QueryState.tsx';
import { JsonDetails } from '../components/JsonDetails.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FILTER_KEYS = ['type', 'source', 'userId', 'from', 'to'] as const;

/** The filters live in the URL (days as YYYY-MM-DD); the API wants instants, `to` exclusive. */
function filtersFromParams(params: URLSearchParams): AuditFilters {
  const type = params.get('type');
  const source = params.get('source');
  const userId = params.get('userId');
  const from = params.get('from');
  const to = params.get('to');
  const day = (value: string | null) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00`) : undefined);
  const fromDay = day(from);
  const toDay = day(to);
  return {
    ...((AUDIT_EVENT_TYPES as readonly string[]).includes(type ?? '') ? { type: type as AuditEventType } : {}),
    ...((AUDIT_SOURCES as readonly string[]).includes(source ?? '') ? { source: source as AuditSource } : {}),
    ...(userId && UUID.test(userId) ? { userId } : {}),
    ...(fromDay ? { from: fromDay.toISOString() } : {}),
    // `to` is exclusive: the start of the day after the chosen one.
    ...(toDay ? { to: new Date(toDay.getTime() + 86_400_000).toISOString() } : {}),
  };
}

export function AuditPage() {
  useDisplayLocale();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const pages = useUrlCursorPages(params, setParams);
  const cursor = pages.cursor;
  const [userIdError, setUserIdError] = useState<string | null>(null);
  const query = useQuery({ queryKey: ['admin', 'audit', filters, cursor], queryFn: () => adminApi.audit({ ...filters, cursor, limit: 25 }), placeholderData: keepPreviousData });
  // New entries are announced over the WebSocket; only the first page (newest first) can change.
  useRealtime('admin:audit-created', () => {
    if (!cursor) void query.refetch();
  });

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const value = String(form.get(key) ?? '').trim();
      if (value) next.set(key, value);
    }
    const userId = next.get('userId');
    // The API accepts only a user id (UUID); say so here instead of showing a 400.
    if (userId && !UUID.test(userId)) {
      setUserIdError('Enter a user id (UUID), e.g. from the Users page.');
      return;
    }
    setUserIdError(null);
    setParams(next); // new filters start at page 1
  }

  const activeFilters = FILTER_KEYS.filter((key) => params.get(key)).length;

  return (
    <section>
      <PageHeader
        title="Audit log"
        description="Every security and business event, as recorded by the admin service."
        actions={<Button variant="outline" loading={query.isFetching && !query.isPending} onClick={() => void query.refetch()}>Refresh</Button>}
      />
      <FilterPanel active={activeFilters}>
        <form onSubmit={apply} aria-label="Filter audit entries" className="grid grid-cols-1 gap-3 sm:grid-cols-3 lg:grid-cols-6 lg:items-end" key={params.toString()}>
          <Field label="Event type">
            <Select name="type" defaultValue={filters.type ?? ''}>
              <option value="">All types</option>
              {AUDIT_EVENT_TYPES.map((type) => <option key={type} value={type}>{type}</option>)}
            </Select>
          </Field>
          <Field label="Source">
            <Select name="source" defaultValue={filters.source ?? ''}>
              <option value="">All sources</option>
              {AUDIT_SOURCES.map((source) => <option key={source} value={source}>{source}</option>)}
            </Select>
          </Field>
          <Field label="User id" error={userIdError ?? undefined}><Input name="userId" spellCheck={false} autoComplete="off" defaultValue={params.get('userId') ?? ''} /></Field>
          <Field label="From"><Input type="date" name="from" defaultValue={params.get('from') ?? ''} /></Field>
          <Field label="To"><Input type="date" name="to" defaultValue={params.get('to') ?? ''} /></Field>
          <div className="flex gap-2">
            <Button type="submit" className="flex-1">Apply filters</Button>
            {activeFilters > 0 && <Button variant="ghost" onClick={() => setParams(new URLSearchParams())}>Clear</Button>}
          </div>
        </form>
      </FilterPanel>
      <QueryState query={query} label="the audit log">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title="No audit entries" description="Nothing matches these filters." />
          ) : (
            <Card>
              <Table caption="Audit entries" stacked className="table-fixed max-md:table-auto">
                <THead><tr><TH className="w-48">When</TH><TH className="w-56">Type</TH><TH className="w-24">Source</TH><TH className="w-24">User</TH><TH>Details</TH></tr></THead>
                <TBody>
                  {page.items.map((a) => (
                    <TR key={a.id} data-audit-type={a.type} data-audit-user={a.userId ?? undefined} className="align-top">
                      {/* With seconds: entries of one flow are often within the same minute. */}
                      <TD label="When" className="whitespace-nowrap text-muted-foreground tabular-nums">{formatTimestamp(a.occurredAt)}</TD>
                      <TD label="Type" className="font-mono text-xs break-all">{a.type}</TD>
                      <TD label="Source">{a.source}</TD>
                      <TD label="User" className="font-mono text-xs" title={a.userId ?? undefined}>{shortId(a.userId)}</TD>
                      <TD label="Details" className="min-w-0 max-md:block max-md:before:block"><JsonDetails value={a.data} label={`Data of ${a.type} at ${formatTimestamp(a.occurredAt)}`} /></TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
              <div className="border-t border-border px-4">
                <Pagination page={pages.page} hasPrevious={pages.hasPrevious} hasNext={Boolean(page.nextCursor)} loading={query.isFetching} onPrevious={pages.previous} onNext={() => pages.next(page.nextCursor)} />
              </div>
            </Card>
          )
        }
      </QueryState>
    </section>
  );
}
