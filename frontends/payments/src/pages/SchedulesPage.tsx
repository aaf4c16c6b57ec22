// Scheduled and recurring payments: each schedule with its next occurrences, and pause / resume /
// cancel (cancel asks for confirmation; it stops future payments only). Cards, not a table, so it
// reads well at 360 px.
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, buttonClasses, Card, CardContent, PageHeader, Skeleton, useToast } from '@bank/ui';
import { EmptyState, Pagination, StatusBadge, useCursorPages } from '@bank/ui/data';
import { Dialog } from '@bank/ui/dialog';
import { errorMessage, useDisplayLocale } from '@bank/platform';
import { formatDate, formatMoney } from '@bank/platform/format';
import { schedulesApi, type Schedule } from '../api/schedules.ts';

type Action = 'pause' | 'resume' | 'cancel';

function describe(s: Schedule): string {
  if (s.type === 'scheduled') return `Once, on ${s.startDate}`;
  const every = s.frequency === 'weekly' ? 'Every week' : 'Every month';
  const end = s.endDate ? ` until ${formatDate(s.endDate)}` : s.count ? `, ${s.count} payments` : '';
  return `${every} from ${formatDate(s.startDate)}${end}`;
}

function ScheduleCard({ schedule, onAction, busy }: { schedule: Schedule; onAction: (action: Action) => void; busy: boolean }) {
  const headingId = `schedule-${schedule.id}`;
  return (
    <Card>
      <CardContent className="flex flex-col gap-3 pt-6" data-testid="schedule" data-schedule-id={schedule.id}>
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div className="min-w-0">
            <h2 id={headingId} className="text-base font-semibold">
              {formatMoney(schedule.amount, schedule.currency)} to <span className="break-all">{schedule.recipientEmail}</span>
            </h2>
            <p className="text-sm text-muted-foreground">{describe(schedule)} · {schedule.timeZone}</p>
            {schedule.description && <p className="text-sm text-muted-foreground break-words">{schedule.description}</p>}
          </div>
          <span aria-live="polite"><StatusBadge status={schedule.status} /></span>
        </div>
        <div>
          <h3 className="text-sm font-medium">Upcoming</h3>
          {schedule.upcoming.length === 0 ? (
            <p className="text-sm text-muted-foreground">No upcoming payments.</p>
          ) : (
            <ul className="mt-1 flex flex-wrap gap-2" aria-label="Upcoming payment dates">
              {schedule.upcoming.map((o) => (
                <li key={o.index} className="rounded-md border border-border px-2 py-1 text-sm">
                  <time dateTime={o.date}>{formatDate(o.date)}</time>
                </li>
              ))}
            </ul>
          )}
          <p className="mt-1 text-xs text-muted-foreground">{schedule.occurrencesDone} payment(s) made so far</p>
        </div>
        <div className="flex flex-col gap-2 sm:flex-row sm:justify-end" role="group" aria-labelledby={headingId}>
          {schedule.status === 'active' && (
            <Button variant="outline" size="sm" loading={busy} onClick={() => onAction('pause')}>Pause</Button>
          )}
          {schedule.status === 'paused' && (
            <Button variant="outline" size="sm" loading={busy} onClick={() => onAction('resume')}>Resume</Button>
          )}
          {(schedule.status === 'active' || schedule.status === 'paused') && (
            <Button variant="outline" size="sm" disabled={busy} onClick={() => onAction('cancel')}>Cancel schedule</Button>
          )}
        </div>
      </CardContent>
    </Card>
  );
}

export function SchedulesPage() {
  useDisplayLocale();
  const toast = useToast();
  const queryClient = useQueryClient();
  const pages = useCursorPages();
  const [confirming, setConfirming] = useState<Schedule | null>(null);
  const query = useQuery({
    queryKey: ['schedules', 'list', pages.cursor],
    queryFn: ({ signal }) => schedulesApi.list(pages.cursor, signal),
  });
  const change = useMutation({
    mutationFn: ({ id, action }: { id: string; action: Action }) => schedulesApi[action](id),
    onSuccess: (_s, { action }) => {
      toast({ title: action === 'pause' ? 'Schedule paused' : action === 'resume' ? 'Schedule resumed' : 'Schedule cancelled', variant: 'success' });
      void queryClient.invalidateQueries({ queryKey: ['schedules'] });
      setConfirming(null);
    },
    onError: (e) => toast({ title: 'Could not change the schedule', description: errorMessage(e), variant: 'error' }),
  });
  const onAction = (schedule: Schedule, action: Action) => {
    if (action === 'cancel') setConfirming(schedule);
    else change.mutate({ id: schedule.id, action });
  };

  return (
    <section>
      <Link to="/payments" className="mb-3 inline-block text-sm text-primary hover:underline">← All payments</Link>
      <PageHeader
        title="Schedules"
        description="Scheduled and recurring payments, with their next dates."
        actions={<Link to="/payments/new" className={buttonClasses('primary')}>New payment</Link>}
      />
      {query.isPending && <Skeleton className="h-32 w-full" />}
      {query.isError && <Alert tone="error" title="Could not load your schedules">{errorMessage(query.error)}</Alert>}
      {query.data && query.data.items.length === 0 && (
        <EmptyState title="No schedules yet" description="Choose “Scheduled” or “Recurring” when you create a payment." />
      )}
      {query.data && query.data.items.length > 0 && (
        <div className="flex flex-col gap-4">
          {query.data.items.map((s) => (
            <ScheduleCard key={s.id} schedule={s} busy={change.isPending && change.variables?.id === s.id} onAction={(a) => onAction(s, a)} />
          ))}
          <Pagination
            page={pages.page}
            hasPrevious={pages.hasPrevious}
            hasNext={Boolean(query.data.nextCursor)}
            loading={query.isFetching}
            onPrevious={pages.previous}
            onNext={() => pages.next(query.data?.nextCursor)}
          />
        </div>
      )}
      <Dialog
        open={confirming !== null}
        onClose={() => setConfirming(null)}
        title="Cancel this schedule?"
        description="No further payments will be made. Payments already made are not affected."
        footer={
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button variant="outline" onClick={() => setConfirming(null)}>Keep schedule</Button>
            <Button
              variant="destructive"
              loading={change.isPending}
              onClick={() => confirming && change.mutate({ id: confirming.id, action: 'cancel' })}
            >
              Cancel schedule
            </Button>
          </div>
        }
      />
    </section>
  );
}
